//! The Send API and Conversations API of the Messenger Platform, which Facebook Pages and
//! Instagram professional accounts share.
//!
//! Meta serves Messenger and Instagram messaging from one platform: the same
//! `POST /{id}/messages` body (recipient, `messaging_type`, message or sender action), the same
//! attachments and templates, and the same `GET /{id}/conversations` listings, with limits that
//! differ per product. This module holds those shapes once; `metabiz-messenger` and
//! `metabiz-instagram` build on it with their own ids and [`Limits`].
//!
//! It knows no product rule beyond the limits it is given: which tags, templates and
//! attachments a product accepts is for the product's crate to check.
//!
//! ```
//! use meta_graph::send_api::{Limits, QuickReply, SendMessage};
//!
//! let limits = Limits::MESSENGER;
//! let message = SendMessage::text("6254119754622003", "Which size?")
//!     .quick_replies([QuickReply::text("Small", "SIZE_S"), QuickReply::text("Large", "SIZE_L")])
//!     .build(&limits)?;
//! let body = serde_json::to_value(&message).unwrap();
//! assert_eq!(body["messaging_type"], "RESPONSE");
//! assert_eq!(body["message"]["quick_replies"][1]["payload"], "SIZE_L");
//! # Ok::<(), meta_graph::send_api::ValidationError>(())
//! ```

mod attachment;
mod conversation;
mod core;
mod limits;
mod message;
mod quick_reply;
mod response;
mod sender_action;
mod template;
mod validation;
mod window;

pub use attachment::{Attachment, MediaKind, MediaSource};
pub use conversation::{
    Conversation, ConversationMessage, ImageData, MessageAttachment, MessageAttachments,
    Participant, Participants, VideoData,
};
pub use core::{conversation_page, message_page};
pub use limits::Limits;
pub use message::{MessageTag, MessagingType, Recipient, SendMessage, SendRequest};
pub use quick_reply::QuickReply;
pub use response::SendResponse;
pub use sender_action::{SenderAction, SenderActionKind};
pub use template::{Button, DefaultAction, GenericElement, MediaElement, Template, WebviewHeight};
pub use validation::{Problem, ValidationError};
pub use window::{ReplyDecision, ReplyWindow, Sender, WindowClosed};
