#![doc = include_str!("../README.md")]

#[macro_use]
extern crate messaging_core;

mod client;
mod error;
mod ids;
pub mod limits;
pub mod model;
pub mod pacing;
mod paged;
mod platform;
pub mod send;
mod validation;
pub mod webhook;

pub use client::{
    DownloadedMedia, MediaMismatch, MediaUpload, MessageStatus, SentMessage, TemplateFilter,
    WhatsAppClient,
};
pub use error::{Error, ErrorKind};
pub use ids::{Bsuid, MediaId, PhoneNumberId, WaId, WabaId, Wamid};
pub use paged::Paged;
pub use validation::{ValidationError, ValidationProblem};
