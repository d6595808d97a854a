#![doc = include_str!("../README.md")]

#[macro_use]
mod macros;

mod error;
mod ids;
pub mod webhook;

pub use error::{Error, ErrorKind};
pub use ids::{AttachmentId, Mid, Psid};
pub use meta_graph::{AppId, PageId};
