//! Conversion of the typed payload into `messaging_core` events.

use messaging_core::{Attachment, AttachmentKind, EventKind, PlatformKind, WebhookEvent};

use super::{AttachmentType, Message, Messaging, MessagingEvent, WebhookPayload};
use crate::Mid;

pub(super) fn into_events(payload: WebhookPayload) -> Vec<WebhookEvent> {
    // Events are a few hundred bytes each: size the vector once rather than copy it as it grows.
    let count = payload
        .entry
        .iter()
        .map(|entry| entry.messaging.len() + entry.standby.len() + entry.changes.len())
        .sum();
    let mut events = Vec::with_capacity(count);
    for entry in payload.entry {
        let account = entry.id.into_string();
        for item in entry.messaging.into_iter().chain(entry.standby) {
            events.push(item_event(&account, item));
        }
        for change in entry.changes {
            // No timestamp: `changes` entries may give `time` in seconds, messaging entries in
            // milliseconds, and nothing in the entry says which it is.
            let mut event = event(EventKind::Other, &account);
            event.raw = Some(change.into_json());
            events.push(event);
        }
    }
    events
}

fn event(kind: EventKind, account: &str) -> WebhookEvent {
    let mut event = WebhookEvent::new(PlatformKind::Instagram, kind);
    event.account_id = Some(account.to_owned());
    event
}

fn mid(mid: Option<Mid>) -> Option<String> {
    mid.map(Mid::into_string)
}

fn item_event(account: &str, mut item: Messaging) -> WebhookEvent {
    let raw = if item.keeps_raw() {
        item.take_raw()
    } else {
        None
    };
    let mut event = event(EventKind::Other, account);
    event.sender_id = item.sender.and_then(|party| party.id);
    event.recipient_id = item.recipient.and_then(|party| party.id);
    event.timestamp_ms = item
        .timestamp
        .as_ref()
        .and_then(super::Timestamp::unix_millis);
    event.raw = raw;

    match item.event {
        MessagingEvent::Message(message) => {
            if message.is_deleted || message.is_unsupported {
                // Reported as `other` with the item; the id says which message it is about.
                event.message_id = mid(message.mid);
            } else {
                event.kind = if message.is_echo {
                    EventKind::Echo
                } else {
                    EventKind::Message
                };
                apply_message(&mut event, message);
            }
        }
        MessagingEvent::Postback(postback) => {
            event.kind = EventKind::Postback;
            event.message_id = mid(postback.mid);
            event.text = postback.title;
        }
        MessagingEvent::Read(read) => {
            event.kind = EventKind::Read;
            event.message_id = mid(read.mid);
        }
        MessagingEvent::Reaction(reaction) => {
            event.kind = EventKind::Reaction;
            event.reaction = Some(if reaction.is_removed() {
                String::new()
            } else {
                reaction.emoji.unwrap_or_default()
            });
            event.message_id = mid(reaction.mid);
        }
        MessagingEvent::Referral(_)
        | MessagingEvent::PassThreadControl(_)
        | MessagingEvent::TakeThreadControl(_)
        | MessagingEvent::RequestThreadControl(_)
        | MessagingEvent::Unknown(_) => {}
    }
    event
}

fn apply_message(event: &mut WebhookEvent, message: Message) {
    event.message_id = mid(message.mid);
    event.text = message.text;
    // A story is not a message: a story reply's `reply_to` stays empty here, and the story's id
    // and URL stay in the typed model.
    event.reply_to = message.reply_to.and_then(|reply_to| mid(reply_to.mid));
    // While Meta moves post shares to `ig_post` (until February 2026), a shared post arrives
    // twice: as a `share` and as an `ig_post` of the same post. It is one share.
    let attachments = message.attachments;
    let duplicate: Vec<bool> = if attachments
        .iter()
        .any(|attachment| attachment.kind == AttachmentType::IgPost)
    {
        attachments
            .iter()
            .map(|attachment| {
                attachment.kind == AttachmentType::Share
                    && attachments.iter().any(|other| {
                        other.kind == AttachmentType::IgPost && same_post(attachment, other)
                    })
            })
            .collect()
    } else {
        Vec::new()
    };
    event.attachments.reserve(attachments.len());
    for (index, attachment) in attachments.into_iter().enumerate() {
        if duplicate.get(index).copied().unwrap_or(false) {
            continue;
        }
        let kind = match attachment.kind {
            AttachmentType::Image => AttachmentKind::Image,
            AttachmentType::Video => AttachmentKind::Video,
            AttachmentType::Audio => AttachmentKind::Audio,
            AttachmentType::File => AttachmentKind::File,
            AttachmentType::StoryMention => AttachmentKind::StoryMention,
            AttachmentType::Share
            | AttachmentType::IgReel
            | AttachmentType::Reel
            | AttachmentType::IgPost => AttachmentKind::Share,
            _ => AttachmentKind::Other,
        };
        let mut normalized = Attachment::new(kind);
        normalized.url = attachment.payload.and_then(|payload| payload.url);
        event.attachments.push(normalized);
    }
}

/// Two attachments name the same post: the same media id when both give one, else the same
/// URL.
fn same_post(share: &super::Attachment, post: &super::Attachment) -> bool {
    match (share.ig_post_media_id(), post.ig_post_media_id()) {
        (Some(share), Some(post)) => share == post,
        _ => share.url().is_some() && share.url() == post.url(),
    }
}
