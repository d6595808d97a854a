//! Conversion of the typed payload into `messaging_core` events.

use messaging_core::{
    Attachment, AttachmentKind, DeliveryStatus, EventKind, PlatformKind, WebhookEvent,
};
use serde_json::{Value, json};

use super::change::RawItems;
use super::{
    Change, ChangeValue, Entry, Interactive, Media, MessageContent, MessageStatus, Status,
    Timestamp, WebhookPayload,
};
use crate::{Bsuid, WaId};

pub(super) fn push_events(payload: &WebhookPayload, events: &mut Vec<WebhookEvent>) {
    // Events are a few hundred bytes each: size the vector once rather than copy it as it grows.
    let count = payload
        .entry
        .iter()
        .flat_map(|entry| &entry.changes)
        .map(|change| match &change.value {
            ChangeValue::Messages(value) => {
                value.messages.len() + value.statuses.len() + value.errors.len()
            }
            ChangeValue::MessageEchoes(value) => value.message_echoes.len(),
            _ => 1,
        })
        .sum();
    events.reserve(count);
    for entry in &payload.entry {
        for change in &entry.changes {
            push_change_events(entry, change, events);
        }
    }
}

fn push_change_events(entry: &Entry, change: &Change, events: &mut Vec<WebhookEvent>) {
    let mut raws = LazyRawItems {
        change,
        items: None,
    };
    match &change.value {
        ChangeValue::Messages(value) => {
            let account = value.metadata.as_ref().map(|m| m.phone_number_id.as_str());
            for (index, message) in value.messages.iter().enumerate() {
                let mut event = event(EventKind::Message, account);
                event.sender_id = message
                    .from
                    .as_ref()
                    .map(WaId::as_str)
                    .or_else(|| message.from_user_id.as_ref().map(Bsuid::as_str))
                    .map(str::to_owned);
                event.recipient_id = account.map(str::to_owned);
                event.message_id = Some(message.id.as_str().to_owned());
                event.timestamp_ms = millis(message.timestamp.as_ref());
                event.reply_to = message
                    .context
                    .as_ref()
                    .and_then(|context| context.id.as_ref())
                    .map(|id| id.as_str().to_owned());
                apply_content(&mut event, &message.content, || {
                    raws.get(RawArray::Messages, index)
                });
                events.push(event);
            }
            for (index, status) in value.statuses.iter().enumerate() {
                events.push(status_event(status, account, || {
                    raws.get(RawArray::Statuses, index)
                }));
            }
            for index in 0..value.errors.len() {
                let mut event = event(EventKind::Other, account);
                event.raw = raws.get(RawArray::Errors, index);
                events.push(event);
            }
        }
        ChangeValue::MessageEchoes(value) => {
            let account = value.metadata.as_ref().map(|m| m.phone_number_id.as_str());
            for (index, echo) in value.message_echoes.iter().enumerate() {
                let mut event = event(EventKind::Echo, account);
                event.sender_id.clone_from(&echo.from);
                event.recipient_id.clone_from(&echo.to);
                event.message_id = Some(echo.id.as_str().to_owned());
                event.timestamp_ms = millis(echo.timestamp.as_ref());
                event.reply_to = echo
                    .context
                    .as_ref()
                    .and_then(|context| context.id.as_ref())
                    .map(|id| id.as_str().to_owned());
                apply_content(&mut event, &echo.content, || {
                    raws.get(RawArray::MessageEchoes, index)
                });
                events.push(event);
            }
        }
        ChangeValue::Other(value) => push_other(entry, change, value, events),
        // Typed for the typed model's users; in the normalized model they are `other` events
        // carrying the value exactly as sent.
        ChangeValue::TemplateStatusUpdate(_)
        | ChangeValue::TemplateQualityUpdate(_)
        | ChangeValue::TemplateCategoryUpdate(_)
        | ChangeValue::AccountUpdate(_) => {
            let value = serde_json::from_str(change.value_json()).unwrap_or(Value::Null);
            push_other(entry, change, &value, events);
        }
    }
}

fn push_other(entry: &Entry, change: &Change, value: &Value, events: &mut Vec<WebhookEvent>) {
    let account = value
        .get("metadata")
        .and_then(|metadata| metadata.get("phone_number_id"))
        .and_then(Value::as_str);
    let mut event = event(EventKind::Other, account);
    event.timestamp_ms = millis(entry.time.as_ref());
    // The event has no key for the field, so the raw JSON carries it.
    event.raw = Some(json!({ "field": change.field.as_str(), "value": value }));
    events.push(event);
}

fn event(kind: EventKind, account: Option<&str>) -> WebhookEvent {
    let mut event = WebhookEvent::new(PlatformKind::WhatsApp, kind);
    event.account_id = account.map(str::to_owned);
    event
}

