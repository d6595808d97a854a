//! The normalized events of each documented payload shape, compared as whole JSON objects.

use serde_json::{Value, json};

use crate::support::{PAGE, PSID, T, event, events_json, fixture, from_user, mid};

/// Item `index` of `key` (`messaging` or `standby`) of entry `entry` of a fixture, as JSON.
fn item(name: &str, entry: usize, key: &str, index: usize) -> Value {
    let body: Value = serde_json::from_slice(&fixture(name)).unwrap();
    body["entry"][entry][key][index].clone()
}

#[test]
fn text_messages_and_quick_reply() {
    assert_eq!(
        events_json("text.json"),
        [
            from_user(
                "message",
                json!({"message_id": mid(1), "timestamp_ms": T, "text": "Does it come in another color?"})
            ),
            from_user(
                "message",
                json!({"message_id": mid(2), "timestamp_ms": T + 9000, "text": "Red"})
            ),
        ]
    );
}

#[test]
fn reply_sets_reply_to() {
    assert_eq!(
        events_json("reply_to.json"),
        [from_user(
            "message",
            json!({
                "message_id": mid(3),
                "timestamp_ms": T + 12_000,
                "text": "Yes, the blue one please",
                "reply_to": mid(900),
            })
        )]
    );
}

#[test]
fn media_attachments_keep_type_and_url() {
    let url = "https://scontent.xx.fbcdn.net/v/t1.15752-9/448512345_1202384154131412_3785102290418791201_n";
    let query = "?_nc_cat=103&ccb=1-7&_nc_sid=fc17b8&oh=03_Q7cD1QHt&oe=6870A1B2";
    assert_eq!(
        events_json("media.json"),
        [
            from_user(
                "message",
                json!({"message_id": mid(4), "timestamp_ms": T + 20_000, "attachments": [
                    {"type": "image", "url": format!("{url}.jpg{query}"), "media_id": null},
                    {"type": "image", "url": format!("{url}.png{query}"), "media_id": null},
                ]})
            ),
            from_user(
                "message",
                json!({"message_id": mid(5), "timestamp_ms": T + 21_000, "attachments": [
                    {"type": "video", "url": "https://video.xx.fbcdn.net/v/t42.3356-2/10000000_unboxing.mp4?_nc_cat=105&ccb=1-7", "media_id": null},
                ]})
            ),
            from_user(
                "message",
                json!({"message_id": mid(6), "timestamp_ms": T + 22_000, "attachments": [
                    {"type": "audio", "url": "https://cdn.fbsbx.com/v/t59.3654-21/audioclip-1749416404000-2501.mp4?_nc_cat=100", "media_id": null},
                ]})
            ),
            from_user(
                "message",
                json!({"message_id": mid(7), "timestamp_ms": T + 23_000, "attachments": [
                    {"type": "file", "url": "https://cdn.fbsbx.com/v/t59.2708-21/receipt-0042.pdf?_nc_cat=109&ccb=1-7", "media_id": null},
                ]})
            ),
        ]
    );
}

#[test]
fn a_sticker_sent_twice_during_the_transition_is_one_sticker() {
    let url = "https://scontent.xx.fbcdn.net/v/t39.1997-6/39178562_1505197616293642_5411344281094848512_n.png?_nc_cat=1&ccb=1-7";
    let sticker = json!([{"type": "sticker", "url": url, "media_id": null}]);
    assert_eq!(
        events_json("sticker.json"),
        [
            from_user(
                "message",
                json!({"message_id": mid(8), "timestamp_ms": T + 30_000, "attachments": sticker})
            ),
            // The older form: only an image, recognised by its sticker_id.
            from_user(
                "message",
                json!({"message_id": mid(9), "timestamp_ms": T + 31_000, "attachments": sticker})
            ),
        ]
    );
}

