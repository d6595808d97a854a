use std::path::PathBuf;

use metabiz_messenger::webhook::{self, WebhookPayload};
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

/// A whole normalized Messenger event: every key of the contract, `null` (or `[]`) unless
/// `fields` sets it. Setting a key the contract does not have is a test bug.
pub(crate) fn event(fields: Value) -> Value {
    let mut event = json!({
        "platform": "messenger",
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
    let Value::Object(fields) = fields else {
        panic!("fields is not an object: {fields}")
    };
    for (key, value) in fields {
        assert!(
            event.get(&key).is_some(),
            "{key} is not part of the event contract"
        );
        event[key] = value;
    }
    event
}

/// The page of the single-entry fixtures.
pub(crate) const PAGE: &str = "104518592379221";
/// The person of the single-entry fixtures.
pub(crate) const PSID: &str = "6984522158234812";

/// An event about an item from [`PSID`] to [`PAGE`] of kind `kind`, plus `fields`.
pub(crate) fn from_user(kind: &str, fields: Value) -> Value {
    let mut all = json!({
        "kind": kind,
        "account_id": PAGE,
        "sender_id": PSID,
        "recipient_id": PAGE,
    });
    let Value::Object(fields) = fields else {
        panic!("fields is not an object: {fields}")
    };
    for (key, value) in fields {
        all[key] = value;
    }
    event(all)
}

/// The `mid` numbered `n` in the fixtures.
pub(crate) fn mid(n: u32) -> String {
    format!(
        "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3r{n:04}"
    )
}

/// The fixtures' base timestamp, in Unix milliseconds.
pub(crate) const T: i64 = 1_749_416_383_152;