fn millis(timestamp: Option<&Timestamp>) -> Option<i64> {
    timestamp.and_then(Timestamp::unix_millis)
}

fn status_event(
    status: &Status,
    account: Option<&str>,
    raw: impl FnOnce() -> Option<Value>,
) -> WebhookEvent {
    let delivery = match status.status {
        MessageStatus::Sent => Some(DeliveryStatus::Sent),
        MessageStatus::Delivered => Some(DeliveryStatus::Delivered),
        MessageStatus::Read => Some(DeliveryStatus::Read),
        MessageStatus::Failed => Some(DeliveryStatus::Failed),
        _ => None,
    };
    let mut event = event(EventKind::Status, account);
    // The business sent the message this status is about.
    event.sender_id = account.map(str::to_owned);
    event.recipient_id = status
        .recipient_id
        .as_deref()
        .or_else(|| status.recipient_user_id.as_ref().map(Bsuid::as_str))
        .map(str::to_owned);
    event.message_id = Some(status.id.as_str().to_owned());
    event.timestamp_ms = millis(status.timestamp.as_ref());
    event.status = delivery;
    if delivery.is_none() {
        event.kind = EventKind::Other;
        event.raw = raw();
    }
    event
}

/// Sets text, attachments and reaction from the content; content the normalized model cannot
/// describe turns the event into [`EventKind::Other`] with the item's raw JSON.
fn apply_content(
    event: &mut WebhookEvent,
    content: &MessageContent,
    raw: impl FnOnce() -> Option<Value>,
) {
    match content {
        MessageContent::Text(text) => event.text = Some(text.body.clone()),
        MessageContent::Image(media) => set_media(event, AttachmentKind::Image, media),
        MessageContent::Audio(media) => set_media(event, AttachmentKind::Audio, media),
        MessageContent::Video(media) => set_media(event, AttachmentKind::Video, media),
        MessageContent::Document(media) => set_media(event, AttachmentKind::File, media),
        MessageContent::Sticker(media) => set_media(event, AttachmentKind::Sticker, media),
        MessageContent::Location(location) => {
            let mut attachment = Attachment::new(AttachmentKind::Location);
            attachment.url.clone_from(&location.url);
            event.attachments.push(attachment);
        }
        MessageContent::Contacts(_) => {
            event
                .attachments
                .push(Attachment::new(AttachmentKind::Contacts));
        }
        MessageContent::Interactive(interactive) => {
            event.text = match interactive {
                Interactive::ButtonReply(reply) => Some(reply.title.clone()),
                Interactive::ListReply(reply) => Some(reply.title.clone()),
                Interactive::NfmReply(reply) => reply.body.clone(),
            };
        }
        MessageContent::Button(button) => event.text = Some(button.text.clone()),
        MessageContent::Order(order) => event.text.clone_from(&order.text),
        MessageContent::Reaction(reaction) => {
            event.kind = EventKind::Reaction;
            // The event is about the message reacted to, as for statuses.
            event.message_id = Some(reaction.message_id.as_str().to_owned());
            event.reaction = Some(reaction.emoji.clone().unwrap_or_default());
        }
        MessageContent::Unknown { raw: known, .. } => {
            event.kind = EventKind::Other;
            event.raw = Some(known.clone());
        }
        MessageContent::System(_)
        | MessageContent::Unsupported(_)
        | MessageContent::RequestWelcome => {
            event.kind = EventKind::Other;
            event.raw = raw();
        }
    }
}

fn set_media(event: &mut WebhookEvent, kind: AttachmentKind, media: &Media) {
    let mut attachment = Attachment::new(kind);
    attachment.url.clone_from(&media.url);
    attachment.media_id = media.id.as_ref().map(|id| id.as_str().to_owned());
    event.attachments.push(attachment);
    event.text.clone_from(&media.caption);
}

#[derive(Clone, Copy)]
enum RawArray {
    Messages,
    Statuses,
    Errors,
    MessageEchoes,
}

/// The raw items of one change, split out only when the first item needs its JSON.
struct LazyRawItems<'a> {
    change: &'a Change,
    items: Option<RawItems<'a>>,
}

impl LazyRawItems<'_> {
    fn get(&mut self, array: RawArray, index: usize) -> Option<Value> {
        let change = self.change;
        let items = self.items.get_or_insert_with(|| change.raw_items());
        let list = match array {
            RawArray::Messages => &items.messages,
            RawArray::Statuses => &items.statuses,
            RawArray::Errors => &items.errors,
            RawArray::MessageEchoes => &items.message_echoes,
        };
        serde_json::from_str(list.get(index)?.get()).ok()
    }
}
