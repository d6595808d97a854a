//! Arbitrary webhook bodies: `WebhookPayload::from_slice`, `to_events` and serializing the
//! events never panic; whatever `from_slice` accepts (its one-pass fast path or its general
//! path) is exactly what the general path, `Entry`'s public `Deserialize`, makes of the body;
//! and the events' JSON reads back as the same events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use messaging_core::WebhookEvent;
use metabiz_whatsapp::webhook::{Entry, OBJECT, WebhookPayload};

/// The body through the general path: each change's value scanned as raw JSON, then parsed.
#[derive(serde::Deserialize)]
struct General {
    object: String,
    #[serde(default)]
    entry: Vec<Entry>,
}

fuzz_target!(|data: &[u8]| {
    let general = serde_json::from_slice::<General>(data)
        .ok()
        .filter(|general| general.object == OBJECT);
    let Ok(payload) = WebhookPayload::from_slice(data) else {
        assert!(
            general.is_none(),
            "from_slice rejected what the general path accepts"
        );
        return;
    };
    let general = general.expect("from_slice accepted what the general path rejects");
    // `Change`'s `PartialEq` also compares each value's raw text.
    assert_eq!(payload.entry, general.entry);

    let events = payload.to_events();
    let json = serde_json::to_vec(&events).expect("events serialize");
    let read_back: Vec<WebhookEvent> = serde_json::from_slice(&json).expect("events read back");
    assert_eq!(read_back, events);
});
