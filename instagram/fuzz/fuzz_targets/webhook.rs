//! Arbitrary webhook bodies: `WebhookPayload::from_slice`, both normalizations and serializing
//! the events never panic; whatever `from_slice` accepts is JSON with `"object": "instagram"`;
//! every item that keeps its JSON keeps exactly the item of the body; every item and change
//! yields one event, `other` exactly when it keeps its JSON; copying and moving normalization
//! agree; and the events' JSON reads back as the same events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use messaging_core::{EventKind, WebhookEvent};
use metabiz_instagram::webhook::{OBJECT, WebhookPayload, parse_events};
use serde::de::IgnoredAny;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(payload) = WebhookPayload::from_slice(data) else {
        assert!(parse_events(data).is_err(), "the two entry points disagree");
        return;
    };
    let Some(body) = read_accepted(data) else {
        let _ = serde_json::to_vec(&payload.to_events()).expect("events serialize");
        return;
    };
    assert_eq!(body["object"], OBJECT);

    let mut expected = 0;
    for (entry_index, entry) in payload.entry.iter().enumerate() {
        for (key, items) in [("messaging", &entry.messaging), ("standby", &entry.standby)] {
            for (index, item) in items.iter().enumerate() {
                if let Some(raw) = item.raw() {
                    // The kept JSON is the item's own text read again, so it must be the same
                    // tree as the whole body's at that place.
                    assert_eq!(raw, &body["entry"][entry_index][key][index]);
                }
            }
            expected += items.len();
        }
        expected += entry.changes.len();
    }

    let events = payload.to_events();
    assert_eq!(events.len(), expected, "every item yields one event");
    for event in &events {
        assert_eq!(event.kind == EventKind::Other, event.raw.is_some());
    }
    assert_eq!(parse_events(data).expect("parsed once already"), events);
    let json = serde_json::to_vec(&events).expect("events serialize");
    let read_back: Vec<WebhookEvent> = serde_json::from_slice(&json).expect("events read back");
    assert_same_events(&read_back, &events);
});

/// The body `from_slice` accepted, as a JSON tree, or `None` when only its structure is JSON.
///
/// Known finding (2026-12-02): `serde_json` checks the structure of the members a reader skips,
/// not the text of their strings, so `from_slice` (like any serde-derived reader) accepts a
/// body whose only fault is invalid UTF-8 or a lone surrogate escape in a member it does not
/// name (`{"object":…,"entry":[],"x":"\xff"}`; inputs in `seeds/webhook/regress-*`). Such a
/// body must still pass `serde_json`'s own structural check; the checks that need the whole
/// tree skip it.
fn read_accepted(data: &[u8]) -> Option<Value> {
    serde_json::from_slice::<IgnoredAny>(data).expect("from_slice accepted what is not JSON");
    serde_json::from_slice(data).ok()
}

/// Known finding (2026-12-02): `serde_json` as the workspace builds it (without its
/// `float_roundtrip` feature) may read a long float it wrote back one unit in the last place
/// off (`2.7807798791713336e+107` reads back as `…332e+107`; the input is in
/// `seeds/webhook/regress-float-drift.json`). So the events read back must be the same events,
/// except for that drift in the floats of `raw`.
fn assert_same_events(read_back: &[WebhookEvent], events: &[WebhookEvent]) {
    assert_eq!(read_back.len(), events.len());
    for (back, event) in read_back.iter().zip(events) {
        let (mut back, mut event) = (back.clone(), event.clone());
        let (back_raw, event_raw) = (back.raw.take(), event.raw.take());
        assert_eq!(back, event);
        match (&back_raw, &event_raw) {
            (Some(a), Some(b)) => assert!(close(a, b), "raw read back as {a}, not {b}"),
            (a, b) => assert_eq!(a, b),
        }
    }
}

/// The same JSON, floats equal to within one unit in the last place.
fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()),
                _ => false,
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        _ => a == b,
    }
}
