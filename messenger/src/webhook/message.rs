use serde::Deserialize;

use super::lenient::opt_id;
use super::{Attachment, QuickReply, ReplyTo};
use crate::{AppId, Mid};

/// A message (`message`): from a person to the page, or, when
/// [`is_echo`](Message::is_echo) is set, an echo of a message the page sent.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// The message id.
    #[serde(default)]
    pub mid: Option<Mid>,
    /// The text, exactly as sent.
    #[serde(default)]
    pub text: Option<String>,
    /// The quick reply the person tapped to send this message.
    #[serde(default)]
    pub quick_reply: Option<QuickReply>,
    /// The message this one replies to.
    #[serde(default)]
    pub reply_to: Option<ReplyTo>,
    /// Media, locations, shares and templates, in the order Meta sent them.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub attachments: Vec<Attachment>,
    /// The page sent this message (`message_echoes`); sender and recipient are swapped.
    #[serde(default)]
    pub is_echo: bool,
    /// For echoes, the app that sent the message (Meta sends a number).
    #[serde(default, deserialize_with = "opt_id")]
    pub app_id: Option<AppId>,
    /// For echoes, the `metadata` string the sender attached to the send call.
    #[serde(default)]
    pub metadata: Option<String>,
}
