#![doc = include_str!("../README.md")]

#[macro_use]
extern crate messaging_core;

mod client;
mod error;
mod ids;
pub mod limits;
mod platform;
pub mod webhook;

pub use client::{
    CONVERSATION_FIELDS, IceBreaker, InstagramClient, LoginPath, MESSAGE_FIELDS, MenuItem,
    PersistentMenu, SentMessage, UserProfile, UserProfileField,
};
/// The Send API bodies Instagram shares with Messenger: build messages here, check them
/// against [`limits::LIMITS`], send them with [`InstagramClient::send`].
pub mod send {
    pub use meta_graph::send_api::{
        Attachment, Button, DefaultAction, GenericElement, MediaKind, MessageTag, QuickReply,
        Recipient, ReplyDecision, ReplyWindow, SendMessage, SendRequest, Sender, SenderAction,
        SenderActionKind, Template, ValidationError, WindowClosed,
    };
}
pub use error::{Error, ErrorKind};
pub use ids::{Igsid, InstagramAccountId, Mid};