#[test]
fn location_fallback_and_shares() {
    let location = &events_json("location.json")[0];
    assert_eq!(location["attachments"][0]["type"], "location");
    assert!(
        location["attachments"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.bing.com%2Fmaps")
    );

    assert_eq!(
        events_json("fallback.json"),
        [
            from_user(
                "message",
                json!({
                    "message_id": mid(11),
                    "timestamp_ms": T + 50_000,
                    "text": "https://www.luckyshrub.com/mugs/blue",
                    "attachments": [{"type": "fallback", "url": "https://www.luckyshrub.com/mugs/blue", "media_id": null}],
                })
            ),
            // An unsupported share: a fallback with no payload and a null url.
            from_user(
                "message",
                json!({
                    "message_id": mid(12),
                    "timestamp_ms": T + 51_000,
                    "attachments": [{"type": "fallback", "url": null, "media_id": null}],
                })
            ),
        ]
    );

    assert_eq!(
        events_json("shares.json")[0]["attachments"],
        json!([
            {"type": "share", "url": "https://www.facebook.com/reel/1223344556677889", "media_id": null},
            {"type": "share", "url": "https://www.instagram.com/p/C8xYz12AbCd/", "media_id": null},
        ])
    );
}

#[test]
fn echoes_are_echo_events_from_the_page() {
    let page_to_user = |fields: Value| {
        let mut all = json!({
            "kind": "echo",
            "account_id": PAGE,
            "sender_id": PAGE,
            "recipient_id": PSID,
        });
        for (key, value) in fields.as_object().unwrap() {
            all[key] = value.clone();
        }
        event(all)
    };
    assert_eq!(
        events_json("echo.json"),
        [
            page_to_user(json!({
                "message_id": mid(14),
                "timestamp_ms": T + 70_000,
                "text": "It comes in blue and red.",
            })),
            // A template echo from the standby channel: the template is `other`.
            page_to_user(json!({
                "message_id": mid(15),
                "timestamp_ms": T + 71_000,
                "attachments": [{"type": "other", "url": "https://www.facebook.com/commerce/update/", "media_id": null}],
            })),
        ]
    );
}

#[test]
fn postbacks_carry_title_and_mid() {
    assert_eq!(
        events_json("postback.json"),
        [
            from_user(
                "postback",
                json!({"message_id": mid(16), "timestamp_ms": T + 80_000, "text": "Track my order"})
            ),
            from_user(
                "postback",
                json!({"message_id": mid(17), "timestamp_ms": T + 81_000, "text": "Get Started"})
            ),
        ]
    );
}

#[test]
fn read_names_no_message_and_keeps_the_event_time() {
    assert_eq!(
        events_json("read.json"),
        [from_user("read", json!({"timestamp_ms": T + 90_000}))]
    );
}

#[test]
fn delivery_is_one_event_per_mid_and_one_without_mids() {
    assert_eq!(
        events_json("delivery.json"),
        [
            from_user(
                "delivery",
                json!({"message_id": mid(901), "timestamp_ms": T + 100_000})
            ),
            from_user(
                "delivery",
                json!({"message_id": mid(902), "timestamp_ms": T + 100_000})
            ),
            from_user("delivery", json!({"timestamp_ms": T + 101_500})),
        ]
    );
}

#[test]
fn reactions_name_the_reacted_message_and_unreact_is_empty() {
    assert_eq!(
        events_json("reactions.json"),
        [
            from_user(
                "reaction",
                json!({"message_id": mid(901), "timestamp_ms": T + 110_000, "reaction": "\u{2764}\u{fe0f}"})
            ),
            from_user(
                "reaction",
                json!({"message_id": mid(901), "timestamp_ms": T + 111_000, "reaction": ""})
            ),
            from_user(
                "reaction",
                json!({"message_id": mid(902), "timestamp_ms": T + 112_000, "reaction": "\u{1F525}"})
            ),
        ]
    );
}

#[test]
fn edits_referrals_optins_and_handover_are_other_with_the_item() {
    assert_eq!(
        events_json("message_edit.json"),
        [from_user(
            "other",
            json!({
                "message_id": mid(1),
                "timestamp_ms": T + 120_000,
                "raw": item("message_edit.json", 0, "messaging", 0),
            })
        )]
    );
    for (name, count) in [
        ("referral.json", 2),
        ("optin.json", 1),
        ("handover.json", 4),
    ] {
        let events = events_json(name);
        assert_eq!(events.len(), count, "{name}");
        for (index, event) in events.iter().enumerate() {
            assert_eq!(event["kind"], "other", "{name} {index}");
            assert_eq!(event["message_id"], Value::Null, "{name} {index}");
            assert_eq!(
                event["raw"],
                item(name, 0, "messaging", index),
                "{name} {index}"
            );
        }
    }
    // `app_roles` comes from the page, with no sender.
    let roles = &events_json("handover.json")[3];
    assert_eq!(roles["sender_id"], Value::Null);
    assert_eq!(roles["recipient_id"], PAGE);
}

#[test]
fn standby_items_are_normalized_like_messaging_items() {
    assert_eq!(
        events_json("standby.json"),
        [
            from_user(
                "message",
                json!({"message_id": mid(18), "timestamp_ms": T + 160_000, "text": "Is anyone there?"})
            ),
            from_user(
                "postback",
                json!({"message_id": mid(19), "timestamp_ms": T + 161_000, "text": "Talk to a person"})
            ),
            from_user("read", json!({"timestamp_ms": T + 162_000})),
        ]
    );
}

#[test]
fn a_batch_yields_every_entry_and_item_in_document_order() {
    let other_page = "109876543210987";
    let to_other = |kind: &str, fields: Value| {
        let mut event = from_user(kind, fields);
        event["account_id"] = json!(other_page);
        event["recipient_id"] = json!(other_page);
        event
    };
    let mut second = from_user(
        "message",
        json!({"message_id": mid(31), "timestamp_ms": T + 200_300, "text": "Second"}),
    );
    second["sender_id"] = json!("7250113346021957");
    assert_eq!(
        events_json("batch.json"),
        [
            from_user(
                "message",
                json!({"message_id": mid(30), "timestamp_ms": T + 200_000, "text": "First"})
            ),
            from_user(
                "delivery",
                json!({"message_id": mid(903), "timestamp_ms": T + 200_200})
            ),
            second,
            to_other("read", json!({"timestamp_ms": T + 201_100})),
            to_other(
                "reaction",
                json!({"message_id": mid(904), "timestamp_ms": T + 201_200, "reaction": "\u{1F44D}"})
            ),
            to_other(
                "message",
                json!({"message_id": mid(32), "timestamp_ms": T + 201_300, "text": "Third, while an agent owns the thread"})
            ),
            from_user(
                "postback",
                json!({"message_id": mid(33), "timestamp_ms": T + 202_000, "text": "Yes"})
            ),
        ]
    );
}

#[test]
fn escaped_text_is_decoded_exactly_as_sent() {
    let events = events_json("escaped_text.json");
    assert_eq!(
        events[0]["text"],
        "Gr\u{fc}\u{df}e aus K\u{f6}ln \u{1F44B} \u{2014} is the mug 1/2 price?\n\"Blue\" or \u{8d64}?  "
    );
    assert_eq!(events[1]["text"], "Ja, bitte \u{2713}");
}

#[test]
fn unknown_items_are_other_with_their_json_and_neighbours_are_kept() {
    let events = events_json("unknown_item.json");
    assert_eq!(
        events,
        [
            from_user(
                "other",
                json!({"timestamp_ms": T + 170_000, "raw": item("unknown_item.json", 0, "messaging", 0)})
            ),
            from_user(
                "message",
                json!({"message_id": mid(20), "timestamp_ms": T + 171_000, "text": "Did you see my score?"})
            ),
            from_user(
                "other",
                json!({"timestamp_ms": T + 172_000, "raw": item("unknown_item.json", 0, "messaging", 2)})
            ),
        ]
    );
    // The raw JSON is the item itself, nested payload string and all.
    assert_eq!(events[0]["raw"]["game_play"]["payload"], "{\"level\":3}");
}

#[test]
fn unknown_attachment_types_are_other_and_keep_their_url() {
    assert_eq!(
        events_json("unknown_attachment.json"),
        [from_user(
            "message",
            json!({"message_id": mid(21), "timestamp_ms": T + 180_000, "attachments": [
                {"type": "other", "url": "https://cdn.fbsbx.com/v/hologram/1425102219048281", "media_id": null},
                {"type": "other", "url": null, "media_id": null},
            ]})
        )]
    );
}

#[test]
fn attachment_ids_become_media_ids() {
    let body = br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":5,"message":{"mid":"m_1","attachments":[{"type":"image","payload":{"url":"https:\/\/x.example\/a.jpg","attachment_id":"2457235337685388"}},{"type":"video","payload":{"attachment_id":2457235337685389}}]}}]}]}"#;
    let events = metabiz_messenger::webhook::parse_events(body).unwrap();
    let ids: Vec<_> = events[0]
        .attachments
        .iter()
        .map(|a| a.media_id.as_deref())
        .collect();
    assert_eq!(ids, [Some("2457235337685388"), Some("2457235337685389")]);
}

#[test]
fn page_feed_changes_are_other_with_the_change() {
    let body = br#"{"object":"page","entry":[{"id":"104518592379221","time":1749416383,"changes":[{"field":"feed","value":{"item":"reaction","verb":"add","post_id":"104518592379221_122105822345678901","reaction_type":"like"}}]}]}"#;
    let events = metabiz_messenger::webhook::parse_events(body).unwrap();
    let json = serde_json::to_value(&events).unwrap();
    assert_eq!(
        json,
        json!([event(json!({
            "kind": "other",
            "account_id": PAGE,
            "raw": {"field":"feed","value":{"item":"reaction","verb":"add","post_id":"104518592379221_122105822345678901","reaction_type":"like"}},
        }))])
    );
}

#[test]
fn dedup_keys_tell_deliveries_of_different_messages_apart() {
    let events = metabiz_messenger::webhook::parse_events(&fixture("delivery.json")).unwrap();
    let keys: Vec<_> = events
        .iter()
        .map(messaging_core::WebhookEvent::dedup_key)
        .collect();
    assert!(keys.iter().all(Option::is_some));
    assert_ne!(keys[0], keys[1]);
    assert_ne!(keys[1], keys[2]);
}
