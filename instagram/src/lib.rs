#![doc = include_str!("../README.md")]

mod error;
mod ids;
pub mod webhook;

pub use error::{Error, ErrorKind};
pub use ids::{Igsid, InstagramAccountId, Mid};
