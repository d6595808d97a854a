//! The Messenger Platform webhook: the typed `page` payload and its conversion to
//! [`messaging_core::WebhookEvent`]s.
//!
//! Check the body's signature first (on the raw bytes), then parse it with
//! [`WebhookPayload::from_slice`] for the typed form or [`parse_events`] for normalized events.
//!
//! # Normalized events
//!
//! [`WebhookPayload::to_events`] yields the events of every entry in order: its `messaging[]`
//! items, then its `standby[]` items (threads another app owns, normalized the same way), then
//! its page `changes[]`. Every event has platform `messenger` and `account_id` set to the
//! entry's page id; `sender_id` and `recipient_id` are the item's `sender.id` and
//! `recipient.id` as given (`user_ref` when Meta sends no id), and `timestamp_ms` its
//! `timestamp`, already in milliseconds (`null` when it is not an integer).
//!
//! | item | kind | message id | content |
//! |---|---|---|---|
//! | `message` | `message` | `mid` | `text` exactly as sent, `reply_to` = `reply_to.mid`, attachments (below) |
//! | `message` with `is_echo` | `echo` | `mid` | as a message; sender is the page, recipient the person |
//! | `postback` | `postback` | `mid`, when sent | `text` = the button `title` |
//! | `read` | `read` | `null`: the watermark covers every earlier message | |
//! | `delivery` | `delivery`, **one event per `mids[]` entry**, or one event when Meta sends no `mids` | the delivered `mid`, or `null` | |
//! | `reaction` | `reaction` | the `mid` reacted to | `reaction` = the emoji, `""` on `unreact` |
//! | `message_edit` | `other` | the edited `mid` | `raw`: the item |
//! | `referral`, `optin`, `pass_thread_control`, `take_thread_control`, `request_thread_control`, `app_roles`, unknown items, items of an unexpected shape | `other` | | `raw`: the item |
//! | page `changes[]` item (such as `feed`) | `other` | | `raw`: the change; `sender_id`, `recipient_id` and `timestamp_ms` are `null` |
//!
//! Attachments become `{type, url, media_id}`: `image`, `video`, `audio`, `file`, `location`
//! and `fallback` keep their type; `reel`, `ig_reel`, `post`, `ig_post` and `share` become
//! `share`; any attachment with a `payload.sticker_id` is a `sticker`; `template` and types
//! this version does not know become `other`. `url` is `payload.url`, else the attachment's
//! own `url` (fallbacks); `media_id` is `payload.attachment_id`. While Meta sends a sticker
//! both as a `sticker` and as an `image` with the same `sticker_id` (until August 2026), the
//! image copy is dropped, so one sticker is one attachment.
//!
//! # Shape drift
//!
//! Meta adds fields and event types often, and sometimes reshapes one. Unknown keys are
//! skipped, unknown string values kept ([`AttachmentType::Unknown`] and the like), and an item
//! with no event key this version knows is [`MessagingEvent::Unknown`] with the whole item. So
//! is an item whose typed form cannot be read, such as one with a field of another type (a
//! handover `metadata` that is an object, `app_roles` whose roles are a string, a `watermark`
//! that is a boolean) or that is not even an object: it becomes an `other` event with its
//! JSON in `raw` (with its sender, recipient and timestamp where those have their usual
//! shape), and every other item of the batch is read as usual. `null` reads as absent, and an
//! `entry.time` of another shape as `None`.
//!
//! Only what the contract cannot do without fails a body: it is not JSON
//! ([`ErrorKind::InvalidJson`](crate::ErrorKind::InvalidJson)), its `object` is not `page`
//! ([`ErrorKind::UnexpectedObject`](crate::ErrorKind::UnexpectedObject)), or
//! ([`ErrorKind::InvalidPayload`](crate::ErrorKind::InvalidPayload)) an id that must be a
//! string is not (`entry[].id`, `sender.id`, `recipient.id`, and every `mid`: `message.mid`,
//! `message.reply_to.mid`, `postback.mid`, `reaction.mid`, `message_edit.mid`, each of
//! `delivery.mids`), since a number may already have lost digits; also when the body's frame
//! is not the webhook's (`entry`, `messaging`, `standby` or `changes` that is not an array, an
//! entry without its id) or an item to keep as JSON is nested deeper than a JSON tree holds
//! (128 levels).
//!
//! # Performance
//!
//! [`WebhookPayload::from_slice`] reads a body in one pass, each item straight into its typed
//! form with no intermediate tree or copy of its text. Only when some items are reported as
//! `other` is the body's text scanned a second time, to cut out those items' JSON and parse
//! just them into a `serde_json::Value` ([`Messaging::raw`]). Integer timestamps are kept
//! without allocating. A body with an item of an unexpected shape (or any error) takes a
//! general path that cuts every item out as raw JSON text first and then reads it, and that
//! gives the same result for every body the fast path reads; it is also the one that keeps a
//! misshapen item whole and reports errors. Figures are in the workspace's
//! `docs/PERFORMANCE.md`.

mod app_roles;
mod attachment;
mod attachment_payload;
mod attachment_type;
mod coordinates;
mod delivery;
mod entry;
mod item_fields;
mod lenient;
mod message;
mod message_edit;
mod messaging;
mod messaging_event;
mod normalize;
mod optin;
mod party;
mod pass_thread_control;
mod payload;
mod postback;
mod quick_reply;
mod reaction;
mod reaction_action;
mod reaction_kind;
mod read;
mod referral;
mod reply_to;
mod request_thread_control;
mod single_pass;
mod take_thread_control;
mod timestamp;

pub use app_roles::AppRoles;
pub use attachment::Attachment;
pub use attachment_payload::AttachmentPayload;
pub use attachment_type::AttachmentType;
pub use coordinates::Coordinates;
pub use delivery::Delivery;
pub use entry::Entry;
pub use message::Message;
pub use message_edit::MessageEdit;
pub use messaging::Messaging;
pub use messaging_event::MessagingEvent;
pub use optin::Optin;
pub use party::Party;
pub use pass_thread_control::PassThreadControl;
pub use payload::{OBJECT, WebhookPayload};
pub use postback::Postback;
pub use quick_reply::QuickReply;
pub use reaction::Reaction;
pub use reaction_action::ReactionAction;
pub use reaction_kind::ReactionKind;
pub use read::Read;
pub use referral::Referral;
pub use reply_to::ReplyTo;
pub use request_thread_control::RequestThreadControl;
pub use take_thread_control::TakeThreadControl;
pub use timestamp::Timestamp;

use messaging_core::WebhookEvent;

use crate::Error;

/// Parses a webhook body straight into normalized events: [`WebhookPayload::from_slice`]
/// followed by [`WebhookPayload::to_events`].
pub fn parse_events(body: &[u8]) -> Result<Vec<WebhookEvent>, Error> {
    WebhookPayload::from_slice(body).map(|payload| payload.to_events())
}
