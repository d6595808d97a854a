//! Instagram Messaging webhooks: the typed `instagram` payload and its conversion to
//! [`messaging_core::WebhookEvent`]s.
//!
//! Check the body's signature first (on the raw bytes), then parse it with
//! [`WebhookPayload::from_slice`] for the typed form or [`parse_events`] for normalized events.
//!
//! ```
//! use messaging_core::EventKind;
//! use metabiz_instagram::webhook::{self, MessagingEvent, WebhookPayload};
//!
//! let body = br#"{"object":"instagram","entry":[{"id":"17841400008460056","time":1569262486134,"messaging":[{"sender":{"id":"1254459154682919"},"recipient":{"id":"17841400008460056"},"timestamp":1569262485349,"message":{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE","text":"Gr\u00fc\u00dfe! Is the blue one in stock?"}}]}]}"#;
//!
//! let events = webhook::parse_events(body)?;
//! assert_eq!(events.len(), 1);
//! assert_eq!(events[0].kind, EventKind::Message);
//! assert_eq!(events[0].account_id.as_deref(), Some("17841400008460056"));
//! assert_eq!(events[0].text.as_deref(), Some("Grüße! Is the blue one in stock?"));
//!
//! // The typed form keeps what the normalized events leave out.
//! let payload = WebhookPayload::from_slice(body)?;
//! let MessagingEvent::Message(message) = &payload.entry[0].messaging[0].event else {
//!     unreachable!()
//! };
//! assert!(!message.is_echo && message.reply_to.is_none());
//! # Ok::<(), metabiz_instagram::Error>(())
//! ```
//!
//! # Normalized events
//!
//! [`WebhookPayload::to_events`] yields the events of every entry in order: its `messaging[]`
//! items, then its `standby[]` items (threads another app owns, normalized the same way), then
//! its `changes[]`. Every event has platform `instagram` and `account_id` set to the entry's
//! account id; `sender_id` and `recipient_id` are the item's `sender.id` and `recipient.id` as
//! given, and `timestamp_ms` its `timestamp`, already in milliseconds (`null` when it is not an
//! integer).
//!
//! | item | kind | message id | content |
//! |---|---|---|---|
//! | `message` | `message` | `mid` | `text` exactly as sent, `reply_to` = `reply_to.mid`, attachments (below) |
//! | `message` with `is_echo` | `echo` | `mid` | as a message; sender is the business, recipient the person |
//! | `message` with `is_deleted` or `is_unsupported` | `other` | the `mid` | `raw`: the item |
//! | `postback` | `postback` | `mid` | `text` = the button or icebreaker `title` |
//! | `read` (`messaging_seen`) | `read` | the `mid` seen | |
//! | `reaction` | `reaction` | the `mid` reacted to | `reaction` = the emoji, `""` on `unreact` |
//! | `referral`, `pass_thread_control`, `take_thread_control`, `request_thread_control`, unknown items, items of an unexpected shape | `other` | | `raw`: the item |
//! | `changes[]` item (`comments`, `live_comments`, `mentions`, …) | `other` | | `raw`: the change; `sender_id`, `recipient_id` and `timestamp_ms` are `null` |
//!
//! A reply to one of the business's stories has `reply_to` `null`: a story is not a message.
//! The story's id and URL are in the typed [`Message::reply_to`].
//!
//! Attachments become `{type, url, media_id}`: `image`, `video`, `audio` and `file` keep their
//! type; `story_mention` is `story_mention`; `share`, `ig_reel`, `reel` and `ig_post` become
//! `share`; `ephemeral` (disappearing media) and types this version does not know become
//! `other`. `url` is `payload.url`; `media_id` is `null`. While Meta sends a shared post both
//! as a `share` and as an `ig_post` (until February 2026), the `share` copy is dropped, so one
//! post is one attachment.
//!
//! # Parsing
//!
//! The common body is read in one pass, straight into the typed items. Only the items
//! reported as `other` are cut out of the body a second time and parsed into a
//! `serde_json::Value`, so their JSON is kept with every key, known or not
//! ([`Messaging::raw`]). A body with an item of an unexpected shape is read item by item, so
//! that only that item becomes `other`.

mod attachment;
mod attachment_payload;
mod attachment_type;
mod change;
mod change_field;
mod entry;
mod item_fields;
mod lenient;
mod message;
mod messaging;
mod messaging_event;
mod normalize;
mod party;
mod payload;
mod postback;
mod product;
mod quick_reply;
mod reaction;
mod reaction_action;
mod reaction_kind;
mod read;
mod referral;
mod reply_to;
mod single_pass;
mod story;
mod thread_control;
mod timestamp;

pub use attachment::Attachment;
pub use attachment_payload::AttachmentPayload;
pub use attachment_type::AttachmentType;
pub use change::Change;
pub use change_field::ChangeField;
pub use entry::Entry;
pub use message::Message;
pub use messaging::Messaging;
pub use messaging_event::MessagingEvent;
pub use party::Party;
pub use payload::{OBJECT, WebhookPayload};
pub use postback::Postback;
pub use product::Product;
pub use quick_reply::QuickReply;
pub use reaction::Reaction;
pub use reaction_action::ReactionAction;
pub use reaction_kind::ReactionKind;
pub use read::Read;
pub use referral::Referral;
pub use reply_to::ReplyTo;
pub use story::Story;
pub use thread_control::ThreadControl;
pub use timestamp::Timestamp;

use messaging_core::WebhookEvent;

use crate::Error;

/// Parses a webhook body straight into normalized events: [`WebhookPayload::from_slice`]
/// followed by [`WebhookPayload::into_events`].
pub fn parse_events(body: &[u8]) -> Result<Vec<WebhookEvent>, Error> {
    WebhookPayload::from_slice(body).map(WebhookPayload::into_events)
}
