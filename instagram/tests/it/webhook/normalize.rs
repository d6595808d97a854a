//! The normalized events of each documented payload shape, compared as whole JSON objects.

use serde_json::json;

use super::support::{
    ACCOUNT, ACCOUNT2, IGSID, IGSID2, T, cdn, event, events_json, from_user, item, mid,
};

#[test]
fn text_messages_and_quick_reply() {
    assert_eq!(
        events_json("text.json"),
        [
            from_user(
                "message",
                json!({"message_id": mid(1), "timestamp_ms": T, "text": "Hi! Do you ship to Lisbon?"})
            ),
            // A quick reply is a message whose text is the button's title.
            from_user(
                "message",
                json!({"message_id": mid(2), "timestamp_ms": T + 9000, "text": "Yes, express"})
            ),
        ]
    );
}

#[test]
fn escaped_text_is_unescaped_exactly() {
    assert_eq!(
        events_json("escaped_text.json"),
        [from_user(
            "message",
            json!({
                "message_id": mid(3),
                "timestamp_ms": T + 11_000,
                "text": "Grüße aus München 👋 — size 38/39? \"Both\" please\nand a gift note ❤️",
            })
        )]
    );
}

#[test]
fn media_attachments_keep_type_and_url() {
    let attachment =
        |kind: &str, asset: &str| json!({"type": kind, "url": cdn(asset), "media_id": null});
    assert_eq!(
        events_json("media.json"),
        [
            from_user(
                "message",
                json!({"message_id": mid(4), "timestamp_ms": T + 20_000, "attachments": [
                    attachment("image", "18045122334455661"),
                    attachment("image", "18045122334455662"),
                ]})
            ),
            from_user(
                "message",
                json!({"message_id": mid(5), "timestamp_ms": T + 21_000, "attachments": [attachment("video", "18045122334455663")]})
            ),
            from_user(
                "message",
                json!({"message_id": mid(6), "timestamp_ms": T + 22_000, "attachments": [attachment("audio", "18045122334455664")]})
            ),
            from_user(
                "message",
                json!({"message_id": mid(7), "timestamp_ms": T + 23_000, "attachments": [attachment("file", "18045122334455665")]})
            ),
        ]
    );
}

#[test]
fn posts_reels_and_shares_are_shares_and_a_post_sent_twice_is_one() {
    let share = |url: String| json!([{"type": "share", "url": url, "media_id": null}]);
    assert_eq!(
        events_json("shares.json"),
        [
            from_user(
                "message",
                json!({"message_id": mid(8), "timestamp_ms": T + 30_000, "attachments": share(cdn("18139494541428835"))})
            ),
            // `share` and `ig_post` of the same post during Meta's transition: one share.
            from_user(
                "message",
                json!({"message_id": mid(9), "timestamp_ms": T + 31_000, "attachments": share(cdn("18024681357913579"))})
            ),
            from_user(
                "message",
                json!({"message_id": mid(10), "timestamp_ms": T + 32_000, "attachments": share("https://www.instagram.com/reel/C8xYz12AbCd/".to_owned())})
            ),
            from_user(
                "message",
                json!({"message_id": mid(11), "timestamp_ms": T + 33_000, "attachments": share(cdn("17906265141506852"))})
            ),
        ]
    );
}

#[test]
fn story_mention_is_its_own_attachment_type() {
    assert_eq!(
        events_json("story_mention.json"),
        [from_user(
            "message",
            json!({"message_id": mid(12), "timestamp_ms": T + 40_000, "attachments": [
                {"type": "story_mention", "url": cdn("18300011122233344"), "media_id": null},
            ]})
        )]
    );
}

#[test]
fn a_story_reply_replies_to_no_message() {
    assert_eq!(
        events_json("story_reply.json"),
        [from_user(
            "message",
            json!({"message_id": mid(13), "timestamp_ms": T + 41_000, "text": "Love this look! 😍"})
        )]
    );
}

#[test]
fn an_inline_reply_sets_reply_to() {
    assert_eq!(
        events_json("reply_to.json"),
        [from_user(
            "message",
            json!({"message_id": mid(14), "timestamp_ms": T + 42_000, "text": "The second one, in M", "reply_to": mid(900)})
        )]
    );
}

