use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Attachment, DeliveryStatus, PlatformKind};

/// What a [`WebhookEvent`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EventKind {
    /// A message from a user to the business.
    Message,
    /// A message the business sent, echoed back by Meta.
    Echo,
    /// A WhatsApp status update (sent, delivered, read, failed) for an outbound message.
    Status,
    /// A Messenger or Instagram read receipt.
    Read,
    /// A Messenger delivery receipt.
    Delivery,
    /// A reaction added to or removed from a message.
    Reaction,
    /// A button press (postback).
    Postback,
    /// A valid update this model does not describe; [`WebhookEvent::raw`] keeps its JSON.
    Other,
}

/// One normalized webhook event.
///
/// Its JSON form is a public contract, printed by `webhook-inspect` and stored and broadcast by
/// the reference server: every key is always present, `null` where a value does not exist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The platform that sent the webhook.
    pub platform: PlatformKind,
    /// What happened.
    pub kind: EventKind,
    /// The business side: WhatsApp `metadata.phone_number_id`, Messenger page id, Instagram
    /// account id.
    pub account_id: Option<String>,
    /// Who sent the message or caused the event.
    pub sender_id: Option<String>,
    /// Who the message or event was addressed to.
    pub recipient_id: Option<String>,
    /// The wamid or mid; for statuses, reactions, reads and deliveries the id of the message
    /// they refer to, when the payload gives one.
    pub message_id: Option<String>,
    /// When it happened, in Unix milliseconds.
    pub timestamp_ms: Option<i64>,
    /// The text, a media caption, the chosen button or list row title, or the postback title.
    /// Exactly as sent.
    pub text: Option<String>,
    /// Attachments, `[]` when none.
    pub attachments: Vec<Attachment>,
    /// The id of the message this one replies to.
    pub reply_to: Option<String>,
    /// For [`EventKind::Status`] events, the reported status.
    pub status: Option<DeliveryStatus>,
    /// For [`EventKind::Reaction`] events, the emoji; `""` when a reaction is removed.
    pub reaction: Option<String>,
    /// The item's original JSON, kept for [`EventKind::Other`] events so nothing is lost.
    pub raw: Option<Value>,
}

impl WebhookEvent {
    /// An event of `kind` from `platform` with every other field empty.
    pub fn new(platform: PlatformKind, kind: EventKind) -> Self {
        Self {
            platform,
            kind,
            account_id: None,
            sender_id: None,
            recipient_id: None,
            message_id: None,
            timestamp_ms: None,
            text: None,
            attachments: Vec::new(),
            reply_to: None,
            status: None,
            reaction: None,
            raw: None,
        }
    }

    /// A key that is the same for every delivery of this event and differs between events,
    /// for de-duplicating at-least-once webhooks; `None` when the event carries nothing that
    /// identifies it (including every [`EventKind::Other`] event).
    ///
    /// The key starts with the platform and a tag, then Meta's natural identifiers:
    ///
    /// | kind | key |
    /// |---|---|
    /// | message, echo | `platform:message:<mid or wamid>` (an echo is the business's own message, so it shares the message's key) |
    /// | status | `platform:status:<message id>:<status>` |
    /// | postback | `platform:postback:<mid>`, or `platform:postback:<account>:<sender>:<timestamp>` without a mid |
    /// | read, delivery | `platform:<kind>:<account>:<sender>:<message id>:<timestamp>` |
    /// | reaction | `platform:reaction:<account>:<sender>:<message id>:<emoji>:<timestamp>` |
    ///
    /// Reads, deliveries and reactions name the message they are about, so they carry their
    /// kind and sender and never collide with that message's own key; a reaction also carries
    /// its emoji and time, so reacting, removing and reacting again are three events. Parts a
    /// payload lacks are left empty; `:` and `%` inside parts are percent-encoded, so a `:`
    /// in the key always separates parts.
    pub fn dedup_key(&self) -> Option<String> {
        let account = self.account_id.as_deref().unwrap_or_default();
        let message_id = self.message_id.as_deref();
        let timestamp = self.timestamp_ms.map(|ms| ms.to_string());
        let tag = match self.kind {
            EventKind::Message | EventKind::Echo => "message",
            EventKind::Status => "status",
            EventKind::Postback => "postback",
            EventKind::Read => "read",
            EventKind::Delivery => "delivery",
            EventKind::Reaction => "reaction",
            EventKind::Other => return None,
        };
        let parts = match self.kind {
            EventKind::Message | EventKind::Echo => vec![message_id?],
            EventKind::Status => vec![message_id?, self.status?.as_str()],
            EventKind::Postback => match message_id {
                Some(mid) => vec![mid],
                None => vec![account, self.sender_id.as_deref()?, timestamp.as_deref()?],
            },
            // Reads, deliveries and reactions.
            _ => {
                if message_id.is_none() && timestamp.is_none() {
                    return None;
                }
                let mut parts = vec![
                    account,
                    self.sender_id.as_deref()?,
                    message_id.unwrap_or_default(),
                ];
                if self.kind == EventKind::Reaction {
                    parts.push(self.reaction.as_deref().unwrap_or_default());
                }
                parts.push(timestamp.as_deref().unwrap_or_default());
                parts
            }
        };

        let mut key = format!("{}:{tag}", self.platform);
        for part in parts {
            key.push(':');
            for ch in part.chars() {
                match ch {
                    '%' => key.push_str("%25"),
                    ':' => key.push_str("%3A"),
                    ch => key.push(ch),
                }
            }
        }
        Some(key)
    }
}
