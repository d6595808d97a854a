use serde::Deserialize;

use super::{Attachment, QuickReply, Referral, ReplyTo};
use crate::Mid;

/// A message (`message`, webhook field `messages`): from a person to the business, or, when
/// [`is_echo`](Message::is_echo) is set, an echo of a message the business sent.
///
/// The same field also reports a person deleting a message ([`is_deleted`](Message::is_deleted))
/// and media Meta cannot deliver ([`is_unsupported`](Message::is_unsupported)).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// The message id.
    #[serde(default)]
    pub mid: Option<Mid>,
    /// The text, exactly as sent.
    #[serde(default)]
    pub text: Option<String>,
    /// Media, shares and story mentions, in the order Meta sent them.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub attachments: Vec<Attachment>,
    /// The message or story this one replies to.
    #[serde(default)]
    pub reply_to: Option<ReplyTo>,
    /// The quick reply the person tapped to send this message.
    #[serde(default)]
    pub quick_reply: Option<QuickReply>,
    /// The ad or Instagram Shops product the person wrote from.
    #[serde(default)]
    pub referral: Option<Referral>,
    /// The business sent this message; sender and recipient are swapped.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub is_echo: bool,
    /// The person deleted the message `mid`.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub is_deleted: bool,
    /// The person sent media Meta does not deliver to apps.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub is_unsupported: bool,
}
