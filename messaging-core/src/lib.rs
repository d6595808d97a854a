#![doc = include_str!("../README.md")]

mod attachment;
mod event;
mod platform_kind;
mod status;

pub use attachment::{Attachment, AttachmentKind};
pub use event::{EventKind, WebhookEvent};
pub use platform_kind::PlatformKind;
pub use status::DeliveryStatus;
