//! Arbitrary webhook bodies: `WebhookPayload::from_slice`, `to_events` and serializing the
//! events never panic; whatever `from_slice` accepts is JSON with `"object": "page"`; every
//! item that keeps its JSON keeps exactly the item of the body; every item yields its events
//! (one per delivered `mid`); and the events' JSON reads back as the same JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use messaging_core::{EventKind, WebhookEvent};
use metabiz_messenger::webhook::{MessagingEvent, OBJECT, WebhookPayload};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(payload) = WebhookPayload::from_slice(data) else {
        return;
    };
    let body: Value = serde_json::from_slice(data).expect("from_slice accepted what is not JSON");
    assert_eq!(body["object"], OBJECT);

    let mut expected = 0;
    for (entry_index, entry) in payload.entry.iter().enumerate() {
        for (key, items) in [("messaging", &entry.messaging), ("standby", &entry.standby)] {
            for (index, item) in items.iter().enumerate() {
                expected += match &item.event {
                    MessagingEvent::Delivery(delivery) => delivery.mids.len().max(1),
                    _ => 1,
                };
                if let Some(raw) = item.raw() {
                    // The kept JSON is the item's own text read again, so it must be the same
                    // tree as the whole body's at that place.
                    assert_eq!(raw, &body["entry"][entry_index][key][index]);
                }
            }
        }
        expected += entry.changes.len();
    }

    let events = payload.to_events();
    assert_eq!(events.len(), expected, "every item yields its events");
    for event in &events {
        assert_eq!(event.kind == EventKind::Other, event.raw.is_some());
    }
    let json = serde_json::to_vec(&events).expect("events serialize");
    let read_back: Vec<WebhookEvent> = serde_json::from_slice(&json).expect("events read back");
    // Compared as JSON: the `raw` of an item that is `null` itself (kept whole as `other`)
    // prints as `null` and reads back as no raw at all.
    assert_eq!(
        serde_json::to_value(&read_back).expect("events serialize"),
        serde_json::to_value(&events).expect("events serialize")
    );
});
