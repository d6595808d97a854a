//! The WhatsApp Cloud API webhook: the typed `whatsapp_business_account` payload and its
//! conversion to [`messaging_core::WebhookEvent`]s.
//!
//! Check the body's signature first (on the raw bytes), then parse it with
//! [`WebhookPayload::from_slice`] for the typed form or [`parse_events`] for normalized events.
//!
//! # Normalized events
//!
//! [`WebhookPayload::to_events`] yields one event per item, in document order: entries, their
//! changes, and within a `messages` change the `messages`, then the `statuses`, then the
//! `errors`. Every event has platform `whatsapp` and, where the change names one, `account_id`
//! set to `metadata.phone_number_id`.
//!
//! | item | kind | ids | content |
//! |---|---|---|---|
//! | message | `message` | sender `from` (or `from_user_id` when Meta omits the number), recipient the phone number id, message id the wamid, `reply_to` = `context.id` | `text`: text body, media caption, button or list row title, quick-reply button text, Flow reply body, order note; attachments for media (`media_id`, and `url` when sent), documents (`file`), locations (`url` when sent) and contact cards |
//! | reaction message | `reaction` | as a message, but message id = the message reacted to | `reaction`: the emoji, `""` when removed |
//! | status `sent`, `delivered`, `read`, `failed` | `status` | sender the phone number id, recipient `recipient_id` (or `recipient_user_id`), message id the status `id` | `status` |
//! | other status (`played`, `deleted`, `warning`, new ones) | `other` | as a status | `raw`: the status object |
//! | `system`, `unsupported`, `request_welcome` and unknown messages | `other` | as a message | `raw`: the message object |
//! | `smb_message_echoes` item | `echo` (`reaction` for a reaction) | sender `from`, recipient `to` | as a message |
//! | `value.errors[]` item | `other` | | `raw`: the error object |
//! | any other change field | `other` | `timestamp_ms` from `entry.time` | `raw`: `{"field": …, "value": …}` |
//!
//! Timestamps become milliseconds; a timestamp that is not an integer becomes `null`.
//!
//! # Performance
//!
//! [`WebhookPayload::from_slice`] reads the common body, in which every change is a
//! `messages` or `smb_message_echoes` change, in one pass with no intermediate tree of
//! `serde_json::Value`s: a change's `value` comes before its `field`, so it is read with the
//! keys of both typed values and the field then picks one; each message is read straight into
//! its [`MessageContent`]. The body's text is kept, and [`Change::value_json`] cuts a value out
//! of it only when asked. Other bodies (other fields, unusual shapes, errors) take a general
//! path that first scans each value as raw JSON text and then parses it once, and that gives
//! the same result. Raw JSON of single items (for `other` events and
//! [`MessageContent::Unknown`]) is only extracted for the changes that contain such items.
//! Figures are in the workspace's `docs/PERFORMANCE.md`.

mod account_update;
mod button;
mod change;
mod change_field;
mod contact;
mod context;
mod entry;
mod interactive;
mod media;
mod message;
mod message_content;
mod message_status;
mod messages_value;
mod metadata;
mod normalize;
mod order;
mod payload;
mod pricing;
mod raw_body;
mod reaction;
mod referral;
mod reported_error;
mod single_pass;
mod status;
mod system;
mod template_updates;
mod text;
mod timestamp;
mod unsupported;

pub use account_update::{
    AccountUpdate, AccountUpdateEvent, BanInfo, BanState, ViolationInfo, WabaInfo,
};
pub use button::Button;
pub use change::{Change, ChangeValue};
pub use change_field::ChangeField;
pub use contact::{Contact, Profile};
pub use context::{Context, ReferredProduct};
pub use entry::Entry;
pub use interactive::{ButtonReply, Interactive, ListReply, NfmReply};
pub use media::Media;
pub use message::{Message, MessageEcho};
pub use message_content::MessageContent;
pub use message_status::MessageStatus;
pub use messages_value::{MessageEchoesValue, MessagesValue};
pub use metadata::Metadata;
pub use order::{Order, ProductItem};
pub use payload::{OBJECT, WebhookPayload};
pub use pricing::{Pricing, PricingCategory, PricingModel, PricingType};
pub use reaction::Reaction;
pub use referral::Referral;
pub use reported_error::{ErrorData, ReportedError};
pub use status::{Conversation, ConversationOrigin, Status};
pub use system::{System, SystemMessageType};
pub use template_updates::{
    TemplateCategoryUpdate, TemplateQualityUpdate, TemplateStatusEvent, TemplateStatusUpdate,
};
pub use text::Text;
pub use timestamp::Timestamp;
pub use unsupported::Unsupported;

use messaging_core::WebhookEvent;

use crate::Error;

/// Parses a webhook body straight into normalized events: [`WebhookPayload::from_slice`]
/// followed by [`WebhookPayload::to_events`].
pub fn parse_events(body: &[u8]) -> Result<Vec<WebhookEvent>, Error> {
    WebhookPayload::from_slice(body).map(|payload| payload.to_events())
}
