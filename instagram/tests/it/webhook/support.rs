use std::path::PathBuf;

use metabiz_instagram::webhook::{self, WebhookPayload};
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

/// The normalized events of a fixture, as the JSON the contract promises. Both ways of
/// normalizing (copying and moving) must agree.
pub(crate) fn events_json(name: &str) -> Vec<Value> {
    let events =
        webhook::parse_events(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err:?}"));
    assert_eq!(payload(name).to_events(), events, "{name}");
    events
        .iter()
        .map(|event| serde_json::to_value(event).expect("events serialize"))
        .collect()
}

/// A whole normalized Instagram event: every key of the contract, `null` (or `[]`) unless
/// `fields` sets it. Setting a key the contract does not have is a test bug.
pub(crate) fn event(fields: Value) -> Value {
    let mut event = json!({
        "platform": "instagram",
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

/// The business account of the single-entry fixtures.
pub(crate) const ACCOUNT: &str = "17841400008460056";
/// The second account of the batch.
pub(crate) const ACCOUNT2: &str = "17841405793187218";
/// The person of the single-entry fixtures.
pub(crate) const IGSID: &str = "1254459154682919";
/// The person writing to the second account of the batch.
pub(crate) const IGSID2: &str = "7431089216604452";

/// An event about an item from [`IGSID`] to [`ACCOUNT`] of kind `kind`, plus `fields`.
pub(crate) fn from_user(kind: &str, fields: Value) -> Value {
    let mut all = json!({
        "kind": kind,
        "account_id": ACCOUNT,
        "sender_id": IGSID,
        "recipient_id": ACCOUNT,
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
    format!("aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDA4NDYwMDU2OjMzMDAw{n:04}ZDZD")
}

/// The CDN URL of media `asset` in the fixtures.
pub(crate) fn cdn(asset: &str) -> String {
    format!(
        "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id={asset}&signature=AbxVl9sQm2T5hJ4w_Rk0pYc3"
    )
}

/// The fixtures' base timestamp, in Unix milliseconds.
pub(crate) const T: i64 = 1_749_416_383_152;

/// Item `index` of `key` (`messaging`, `standby` or `changes`) of entry `entry` of a fixture,
/// as JSON.
pub(crate) fn item(name: &str, entry: usize, key: &str, index: usize) -> Value {
    let body: Value = serde_json::from_slice(&fixture(name)).unwrap();
    body["entry"][entry][key][index].clone()
}
