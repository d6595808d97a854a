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
}