#[test]
fn echoes_are_sent_by_the_account() {
    let echo = |fields: serde_json::Value| {
        let mut all = json!({"kind": "echo", "account_id": ACCOUNT, "sender_id": ACCOUNT, "recipient_id": IGSID});
        for (key, value) in fields.as_object().unwrap() {
            all[key] = value.clone();
        }
        event(all)
    };
    assert_eq!(
        events_json("echo.json"),
        [
            echo(
                json!({"message_id": mid(15), "timestamp_ms": T + 50_000, "text": "Thanks! Your order ships tomorrow."})
            ),
            echo(
                json!({"message_id": mid(16), "timestamp_ms": T + 51_000, "attachments": [
                    {"type": "image", "url": cdn("18045122334455666"), "media_id": null},
                ]})
            ),
        ]
    );
}

#[test]
fn deleted_and_unsupported_messages_are_other_with_their_item() {
    assert_eq!(
        events_json("deleted.json"),
        [from_user(
            "other",
            json!({"message_id": mid(4), "timestamp_ms": T + 60_000, "raw": item("deleted.json", 0, "messaging", 0)})
        )]
    );
    assert_eq!(
        events_json("unsupported.json"),
        [from_user(
            "other",
            json!({"message_id": mid(17), "timestamp_ms": T + 61_000, "raw": item("unsupported.json", 0, "messaging", 0)})
        )]
    );
}

#[test]
fn reactions_carry_the_emoji_and_an_unreact_the_empty_string() {
    assert_eq!(
        events_json("reactions.json"),
        [
            from_user(
                "reaction",
                json!({"message_id": mid(15), "timestamp_ms": T + 70_000, "reaction": "❤️"})
            ),
            from_user(
                "reaction",
                json!({"message_id": mid(15), "timestamp_ms": T + 71_000, "reaction": ""})
            ),
            from_user(
                "reaction",
                json!({"message_id": mid(16), "timestamp_ms": T + 72_000, "reaction": "😂"})
            ),
        ]
    );
}

#[test]
fn a_read_names_the_message_seen() {
    assert_eq!(
        events_json("read.json"),
        [from_user(
            "read",
            json!({"message_id": mid(15), "timestamp_ms": T + 80_000})
        )]
    );
}

#[test]
fn postbacks_carry_the_title() {
    assert_eq!(
        events_json("postback.json"),
        [
            from_user(
                "postback",
                json!({"message_id": mid(18), "timestamp_ms": T + 90_000, "text": "What are your opening hours?"})
            ),
            from_user(
                "postback",
                json!({"message_id": mid(19), "timestamp_ms": T + 91_000, "text": "Book a fitting"})
            ),
        ]
    );
}

#[test]
fn referrals_are_other_and_messages_from_ads_are_messages() {
    assert_eq!(
        events_json("referral.json"),
        [
            from_user(
                "other",
                json!({"timestamp_ms": T + 100_000, "raw": item("referral.json", 0, "messaging", 0)})
            ),
            from_user(
                "message",
                json!({"message_id": mid(20), "timestamp_ms": T + 101_000, "text": "Is this still available?"})
            ),
            from_user(
                "message",
                json!({"message_id": mid(21), "timestamp_ms": T + 102_000, "text": "Do you have this in navy?"})
            ),
        ]
    );
}

#[test]
fn unknown_and_ephemeral_attachments_are_other() {
    assert_eq!(
        events_json("unknown_attachment.json"),
        [
            from_user(
                "message",
                json!({"message_id": mid(22), "timestamp_ms": T + 110_000, "attachments": [
                    {"type": "other", "url": null, "media_id": null},
                ]})
            ),
            from_user(
                "message",
                json!({"message_id": mid(23), "timestamp_ms": T + 111_000, "attachments": [
                    {"type": "other", "url": null, "media_id": null},
                ]})
            ),
        ]
    );
}

#[test]
fn changes_are_other_with_the_change_and_no_time() {
    let events = events_json("changes.json");
    assert_eq!(events.len(), 3);
    for (index, event_json) in events.iter().enumerate() {
        assert_eq!(
            event_json,
            &event(
                json!({"kind": "other", "account_id": ACCOUNT, "raw": item("changes.json", 0, "changes", index)})
            )
        );
    }
}

#[test]
fn standby_items_are_normalized_like_messaging_items() {
    assert_eq!(
        events_json("standby.json"),
        [from_user(
            "message",
            json!({"message_id": mid(24), "timestamp_ms": T + 120_000, "text": "Can a person help me?"})
        )]
    );
}

