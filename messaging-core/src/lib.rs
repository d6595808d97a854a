#![doc = include_str!("../README.md")]

mod attachment;
mod attachment_source;
mod conversation;
mod cursor;
mod direction;
mod error;
mod event;
mod ids;
mod message;
mod outgoing;
mod page;
mod participant;
mod platform;
mod platform_kind;
mod profile;
mod sent_message;
mod status;
mod string_enum;

pub use attachment::{Attachment, AttachmentKind};
pub use attachment_source::AttachmentSource;
pub use conversation::Conversation;
pub use cursor::Cursor;
pub use direction::Direction;
pub use error::{Error, ErrorKind, Result};
pub use event::{EventKind, WebhookEvent};
pub use ids::{AccountId, ConversationId, MessageId, UserId};
pub use message::Message;
pub use outgoing::OutgoingAttachment;
pub use page::Page;
pub use participant::Participant;
pub use platform::Platform;
pub use platform_kind::{PlatformKind, UnknownPlatform};
pub use profile::UserProfile;
pub use sent_message::SentMessage;
pub use status::DeliveryStatus;

/// Re-exports for [`define_id!`]: the macro names serde through this path so that crates using it
/// need not depend on serde themselves. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
}
