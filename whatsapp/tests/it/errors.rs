//! Bodies that are not WhatsApp webhooks fail with a typed error, and nothing panics.

use std::error::Error as _;

use metabiz_whatsapp::webhook::{WebhookPayload, parse_events};
use metabiz_whatsapp::{Error, ErrorKind};
use proptest::prelude::*;

use crate::support::fixture;

fn kind(body: &[u8]) -> ErrorKind {
    WebhookPayload::from_slice(body)
        .expect_err("the body must be rejected")
        .kind()
}

#[test]
fn other_objects_are_rejected_as_unexpected() {
    // A Messenger body: its entries parse (no `changes`), then `object` is checked.
    let messenger = br#"{"object":"page","entry":[{"id":"106540352242922","time":1750264500,
        "messaging":[{"sender":{"id":"1"},"recipient":{"id":"2"},"message":{"mid":"m.1","text":"hi"}}]}]}"#;
    assert_eq!(kind(messenger), ErrorKind::UnexpectedObject);
    // `object` comes last and an entry fails to parse first: still the wrong object.
    let instagram =
        br#"{"entry":[{"id":17841400000000000,"time":1750264500}],"object":"instagram"}"#;
    assert_eq!(kind(instagram), ErrorKind::UnexpectedObject);
    assert_eq!(
        parse_events(messenger).unwrap_err().kind(),
        ErrorKind::UnexpectedObject
    );
}

#[test]
fn ids_that_are_not_strings_are_invalid() {
    let numeric_entry_id =
        br#"{"object":"whatsapp_business_account","entry":[{"id":102290129340398,"changes":[]}]}"#;
    assert_eq!(kind(numeric_entry_id), ErrorKind::InvalidPayload);

    let numeric_wamid = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
        {"value":{"metadata":{"phone_number_id":"2"},"messages":[
          {"from":"3","id":12345,"timestamp":"1","type":"text","text":{"body":"x"}}]},
         "field":"messages"}]}]}"#;
    assert_eq!(kind(numeric_wamid), ErrorKind::InvalidPayload);

    let numeric_phone_number_id = br#"{"object":"whatsapp_business_account","entry":[{"id":"1",
        "changes":[{"value":{"metadata":{"phone_number_id":106540352242922},"statuses":[]},
        "field":"messages"}]}]}"#;
    assert_eq!(kind(numeric_phone_number_id), ErrorKind::InvalidPayload);
}

#[test]
fn json_of_the_wrong_shape_is_invalid() {
    assert_eq!(kind(br#"{"entry":[]}"#), ErrorKind::InvalidPayload);
    assert_eq!(kind(b"[]"), ErrorKind::InvalidPayload);
    assert_eq!(
        kind(br#""whatsapp_business_account""#),
        ErrorKind::InvalidPayload
    );
    assert_eq!(
        kind(br#"{"object":"whatsapp_business_account","entry":{}}"#),
        ErrorKind::InvalidPayload
    );
}

#[test]
fn invalid_json_is_reported_as_such() {
    assert_eq!(kind(b""), ErrorKind::InvalidJson);
    assert_eq!(kind(b"not json"), ErrorKind::InvalidJson);
    assert_eq!(
        kind(br#"{"object": "whatsapp_business_account",}"#),
        ErrorKind::InvalidJson
    );
    assert_eq!(kind(b"\xff\xfe{}"), ErrorKind::InvalidJson);
}

fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn errors_expose_their_cause_without_repeating_it() {
    let err = WebhookPayload::from_slice(b"{\"object\": tru").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidJson);
    let source = err.source().expect("the JSON error is the source");
    assert!(source.downcast_ref::<serde_json::Error>().is_some());
    assert_eq!(err.to_string(), "webhook body is not valid JSON");
    assert!(!err.to_string().contains(&source.to_string()));

    let err = WebhookPayload::from_slice(br#"{"object":"page","entry":[]}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "webhook body is not a whatsapp_business_account notification"
    );
    assert!(err.source().is_none());
    assert_error::<Error>();
}

#[test]
fn every_truncation_of_a_batch_is_invalid_json_and_never_panics() {
    for name in ["batch.json", "escaped_text.json", "unknown_type.json"] {
        let body = fixture(name);
        let end = body.trim_ascii_end().len();
        for len in 0..end {
            let result = WebhookPayload::from_slice(&body[..len]);
            assert_eq!(
                result.map(|_| ()).map_err(|err| err.kind()),
                Err(ErrorKind::InvalidJson),
                "{name} cut at {len}"
            );
        }
        assert!(WebhookPayload::from_slice(&body[..end]).is_ok());
    }
}

proptest! {
    /// Any single-byte corruption of a real payload either parses or fails with an error.
    #[test]
    fn corrupted_bytes_never_panic(position in 0usize..10_000, byte in any::<u8>()) {
        let mut body = fixture("batch.json");
        let position = position % body.len();
        body[position] = byte;
        if let Ok(payload) = WebhookPayload::from_slice(&body) {
            let _ = payload.to_events();
        }
    }
}
