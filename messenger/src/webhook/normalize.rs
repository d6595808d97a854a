//! Conversion of the typed payload into `messaging_core` events.

use messaging_core::{Attachment, AttachmentKind, EventKind, PlatformKind, WebhookEvent};

use super::{AttachmentType, Entry, Message, Messaging, MessagingEvent, WebhookPayload};
use crate::Mid;

pub(super) fn push_events(payload: &WebhookPayload, events: &mut Vec<WebhookEvent>) {
    // Events are a few hundred bytes each: size the vector once rather than copy it as it grows.
    let count = payload
        .entry
        .iter()
        .map(|entry| {
            entry
                .messaging
                .iter()
                .chain(&entry.standby)
                .map(|item| match &item.event {
                    MessagingEvent::Delivery(delivery) => delivery.mids.len().max(1),
                    _ => 1,
                })
                .sum::<usize>()
                + entry.changes.len()
        })
        .sum();
    events.reserve(count);
    for entry in &payload.entry {
        for item in entry.messaging.iter().chain(&entry.standby) {
            push_item_events(entry, item, events);
        }
        for change in &entry.changes {
            // No timestamp: page `changes` entries give `time` in seconds, messaging entries in
            // milliseconds, and nothing in the entry says which it is.
            let mut event = event(EventKind::Other, entry);
            event.raw = Some(change.clone());
            events.push(event);
        }
    }
}

fn event(kind: EventKind, entry: &Entry) -> WebhookEvent {
    let mut event = WebhookEvent::new(PlatformKind::Messenger, kind);
    event.account_id = Some(entry.id.as_str().to_owned());
    event
}

fn push_item_events(entry: &Entry, item: &Messaging, events: &mut Vec<WebhookEvent>) {
    let mut base = event(EventKind::Other, entry);
    base.sender_id = item
        .sender
        .as_ref()
        .and_then(|party| party.id_or_user_ref())
        .map(str::to_owned);
    base.recipient_id = item
        .recipient
        .as_ref()
        .and_then(|party| party.id_or_user_ref())
        .map(str::to_owned);
    base.timestamp_ms = item
        .timestamp
        .as_ref()
        .and_then(super::Timestamp::unix_millis);

    match &item.event {
        MessagingEvent::Message(message) => {
            base.kind = if message.is_echo {
                EventKind::Echo
            } else {
                EventKind::Message
            };
            apply_message(&mut base, message);
            events.push(base);
        }
        MessagingEvent::Postback(postback) => {
            base.kind = EventKind::Postback;
            base.message_id = mid(postback.mid.as_ref());
            base.text.clone_from(&postback.title);
            events.push(base);
        }
        MessagingEvent::Read(_) => {
            // A read receipt names no message: its watermark covers everything before it.
            base.kind = EventKind::Read;
            events.push(base);
        }
        MessagingEvent::Delivery(delivery) => {
            base.kind = EventKind::Delivery;
            if let Some((last, rest)) = delivery.mids.split_last() {
                for id in rest {
                    let mut event = base.clone();
                    event.message_id = Some(id.as_str().to_owned());
                    events.push(event);
                }
                base.message_id = Some(last.as_str().to_owned());
            }
            events.push(base);
        }
        MessagingEvent::Reaction(reaction) => {
            base.kind = EventKind::Reaction;
            base.message_id = mid(reaction.mid.as_ref());
            base.reaction = Some(if reaction.is_removed() {
                String::new()
            } else {
                reaction.emoji.clone().unwrap_or_default()
            });
            events.push(base);
        }
        MessagingEvent::MessageEdit(edit) => {
            // The edit is about the edited message; the event keeps the item for its new text.
            base.message_id = mid(edit.mid.as_ref());
            base.raw = item.raw().cloned();
            events.push(base);
        }
        MessagingEvent::Referral(_)
        | MessagingEvent::Optin(_)
        | MessagingEvent::PassThreadControl(_)
        | MessagingEvent::TakeThreadControl(_)
        | MessagingEvent::RequestThreadControl(_)
        | MessagingEvent::AppRoles(_)
        | MessagingEvent::Unknown(_) => {
            base.raw = item.raw().cloned();
            events.push(base);
        }
    }
}

fn mid(mid: Option<&Mid>) -> Option<String> {
    mid.map(|mid| mid.as_str().to_owned())
}

fn apply_message(event: &mut WebhookEvent, message: &Message) {
    event.message_id = mid(message.mid.as_ref());
    event.text.clone_from(&message.text);
    event.reply_to = message
        .reply_to
        .as_ref()
        .and_then(|reply_to| mid(reply_to.mid.as_ref()));
    event.attachments.reserve(message.attachments.len());
    for attachment in &message.attachments {
        // While Meta moves stickers to their own type, a sticker arrives twice: as a `sticker`
        // and as an `image` with the same `sticker_id`. It is one sticker.
        if attachment.kind == AttachmentType::Image
            && attachment.sticker_id().is_some_and(|sticker| {
                message.attachments.iter().any(|other| {
                    other.kind == AttachmentType::Sticker && other.sticker_id() == Some(sticker)
                })
            })
        {
            continue;
        }
        let kind = if attachment.sticker_id().is_some() {
            AttachmentKind::Sticker
        } else {
            match attachment.kind {
                AttachmentType::Image => AttachmentKind::Image,
                AttachmentType::Video => AttachmentKind::Video,
                AttachmentType::Audio => AttachmentKind::Audio,
                AttachmentType::File => AttachmentKind::File,
                AttachmentType::Sticker => AttachmentKind::Sticker,
                AttachmentType::Location => AttachmentKind::Location,
                AttachmentType::Fallback => AttachmentKind::Fallback,
                AttachmentType::Reel
                | AttachmentType::IgReel
                | AttachmentType::Post
                | AttachmentType::IgPost
                | AttachmentType::Share => AttachmentKind::Share,
                _ => AttachmentKind::Other,
            }
        };
        let mut normalized = Attachment::new(kind);
        normalized.url = attachment.any_url().map(str::to_owned);
        normalized.media_id = attachment
            .payload
            .as_ref()
            .and_then(|payload| payload.attachment_id.as_ref())
            .map(|id| id.as_str().to_owned());
        event.attachments.push(normalized);
    }
}
