#![doc = include_str!("../README.md")]

mod ids;

pub use ids::{Mid, Psid};
pub use meta_graph::PageId;
