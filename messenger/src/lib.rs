#![doc = include_str!("../README.md")]

#[macro_use]
extern crate messaging_core;

mod client;
mod error;
mod ids;
pub mod limits;
mod platform;
pub mod webhook;

/// The Send API bodies Messenger shares with Instagram: build messages here, check them
/// against [`limits::LIMITS`], send them with [`MessengerClient::send`].
pub mod send {
    pub use meta_graph::send_api::{
        Attachment, Button, DefaultAction, GenericElement, MediaElement, MediaKind, MessageTag,
        MessagingType, QuickReply, Recipient, ReplyDecision, ReplyWindow, SendMessage, SendRequest,
        Sender, SenderAction, SenderActionKind, Template, ValidationError, WebviewHeight,
        WindowClosed,
    };
}

pub use client::{
    ATTACHMENT_MAX_BYTES, AttachmentUpload, CONVERSATION_FIELDS, MESSAGE_FIELDS, MessengerClient,
    PageSubscribedApp, PageWebhookField, Persona, PersonaUpdate, SentMessage, UserProfile,
    UserProfileField,
};
pub use error::{Error, ErrorKind};
pub use ids::{AttachmentId, ConversationId, Mid, PersonaId, Psid};
pub use meta_graph::send_api::{Conversation, ConversationMessage};
pub use meta_graph::{AppId, PageId};
