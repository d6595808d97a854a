use messaging_core::{
    Attachment, AttachmentKind, DeliveryStatus, EventKind, PlatformKind, WebhookEvent,
};
use serde_json::{Value, json};

use crate::fixture;

/// The keys of the public JSON contract, listed independently of the Rust struct.
const CONTRACT_KEYS: [&str; 13] = [
    "platform",
    "kind",
    "account_id",
    "sender_id",
    "recipient_id",
    "message_id",
    "timestamp_ms",
    "text",
    "attachments",
    "reply_to",
    "status",
    "reaction",
    "raw",
];

const PHONE_NUMBER_ID: &str = "106540352242922";
const WA_ID: &str = "16505551234";

fn whatsapp_image_reply() -> WebhookEvent {
    let mut event = WebhookEvent::new(PlatformKind::WhatsApp, EventKind::Message);
    event.account_id = Some(PHONE_NUMBER_ID.into());
    event.sender_id = Some(WA_ID.into());
    event.recipient_id = Some(PHONE_NUMBER_ID.into());
    event.message_id =
        Some("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTJBRDY3RjY5MDk0MTkxMDM4MQA=".into());
    event.timestamp_ms = Some(1_700_000_000_000);
    event.text = Some("Is this one in stock? ¿Hay stock? 👟".into());
    event.attachments =
        vec![Attachment::new(AttachmentKind::Image).with_media_id("1104480873777230")];
    event.reply_to = Some("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1RjQ0QzM3NjM5RDA4MjQ3RjUA".into());
    event
}

fn whatsapp_status_read() -> WebhookEvent {
    let mut event = WebhookEvent::new(PlatformKind::WhatsApp, EventKind::Status);
    event.account_id = Some(PHONE_NUMBER_ID.into());
    event.recipient_id = Some(WA_ID.into());
    event.message_id = Some("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA".into());
    event.timestamp_ms = Some(1_700_000_123_000);
    event.status = Some(DeliveryStatus::Read);
    event
}

fn messenger_unknown_item() -> WebhookEvent {
    let mut event = WebhookEvent::new(PlatformKind::Messenger, EventKind::Other);
    event.account_id = Some("1234567890".into());
    event.sender_id = Some("6789012345678901".into());
    event.recipient_id = Some("1234567890".into());
    event.timestamp_ms = Some(1_700_000_200_000);
    // Keys in sorted order, so the text is the same whether or not serde_json keeps insertion
    // order (its `preserve_order` feature may be on elsewhere in the workspace).
    event.raw = Some(json!({
        "message_edit": {
            "mid": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P",
            "num_edit": 1,
            "text": "see you at 6pm"
        },
        "recipient": { "id": "1234567890" },
        "sender": { "id": "6789012345678901" },
        "timestamp": 1_700_000_200_000_i64
    }));
    event
}

