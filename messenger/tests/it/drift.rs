//! Shape drift: Meta reshapes a field, and the item becomes an `other` event that keeps its JSON
//! while every other item of the batch is read as usual. Only ids the contract needs as strings
//! still fail a body.

use messaging_core::EventKind;
use metabiz_messenger::ErrorKind;
use metabiz_messenger::webhook::{MessagingEvent, WebhookPayload, parse_events};
use metabiz_messenger::{AppId, Mid};
use serde_json::{Value, json};

use crate::support::{PAGE, PSID, T, events_json, fixture, from_user, mid, payload};

/// The body of a fixture as a JSON tree, to compare kept items with.
fn body(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).expect("the fixture is JSON")
}

fn kinds(name: &str) -> Vec<String> {
    events_json(name)
        .iter()
        .map(|event| event["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn reshaped_handover_items_are_kept_whole_and_the_others_typed() {
    let payload = payload("drift_handover.json");
    let items = &payload.entry[0].messaging;
    let body = body("drift_handover.json");
    assert_eq!(items.len(), 6);

    let MessagingEvent::PassThreadControl(pass) = &items[0].event else {
        panic!("{:?}", items[0].event)
    };
    assert_eq!(pass.new_owner_app_id, Some(AppId::new("263902037430900")));
    let MessagingEvent::Message(message) = &items[2].event else {
        panic!("{:?}", items[2].event)
    };
    assert_eq!(message.text.as_deref(), Some("Still there?"));
    let MessagingEvent::AppRoles(roles) = &items[5].event else {
        panic!("{:?}", items[5].event)
    };
    assert_eq!(roles.roles["263902037430900"], ["primary_receiver"]);

    // An app id as an object, metadata as an object, roles as a string instead of a list.
    for index in [1, 3, 4] {
        let item = &items[index];
        let MessagingEvent::Unknown(raw) = &item.event else {
            panic!("item {index}: {:?}", item.event)
        };
        assert_eq!(raw, &body["entry"][0]["messaging"][index], "item {index}");
        assert_eq!(item.raw(), Some(raw));
        assert_eq!(item.event.key(), None);
        // Who and when are still read where they have their usual shape.
        assert_eq!(
            item.recipient.as_ref().unwrap().id.as_deref(),
            Some(PAGE),
            "item {index}"
        );
        assert!(item.timestamp.is_some(), "item {index}");
    }
    assert_eq!(items[1].sender.as_ref().unwrap().id.as_deref(), Some(PSID));

    assert_eq!(
        kinds("drift_handover.json"),
        ["other", "other", "message", "other", "other", "other"]
    );
    let events = events_json("drift_handover.json");
    assert_eq!(
        events[1],
        from_user(
            "other",
            json!({
                "timestamp_ms": T + 181_000,
                "raw": body["entry"][0]["messaging"][1],
            })
        )
    );
    assert_eq!(
        events[4]["sender_id"],
        Value::Null,
        "app_roles has no sender"
    );
    assert_eq!(events[4]["raw"], body["entry"][0]["messaging"][4]);
}

#[test]
fn every_other_reshaped_event_is_kept_whole_and_the_batch_read() {
    let payload = payload("drift_events.json");
    let body = body("drift_events.json");
    let first = &payload.entry[0].messaging;
    let second = &payload.entry[1].messaging;
    let standby = &payload.entry[1].standby;
    assert_eq!((first.len(), second.len(), standby.len()), (8, 4, 2));

    // The items of the usual shape.
    let MessagingEvent::Message(hi) = &first[1].event else {
        panic!("{:?}", first[1].event)
    };
    assert_eq!(hi.text.as_deref(), Some("Hi again"));
    let MessagingEvent::Delivery(delivery) = &first[7].event else {
        panic!("{:?}", first[7].event)
    };
    assert_eq!(delivery.mids, [Mid::new(mid(903))]);
    let MessagingEvent::Message(order) = &second[3].event else {
        panic!("{:?}", second[3].event)
    };
    assert_eq!(order.text.as_deref(), Some("Order 123456 please"));
    assert!(matches!(standby[1].event, MessagingEvent::Read(_)));

    // `ref` as a number, a frequency as a list, edited text as an object, the reaction as an
    // object, a watermark as a boolean, `mids` as one string; attachments as an object, a
    // postback payload as an object, `is_echo` as a string; a quick reply as a string.
    let reshaped = [
        ("messaging", 0, 0),
        ("messaging", 0, 2),
        ("messaging", 0, 3),
        ("messaging", 0, 4),
        ("messaging", 0, 5),
        ("messaging", 0, 6),
        ("messaging", 1, 0),
        ("messaging", 1, 1),
        ("messaging", 1, 2),
        ("standby", 1, 0),
    ];
    for (list, entry, index) in reshaped {
        let items = match list {
            "messaging" => &payload.entry[entry].messaging,
            _ => &payload.entry[entry].standby,
        };
        let MessagingEvent::Unknown(raw) = &items[index].event else {
            panic!("{list}[{entry}][{index}]: {:?}", items[index].event)
        };
        assert_eq!(
            raw, &body["entry"][entry][list][index],
            "{list} {entry} {index}"
        );
    }

    assert_eq!(
        kinds("drift_events.json"),
        [
            "other", "message", "other", "other", "other", "other", "other", "delivery", "other",
            "other", "other", "message", "other", "read"
        ]
    );
    // A reshaped item's event names no message: the typed form that would say which is gone,
    // and the item is in `raw`.
    let events = events_json("drift_events.json");
    assert_eq!(events[3]["message_id"], Value::Null);
    assert_eq!(events[3]["raw"]["message_edit"]["mid"], mid(31));
    assert_eq!(events[7]["message_id"], mid(903));
}

#[test]
fn items_that_are_not_objects_are_kept_as_other() {
    let body = br#"{"object":"page","entry":[{"id":"1","messaging":[42,"x",[],{"message":"hi"},{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m_1","text":"ok"}}]}]}"#;
    let events = parse_events(body).unwrap();
    let kinds: Vec<EventKind> = events.iter().map(|event| event.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Other,
            EventKind::Other,
            EventKind::Other,
            EventKind::Other,
            EventKind::Message
        ]
    );
    let raws: Vec<Option<&Value>> = events.iter().map(|event| event.raw.as_ref()).collect();
    assert_eq!(
        raws,
        [
            Some(&json!(42)),
            Some(&json!("x")),
            Some(&json!([])),
            Some(&json!({"message": "hi"})),
            None
        ]
    );
    assert_eq!(events[4].text.as_deref(), Some("ok"));
    assert!(
        events
            .iter()
            .all(|event| event.account_id.as_deref() == Some("1"))
    );
}

#[test]
fn a_reshaped_item_still_fails_on_an_id_that_is_not_a_string() {
    let item = |fields: &str| {
        format!(
            r#"{{"object":"page","entry":[{{"id":"1","messaging":[{{"sender":{{"id":"2"}},"recipient":{{"id":"1"}},"timestamp":1,"message":{{"mid":"m_0","text":"fine"}}}},{fields}]}}]}}"#
        )
    };
    for body in [
        item(r#"{"sender":{"id":2},"reaction":{"reaction":{"name":"love"}}}"#),
        item(r#"{"recipient":{"id":1},"read":{"watermark":true}}"#),
        item(r#"{"message":{"mid":5,"attachments":{}}}"#),
        item(r#"{"message":{"text":["x"],"reply_to":{"mid":7}}}"#),
        item(r#"{"message_edit":{"mid":5,"text":{}}}"#),
        item(r#"{"postback":{"mid":4,"payload":{}}}"#),
        item(r#"{"reaction":{"mid":3,"emoji":1}}"#),
        item(r#"{"delivery":{"mids":["m_1",null],"watermark":{}}}"#),
    ] {
        let error = WebhookPayload::from_slice(body.as_bytes()).expect_err(&body);
        assert_eq!(error.kind(), ErrorKind::InvalidPayload, "{body}");
        let source = std::error::Error::source(&error)
            .expect("the cause")
            .to_string();
        assert!(source.contains("is not a string"), "{body}: {source}");
    }
}

#[test]
fn odd_timestamps_and_null_lists_are_not_errors() {
    let body = br#"{"object":"page","entry":[{"id":"1","time":true,"messaging":null,"standby":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"delivery":{"mids":null,"watermark":1}},{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":2,"message":{"mid":"m_1","attachments":null}}],"changes":null},{"id":"3","time":{"at":1}}]}"#;
    let payload = WebhookPayload::from_slice(body).unwrap();
    assert_eq!(payload.entry.len(), 2);
    assert_eq!(payload.entry[0].time, None);
    assert_eq!(payload.entry[1].time, None);
    let kinds: Vec<EventKind> = payload.to_events().iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Delivery, EventKind::Message]);

    // An item's own timestamp of another shape: the item is kept whole.
    let body = br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":{"ms":1},"message":{"mid":"m_1","text":"hi"}}]}]}"#;
    let events = parse_events(body).unwrap();
    assert_eq!(events[0].kind, EventKind::Other);
    assert_eq!(events[0].sender_id.as_deref(), Some("2"));
    assert_eq!(events[0].raw.as_ref().unwrap()["message"]["text"], "hi");
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    // Skipped under a key this version does not read: the message is read as usual.
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let body = format!(
        r#"{{"object":"page","entry":[{{"id":"1","messaging":[{{"sender":{{"id":"2"}},"recipient":{{"id":"1"}},"timestamp":1,"message":{{"mid":"m_1","text":"hi","future":{deep}}}}}]}}]}}"#
    );
    let events = parse_events(body.as_bytes()).unwrap();
    assert_eq!(events[0].kind, EventKind::Message);

    // In an item kept as JSON: too deep for a tree, so the body is refused, not the stack.
    let body = format!(
        r#"{{"object":"page","entry":[{{"id":"1","messaging":[{{"sender":{{"id":"2"}},"game_play":{deep}}}]}}]}}"#
    );
    let error = parse_events(body.as_bytes()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidPayload);
}
