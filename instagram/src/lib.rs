#![doc = include_str!("../README.md")]

mod ids;

pub use ids::{Igsid, InstagramAccountId, Mid};
