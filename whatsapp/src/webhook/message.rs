use serde::Deserialize;
use serde_json::Value;

use super::interactive::WireInteractive;
use super::{
    Button, Context, Media, MessageContent, Order, Reaction, Referral, ReportedError, System, Text,
    Timestamp, Unsupported,
};
use crate::model::{ContactCard, Location};
use crate::{Bsuid, WaId, Wamid};

/// A message a WhatsApp user sent to the business (`value.messages[]`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// The sender's WhatsApp id (phone number). From 2026 it may be absent for users with a
    /// username: use [`Message::from_user_id`] then.
    pub from: Option<WaId>,
    /// The sender's business-scoped user id, sent from 2026.
    pub from_user_id: Option<Bsuid>,
    /// The message id; replies and reactions refer to it.
    pub id: Wamid,
    /// When the user sent it, in Unix seconds.
    pub timestamp: Option<Timestamp>,
    /// The message it replies to, forwarding flags, or the product asked about.
    pub context: Option<Context>,
    /// The ad the user came from, for the first message after a Click to WhatsApp ad.
    pub referral: Option<Referral>,
    /// The group the message was sent in, for group messages.
    pub group_id: Option<String>,
    /// Errors, for [`MessageContent::Unsupported`] messages.
    pub errors: Vec<ReportedError>,
    /// What the message carries.
    pub content: MessageContent,
}

/// A message the business sent from the WhatsApp Business app or a linked device, echoed to
/// the API (`value.message_echoes[]` of the `smb_message_echoes` field).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct MessageEcho {
    /// The business's display phone number.
    pub from: Option<String>,
    /// The user the business wrote to, as the business addressed them.
    pub to: Option<String>,
    /// The message id; status updates for it refer to it.
    pub id: Wamid,
    /// When it was sent, in Unix seconds.
    pub timestamp: Option<Timestamp>,
    /// The message it replies to, when it is a reply.
    pub context: Option<Context>,
    /// What the message carries.
    pub content: MessageContent,
}

/// A message object as sent: the content sits under the key named by `type`. Parsed in one
/// pass; the `raw` of `MessageContent::Unknown` is filled in afterwards by the caller, which holds
/// the raw JSON (see `change.rs`).
#[derive(Deserialize)]
pub(super) struct WireMessage {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    from_user_id: Option<Bsuid>,
    #[serde(default)]
    to: Option<String>,
    id: Wamid,
    #[serde(default)]
    timestamp: Option<Timestamp>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    context: Option<Context>,
    #[serde(default)]
    referral: Option<Referral>,
    #[serde(default)]
    group_id: Option<String>,
    #[serde(default)]
    errors: Vec<ReportedError>,
    #[serde(default)]
    text: Option<Text>,
    #[serde(default)]
    image: Option<Media>,
    #[serde(default)]
    audio: Option<Media>,
    #[serde(default)]
    video: Option<Media>,
    #[serde(default)]
    document: Option<Media>,
    #[serde(default)]
    sticker: Option<Media>,
    #[serde(default)]
    location: Option<Location>,
    #[serde(default)]
    contacts: Option<Vec<ContactCard>>,
    #[serde(default)]
    interactive: Option<WireInteractive>,
    #[serde(default)]
    button: Option<Button>,
    #[serde(default)]
    reaction: Option<Reaction>,
    #[serde(default)]
    order: Option<Order>,
    #[serde(default)]
    system: Option<System>,
    #[serde(default)]
    unsupported: Option<Unsupported>,
}

impl WireMessage {
    /// Picks the content named by `type`; anything else becomes `Unknown` with a `null` raw
    /// that the caller replaces.
    fn take_content(&mut self) -> MessageContent {
        let content = match self.kind.as_deref() {
            Some("text") => self.text.take().map(MessageContent::Text),
            Some("image") => self.image.take().map(MessageContent::Image),
            Some("audio") => self.audio.take().map(MessageContent::Audio),
            Some("video") => self.video.take().map(MessageContent::Video),
            Some("document") => self.document.take().map(MessageContent::Document),
            Some("sticker") => self.sticker.take().map(MessageContent::Sticker),
            Some("location") => self.location.take().map(MessageContent::Location),
            Some("contacts") => self.contacts.take().map(MessageContent::Contacts),
            Some("interactive") => self
                .interactive
                .take()
                .and_then(WireInteractive::into_interactive)
                .map(MessageContent::Interactive),
            Some("button") => self.button.take().map(MessageContent::Button),
            Some("reaction") => self.reaction.take().map(MessageContent::Reaction),
            Some("order") => self.order.take().map(MessageContent::Order),
            Some("system") => self.system.take().map(MessageContent::System),
            Some("unsupported") => Some(MessageContent::Unsupported(
                self.unsupported.take().unwrap_or(Unsupported {
                    unsupported_type: None,
                }),
            )),
            Some("request_welcome") => Some(MessageContent::RequestWelcome),
            _ => None,
        };
        content.unwrap_or_else(|| MessageContent::Unknown {
            message_type: self.kind.take().unwrap_or_default(),
            raw: Value::Null,
        })
    }

    pub(super) fn into_message(mut self) -> Message {
        let content = self.take_content();
        Message {
            from: self.from.map(WaId::from),
            from_user_id: self.from_user_id,
            id: self.id,
            timestamp: self.timestamp,
            context: self.context,
            referral: self.referral,
            group_id: self.group_id,
            errors: self.errors,
            content,
        }
    }

    pub(super) fn into_echo(mut self) -> MessageEcho {
        let content = self.take_content();
        MessageEcho {
            from: self.from,
            to: self.to,
            id: self.id,
            timestamp: self.timestamp,
            context: self.context,
            content,
        }
    }
}
