//! Arbitrary webhook bodies: `WebhookPayload::from_slice`, both normalizations and serializing
//! the events never panic; whatever `from_slice` accepts is JSON with `"object": "instagram"`;
//! every item that keeps its JSON keeps exactly the item of the body; every item and change
//! yields one event, `other` exactly when it keeps its JSON; copying and moving normalization
//! agree; and the events' JSON reads back as the same events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use messaging_core::{EventKind, WebhookEvent};
use metabiz_instagram::webhook::{OBJECT, WebhookPayload, parse_events};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(payload) = WebhookPayload::from_slice(data) else {
        assert!(parse_events(data).is_err(), "the two entry points disagree");
        return;
    };
    let body: Value = serde_json::from_slice(data).expect("from_slice accepted what is not JSON");
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
    assert_eq!(read_back, events);
});
