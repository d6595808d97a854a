//! Bodies that are not Instagram webhooks fail with a typed error, never a panic.

use std::error::Error as _;

use metabiz_instagram::ErrorKind;
use metabiz_instagram::webhook::{WebhookPayload, parse_events};

use super::support::fixture;

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
    // A WhatsApp body whose entries do not even have the Instagram shape.
    assert_eq!(
        kind(br#"{"object":"whatsapp_business_account","entry":[{"id":1,"changes":[]}]}"#),
        ErrorKind::UnexpectedObject
    );
    // `object` after entries that fail first.
    assert_eq!(
        kind(br#"{"entry":[{"id":104518592379221}],"object":"page"}"#),
        ErrorKind::UnexpectedObject
    );
}

#[test]
fn bodies_that_are_not_json_are_invalid_json() {
    for body in [
        &b""[..],
        b"not json",
        b"{\"object\":\"instagram\",\"entry\":[",
        b"{\"object\":\"instagram\"}}",
        b"\xff\xfe",
        b"{\"object\":\"instagram\",\"entry\":[{\"id\":\"1\",\"messaging\":[{\"message\":{\"text\":\"\xff\"}}]}]}",
    ] {
        assert_eq!(kind(body), ErrorKind::InvalidJson, "{body:?}");
    }
}

#[test]
fn ids_that_are_not_strings_are_invalid_payload() {
    let item = |fields: &str| {
        format!(
            r#"{{"object":"instagram","entry":[{{"id":"17841400008460056","messaging":[{{"sender":{{"id":"2"}},"recipient":{{"id":"17841400008460056"}},"timestamp":1,{fields}}}]}}]}}"#
        )
    };
    let bodies = [
        r#"{"object":"instagram","entry":[{"id":17841400008460056,"messaging":[]}]}"#.to_owned(),
        r#"{"object":"instagram","entry":[{"id":"1","messaging":[{"sender":{"id":1254459154682919},"recipient":{"id":"1"},"timestamp":1,"read":{"mid":"m"}}]}]}"#.to_owned(),
        r#"{"object":"instagram","entry":[{"id":"1","standby":[{"sender":{"id":"2"},"recipient":{"id":1},"timestamp":1,"read":{"mid":"m"}}]}]}"#.to_owned(),
        item(r#""message":{"mid":12345,"text":"hi"}"#),
        item(r#""message":{"mid":"m_1","reply_to":{"mid":7}}"#),
        item(r#""reaction":{"action":"react","mid":3}"#),
        item(r#""postback":{"mid":4,"title":"Go"}"#),
        item(r#""read":{"mid":5}"#),
        // Even inside an item that is reshaped otherwise.
        item(r#""message":{"mid":6,"text":{"body":"x"}}"#),
    ];
    for body in bodies {
        assert_eq!(kind(body.as_bytes()), ErrorKind::InvalidPayload, "{body}");
    }
}

#[test]
fn a_misshapen_frame_is_invalid_payload() {
    for body in [
        &br#"{"entry":[]}"#[..],
        br#"{"object":"instagram","entry":{}}"#,
        br#"{"object":"instagram","entry":[{"messaging":[]}]}"#,
        br#"{"object":"instagram","entry":[{"id":"1","messaging":{}}]}"#,
        br#"{"object":"instagram","entry":[{"id":"1","changes":"comments"}]}"#,
        b"[]",
        br#""instagram""#,
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
fn odd_items_are_kept_not_refused() {
    for body in [
        &br#"{"object":"instagram","entry":[{"id":"1","messaging":[42]}]}"#[..],
        br#"{"object":"instagram","entry":[{"id":"1","messaging":[{"message":"hi"}]}]}"#,
        br#"{"object":"instagram","entry":[{"id":"1","messaging":[{"message":{"attachments":[{"payload":{}}]}}]}]}"#,
        br#"{"object":"instagram","entry":[{"id":"1","messaging":[{"sender":"2","message":{"is_echo":"yes"}}]}]}"#,
        br#"{"object":"instagram","entry":[{"id":"1","changes":[7,{"field":3}]}]}"#,
    ] {
        let events = parse_events(body).unwrap_or_else(|err| {
            panic!("{}: {err:?}", String::from_utf8_lossy(body));
        });
        assert!(!events.is_empty());
        assert!(events.iter().all(|event| event.raw.is_some()));
    }
}

#[test]
fn an_empty_body_is_no_events() {
    for body in [
        &br#"{"object":"instagram","entry":[]}"#[..],
        br#"{"object":"instagram"}"#,
        br#"{"object":"instagram","entry":[{"id":"1","time":1}]}"#,
        br#"{"object":"instagram","entry":[{"id":"1","time":{"odd":true},"messaging":null,"standby":null,"changes":null}]}"#,
    ] {
        assert!(parse_events(body).unwrap().is_empty());
    }
}

#[test]
fn errors_keep_their_cause_out_of_the_message() {
    let error = WebhookPayload::from_slice(b"{\"object\":\"instagram\",").unwrap_err();
    assert_eq!(error.to_string(), "webhook body is not valid JSON");
    let source = error.source().expect("serde_json's error is the source");
    assert!(!error.to_string().contains(&source.to_string()));

    let unexpected = WebhookPayload::from_slice(&fixture("wrong_object.json")).unwrap_err();
    assert_eq!(unexpected.kind(), ErrorKind::UnexpectedObject);
}
