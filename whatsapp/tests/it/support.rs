use std::path::PathBuf;

use metabiz_whatsapp::webhook::{self, WebhookPayload};
use serde_json::{Value, json};

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("reading {}: {err}", path.display()))
}

pub(crate) fn payload(name: &str) -> WebhookPayload {
    WebhookPayload::from_slice(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err:?}"))
}

/// The normalized events of a fixture, as the JSON the contract promises.
pub(crate) fn events_json(name: &str) -> Vec<Value> {
    let events =
        webhook::parse_events(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err:?}"));
    events
        .iter()
        .map(|event| serde_json::to_value(event).expect("events serialize"))
        .collect()
}

/// A whole normalized WhatsApp event: every key of the contract, `null` (or `[]`) unless
/// `fields` sets it. Setting a key the contract does not have is a test bug.
pub(crate) fn event(fields: Value) -> Value {
    let mut event = json!({
        "platform": "whatsapp",
        "kind": null,
        "account_id": null,
        "sender_id": null,
        "recipient_id": null,
        "message_id": null,
        "timestamp_ms": null,
        "text": null,
        "attachments": [],
        "reply_to": null,
        "status": null,
        "reaction": null,
        "raw": null
    });
    let keys: Vec<String> = fields
        .as_object()
        .expect("fields is an object")
        .keys()
        .cloned()
        .collect();
    for key in keys {
        assert!(
            event.get(&key).is_some(),
            "{key} is not part of the event contract"
        );
    }
    merge(&mut event, fields);
    event
}

/// The business phone number id of the single-change fixtures.
pub(crate) const PHONE_NUMBER_ID: &str = "106540352242922";
/// The user of the single-change fixtures.
pub(crate) const USER: &str = "16505551234";

/// An incoming message from [`USER`] to [`PHONE_NUMBER_ID`], plus `fields`.
pub(crate) fn message(fields: Value) -> Value {
    let mut all = json!({
        "kind": "message",
        "account_id": PHONE_NUMBER_ID,
        "sender_id": USER,
        "recipient_id": PHONE_NUMBER_ID,
    });
    merge(&mut all, fields);
    event(all)
}

/// Sets every key of the object `fields` on `target`.
pub(crate) fn merge(target: &mut Value, fields: Value) {
    let Value::Object(fields) = fields else {
        panic!("fields is not an object: {fields}")
    };
    for (key, value) in fields {
        target[key] = value;
    }
}