#[test]
fn handover_and_unknown_items_are_other_with_their_item() {
    for (name, count) in [("handover.json", 3), ("unknown_item.json", 2)] {
        let events = events_json(name);
        assert_eq!(events.len(), count, "{name}");
        for (index, event_json) in events.iter().enumerate() {
            let raw = item(name, 0, "messaging", index);
            assert_eq!(
                event_json,
                &from_user(
                    "other",
                    json!({"timestamp_ms": raw["timestamp"], "raw": raw})
                ),
                "{name} {index}"
            );
        }
    }
}

#[test]
fn a_batch_yields_every_entry_and_item_in_document_order() {
    let events = events_json("batch.json");
    let summary: Vec<_> = events
        .iter()
        .map(|event| {
            (
                event["kind"].as_str().unwrap().to_owned(),
                event["account_id"].as_str().unwrap().to_owned(),
                event["sender_id"].as_str().map(str::to_owned),
                event["message_id"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let row = |kind: &str, account: &str, sender: Option<&str>, message: Option<String>| {
        (
            kind.to_owned(),
            account.to_owned(),
            sender.map(str::to_owned),
            message,
        )
    };
    assert_eq!(
        summary,
        [
            row("message", ACCOUNT, Some(IGSID), Some(mid(30))),
            row("reaction", ACCOUNT, Some(IGSID), Some(mid(30))),
            row("read", ACCOUNT, Some(IGSID), Some(mid(31))),
            // The second account: messaging items, then standby items.
            row("postback", ACCOUNT2, Some(IGSID2), Some(mid(32))),
            row("echo", ACCOUNT2, Some(ACCOUNT2), Some(mid(33))),
            row("message", ACCOUNT2, Some(IGSID2), Some(mid(34))),
            // The third entry: messaging items, then changes.
            row("message", ACCOUNT, Some(IGSID), Some(mid(35))),
            row("other", ACCOUNT, None, None),
        ]
    );
    assert_eq!(events[1]["reaction"], "👍");
    assert_eq!(events[6]["attachments"][0]["type"], "story_mention");
    assert_eq!(events[7]["raw"], item("batch.json", 2, "changes", 0));
}

#[test]
fn a_drifted_item_is_other_and_the_rest_of_the_batch_is_read() {
    let events = events_json("drifted.json");
    assert_eq!(
        events[0],
        from_user(
            "message",
            json!({"message_id": mid(40), "timestamp_ms": T + 160_000, "text": "Before"})
        )
    );
    assert_eq!(
        events[1],
        from_user(
            "other",
            json!({"timestamp_ms": T + 161_000, "raw": item("drifted.json", 0, "messaging", 1)})
        )
    );
    // Its timestamp is reshaped too: only what still has its usual shape is read.
    assert_eq!(
        events[2],
        from_user(
            "other",
            json!({"raw": item("drifted.json", 0, "messaging", 2)})
        )
    );
    assert_eq!(
        events[3],
        from_user(
            "other",
            json!({"timestamp_ms": T + 163_000, "raw": item("drifted.json", 0, "messaging", 3)})
        )
    );
    assert_eq!(
        events[4],
        from_user(
            "message",
            json!({"message_id": mid(44), "timestamp_ms": T + 164_000, "attachments": [
                {"type": "image", "url": cdn("18045122334455667"), "media_id": null},
            ]})
        )
    );
    assert_eq!(events.len(), 5);
}

#[test]
fn events_of_one_delivery_share_dedup_keys_and_others_have_none() {
    let events = webhook_events("batch.json");
    let keys: Vec<_> = events
        .iter()
        .map(messaging_core::WebhookEvent::dedup_key)
        .collect();
    assert_eq!(
        keys[0].as_deref(),
        Some(format!("instagram:message:{}", mid(30)).as_str())
    );
    assert!(keys[7].is_none(), "changes have no key");
    let again = webhook_events("batch.json");
    assert_eq!(
        keys,
        again
            .iter()
            .map(messaging_core::WebhookEvent::dedup_key)
            .collect::<Vec<_>>()
    );
}

fn webhook_events(name: &str) -> Vec<messaging_core::WebhookEvent> {
    metabiz_instagram::webhook::parse_events(&super::support::fixture(name)).unwrap()
}