fn golden_cases() -> [(&'static str, WebhookEvent); 3] {
    [
        ("event_whatsapp_image_reply.json", whatsapp_image_reply()),
        ("event_whatsapp_status_read.json", whatsapp_status_read()),
        ("event_messenger_other.json", messenger_unknown_item()),
    ]
}

#[test]
fn json_form_matches_the_golden_files() {
    for (file, event) in golden_cases() {
        let json = serde_json::to_string_pretty(&event).unwrap();
        assert_eq!(json, fixture(file).trim_end(), "{file}");
    }
}

#[test]
fn golden_files_round_trip() {
    for (file, event) in golden_cases() {
        let parsed: WebhookEvent = serde_json::from_str(&fixture(file)).unwrap();
        assert_eq!(parsed, event, "{file}");
        let again = serde_json::to_string_pretty(&parsed).unwrap();
        assert_eq!(again, fixture(file).trim_end(), "{file}");
    }
}

#[test]
fn every_contract_key_is_present_and_null_where_absent() {
    for kind in [EventKind::Message, EventKind::Status, EventKind::Other] {
        let bare = serde_json::to_value(WebhookEvent::new(PlatformKind::Instagram, kind)).unwrap();
        let Value::Object(object) = bare else {
            panic!("an event is a JSON object");
        };
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected = CONTRACT_KEYS;
        expected.sort_unstable();
        assert_eq!(keys, expected);
        for (key, value) in &object {
            match key.as_str() {
                "platform" => assert_eq!(value, "instagram"),
                "kind" => assert_eq!(value, &serde_json::to_value(kind).unwrap()),
                "attachments" => assert_eq!(value, &json!([])),
                _ => assert!(value.is_null(), "{key} should be null, is {value}"),
            }
        }
    }
}

#[test]
fn contract_enum_names() {
    let kinds = [
        (EventKind::Message, "message"),
        (EventKind::Echo, "echo"),
        (EventKind::Status, "status"),
        (EventKind::Read, "read"),
        (EventKind::Delivery, "delivery"),
        (EventKind::Reaction, "reaction"),
        (EventKind::Postback, "postback"),
        (EventKind::Other, "other"),
    ];
    for (kind, name) in kinds {
        assert_eq!(serde_json::to_value(kind).unwrap(), name);
    }
    let attachment_kinds = [
        (AttachmentKind::Image, "image"),
        (AttachmentKind::Video, "video"),
        (AttachmentKind::Audio, "audio"),
        (AttachmentKind::File, "file"),
        (AttachmentKind::Sticker, "sticker"),
        (AttachmentKind::Location, "location"),
        (AttachmentKind::Contacts, "contacts"),
        (AttachmentKind::Share, "share"),
        (AttachmentKind::StoryMention, "story_mention"),
        (AttachmentKind::Fallback, "fallback"),
        (AttachmentKind::Other, "other"),
    ];
    for (kind, name) in attachment_kinds {
        assert_eq!(serde_json::to_value(kind).unwrap(), name);
    }
    for platform in PlatformKind::ALL {
        assert_eq!(serde_json::to_value(platform).unwrap(), platform.as_str());
    }
}

fn messenger(kind: EventKind) -> WebhookEvent {
    let mut event = WebhookEvent::new(PlatformKind::Messenger, kind);
    event.account_id = Some("1234567890".into());
    event.sender_id = Some("6789012345678901".into());
    event.recipient_id = Some("1234567890".into());
    event.timestamp_ms = Some(1_458_668_856_463);
    event
}

const MID: &str = "mid.1457764197618:41d102a3e1ae206a38";

#[test]
fn messages_are_keyed_by_their_mid_or_wamid() {
    let mut message = messenger(EventKind::Message);
    message.message_id = Some(MID.into());
    assert_eq!(
        message.dedup_key().as_deref(),
        Some("messenger:message:mid.1457764197618%3A41d102a3e1ae206a38"),
    );

    // A redelivery with a later receive time is still the same message.
    let mut redelivered = message.clone();
    redelivered.timestamp_ms = Some(1_458_668_999_999);
    assert_eq!(redelivered.dedup_key(), message.dedup_key());

    // The echo of the business's own message is that message.
    let mut echo = messenger(EventKind::Echo);
    echo.message_id = Some(MID.into());
    assert_eq!(echo.dedup_key(), message.dedup_key());

    // The same id on another platform is another message.
    let mut instagram = message.clone();
    instagram.platform = PlatformKind::Instagram;
    assert_ne!(instagram.dedup_key(), message.dedup_key());

    assert_eq!(
        whatsapp_image_reply().dedup_key().as_deref(),
        Some("whatsapp:message:wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTJBRDY3RjY5MDk0MTkxMDM4MQA="),
    );
}

#[test]
fn statuses_are_keyed_by_message_and_status() {
    let read = whatsapp_status_read();
    let mut delivered = read.clone();
    delivered.status = Some(DeliveryStatus::Delivered);
    let mut read_again = read.clone();
    read_again.timestamp_ms = Some(1_700_000_999_000);

    assert_eq!(
        read.dedup_key().as_deref(),
        Some("whatsapp:status:wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA:read"),
    );
    assert_ne!(read.dedup_key(), delivered.dedup_key());
    assert_eq!(read.dedup_key(), read_again.dedup_key());

    let mut message = read.clone();
    message.kind = EventKind::Message;
    assert_ne!(read.dedup_key(), message.dedup_key());

    let mut no_status = read;
    no_status.status = None;
    assert_eq!(no_status.dedup_key(), None);
}

#[test]
fn reactions_and_receipts_do_not_collide_with_the_message() {
    let mut message = messenger(EventKind::Message);
    message.message_id = Some(MID.into());

    let mut reaction = messenger(EventKind::Reaction);
    reaction.message_id = Some(MID.into());
    reaction.reaction = Some("\u{2764}\u{FE0F}".into());
    let mut unreact = reaction.clone();
    unreact.reaction = Some(String::new());
    unreact.timestamp_ms = Some(1_458_668_900_000);

    let mut read = messenger(EventKind::Read);
    read.message_id = Some(MID.into());
    let mut delivery = messenger(EventKind::Delivery);
    delivery.message_id = Some(MID.into());

    let keys = [&message, &reaction, &unreact, &read, &delivery].map(|event| {
        event
            .dedup_key()
            .unwrap_or_else(|| panic!("{:?} has a key", event.kind))
    });
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            assert_ne!(a, b);
        }
    }

    // Another person reacting to the same message is another event.
    let mut other_sender = reaction.clone();
    other_sender.sender_id = Some("7890123456789012".into());
    assert_ne!(other_sender.dedup_key(), reaction.dedup_key());

    // A redelivered reaction keeps its key.
    assert_eq!(reaction.clone().dedup_key(), reaction.dedup_key());
}

#[test]
fn watermark_reads_without_mid_are_keyed_by_sender_and_time() {
    let read = messenger(EventKind::Read);
    assert_eq!(
        read.dedup_key().as_deref(),
        Some("messenger:read:1234567890:6789012345678901::1458668856463"),
    );
    let mut later = read.clone();
    later.timestamp_ms = Some(1_458_668_900_000);
    assert_ne!(read.dedup_key(), later.dedup_key());

    let mut nothing = read;
    nothing.timestamp_ms = None;
    assert_eq!(nothing.dedup_key(), None);
}

#[test]
fn postbacks_use_their_mid_when_present() {
    let mut with_mid = messenger(EventKind::Postback);
    with_mid.message_id = Some("m_postback".into());
    assert_eq!(
        with_mid.dedup_key().as_deref(),
        Some("messenger:postback:m_postback")
    );

    let without_mid = messenger(EventKind::Postback);
    assert_eq!(
        without_mid.dedup_key().as_deref(),
        Some("messenger:postback:1234567890:6789012345678901:1458668856463"),
    );
}

#[test]
fn events_without_identity_have_no_key() {
    assert_eq!(messenger_unknown_item().dedup_key(), None);
    assert_eq!(messenger(EventKind::Message).dedup_key(), None);
    let mut anonymous = messenger(EventKind::Reaction);
    anonymous.sender_id = None;
    anonymous.message_id = Some(MID.into());
    assert_eq!(anonymous.dedup_key(), None);
}
