//! Bodies that are not Messenger webhooks fail with a typed error, never a panic.

use std::error::Error as _;

use metabiz_messenger::ErrorKind;
use metabiz_messenger::webhook::{WebhookPayload, parse_events};

use crate::support::fixture;

fn kind(body: &[u8]) -> ErrorKind {
    WebhookPayload::from_slice(body)
        .expect_err("the body must be refused")
        .kind()
}

#[test]
fn another_objects_webhook_is_unexpected_object() {
    assert_eq!(
        kind(&fixture("wrong_object.json")),
        ErrorKind::UnexpectedObject
    );
    // A WhatsApp body whose entries do not even have the page shape.
    assert_eq!(
        kind(br#"{"object":"whatsapp_business_account","entry":[{"id":1,"changes":[]}]}"#),
        ErrorKind::UnexpectedObject
    );
    // `object` after `entry`, and entries that fail first.
    assert_eq!(
        kind(br#"{"entry":[{"id":17841400008460056}],"object":"instagram"}"#),
        ErrorKind::UnexpectedObject
    );
}

#[test]
fn bodies_that_are_not_json_are_invalid_json() {
    for body in [
        &b""[..],
        b"not json",
        b"{\"object\":\"page\",\"entry\":[",
        b"{\"object\":\"page\"}}",
        b"\xff\xfe",
    ] {
        assert_eq!(kind(body), ErrorKind::InvalidJson, "{body:?}");
    }
}

#[test]
fn ids_that_are_not_strings_are_invalid_payload() {
    let item = |fields: &str| {
        format!(
            r#"{{"object":"page","entry":[{{"id":"1","messaging":[{{"sender":{{"id":"2"}},"recipient":{{"id":"1"}},"timestamp":1,{fields}}}]}}]}}"#
        )
    };
    let bodies = [
        r#"{"object":"page","entry":[{"id":104518592379221,"messaging":[]}]}"#.to_owned(),
        r#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":6984522158234812},"recipient":{"id":"1"},"timestamp":1,"read":{"watermark":1}}]}]}"#.to_owned(),
        r#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":1},"timestamp":1,"read":{"watermark":1}}]}]}"#.to_owned(),
        item(r#""message":{"mid":12345,"text":"hi"}"#),
        item(r#""message":{"mid":"m_1","reply_to":{"mid":7}}"#),
        item(r#""delivery":{"mids":["m_1",2],"watermark":1}"#),
        item(r#""reaction":{"action":"react","mid":3}"#),
        item(r#""postback":{"mid":4,"title":"Go"}"#),
        item(r#""message_edit":{"mid":5,"text":"x"}"#),
    ];
    for body in bodies {
        assert_eq!(kind(body.as_bytes()), ErrorKind::InvalidPayload, "{body}");
    }
}

/// The body's own frame, not an item: there is nowhere to keep it.
#[test]
fn wrong_shapes_are_invalid_payload() {
    for body in [
        &br#"{"entry":[]}"#[..],
        br#"{"object":"page","entry":{}}"#,
        br#"{"object":"page","entry":[{"messaging":[]}]}"#,
        br#"{"object":"page","entry":[{"id":"1","messaging":{}}]}"#,
        br#"{"object":"page","entry":[{"id":"1","standby":"none"}]}"#,
        br#"{"object":"page","entry":[{"id":"1","changes":{}}]}"#,
        br#"{"object":"page","entry":[42]}"#,
        b"[]",
        br#""page""#,
    ] {
        assert_eq!(
            kind(body),
            ErrorKind::InvalidPayload,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn an_empty_page_body_is_no_events() {
    assert!(
        parse_events(br#"{"object":"page","entry":[]}"#)
            .unwrap()
            .is_empty()
    );
    assert!(parse_events(br#"{"object":"page"}"#).unwrap().is_empty());
    assert!(
        parse_events(br#"{"object":"page","entry":[{"id":"1","time":1}]}"#)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn errors_keep_their_cause_out_of_the_message() {
    let error = WebhookPayload::from_slice(b"{\"object\":\"page\",").unwrap_err();
    assert_eq!(error.to_string(), "webhook body is not valid JSON");
    let source = error.source().expect("serde_json's error is the source");
    assert!(!error.to_string().contains(&source.to_string()));

    let unexpected = WebhookPayload::from_slice(&fixture("wrong_object.json")).unwrap_err();
    assert_eq!(
        unexpected.to_string(),
        "webhook body is not a page notification"
    );
}
