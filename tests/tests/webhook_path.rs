//! The path of a webhook across the crates: raw bytes → signature (webhook-verify) → typed
//! payload (whatsapp) → normalized events (messaging-core), as an application wires it.

use std::collections::{HashMap, HashSet};

use messaging_core::{DeliveryStatus, Direction, EventKind, Message, PlatformKind, WebhookEvent};
use metabiz_webhook_verify::test_util::sign_body;
use metabiz_webhook_verify::{AppSecret, ErrorKind as VerifyErrorKind, SignatureVerifier};

const SAMPLE: &[u8] = include_bytes!("../../examples/webhook-inspect/samples/whatsapp.json");

fn verifier() -> SignatureVerifier {
    SignatureVerifier::new(&AppSecret::new("cross-crate-secret"))
}

#[test]
fn a_signed_batch_verifies_and_every_item_becomes_an_event() {
    let header = sign_body(&AppSecret::new("cross-crate-secret"), SAMPLE);
    verifier()
        .verify(Some(header.as_bytes()), None, SAMPLE)
        .expect("the body verifies on its raw bytes");

    let events = metabiz_whatsapp::webhook::parse_events(SAMPLE).expect("the sample parses");
    assert!(events.iter().all(|e| e.platform == PlatformKind::WhatsApp));

    // Messages become inbound normalized messages from the user to the phone number.
    let messages: Vec<Message> = events
        .iter()
        .filter(|e| e.kind == EventKind::Message)
        .map(|e| Message::from_event(e).expect("a complete message"))
        .collect();
    assert_eq!(messages.len(), 3);
    assert!(messages.iter().all(|m| m.direction == Direction::Inbound));
    assert!(messages.iter().all(|m| m.sender.as_str() == "16505551234"));

    // Statuses of one message fold to the furthest state whatever their order.
    let mut by_message: HashMap<&str, Vec<DeliveryStatus>> = HashMap::new();
    for event in events.iter().filter(|e| e.kind == EventKind::Status) {
        by_message
            .entry(
                event
                    .message_id
                    .as_deref()
                    .expect("statuses name their message"),
            )
            .or_default()
            .push(event.status.expect("status events carry a status"));
    }
    for statuses in by_message.values() {
        let forward = DeliveryStatus::merge_all(statuses.iter().copied());
        let backward = DeliveryStatus::merge_all(statuses.iter().rev().copied());
        assert_eq!(forward, backward);
        assert_eq!(forward, Some(DeliveryStatus::Read));
    }

    // Every de-duplicable event has its own key, so a redelivery of the whole body is
    // recognised item by item.
    let keys: Vec<String> = events.iter().filter_map(WebhookEvent::dedup_key).collect();
    let distinct: HashSet<&String> = keys.iter().collect();
    assert_eq!(keys.len(), distinct.len(), "keys collide: {keys:?}");
    let again = metabiz_whatsapp::webhook::parse_events(SAMPLE).expect("the sample parses");
    let again_keys: Vec<String> = again.iter().filter_map(WebhookEvent::dedup_key).collect();
    assert_eq!(keys, again_keys);
}

#[test]
fn a_body_changed_after_signing_is_refused_before_it_is_parsed() {
    let header = sign_body(&AppSecret::new("cross-crate-secret"), SAMPLE);
    let mut tampered = SAMPLE.to_vec();
    let at = tampered
        .iter()
        .position(|&b| b == b'?')
        .expect("the sample has a question mark");
    tampered[at] = b'!';
    let error = verifier()
        .verify(Some(header.as_bytes()), None, &tampered)
        .expect_err("a changed body must not verify");
    assert_eq!(error.kind(), VerifyErrorKind::SignatureMismatch);
}
