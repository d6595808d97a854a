//! The normalized events of each documented payload shape, compared as whole JSON objects.

use serde_json::json;

use crate::support::{PHONE_NUMBER_ID, USER, event, events_json, fixture, merge, message};

#[test]
fn text_message() {
    assert_eq!(
        events_json("text.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
            "timestamp_ms": 1_749_416_383_000_i64,
            "text": "Does it come in another color?",
        }))]
    );
}

#[test]
fn reply_sets_reply_to_and_forwarded_message_has_none() {
    assert_eq!(
        events_json("text_reply_forwarded.json"),
        [
            message(json!({
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFBMDJBRTM5QzFDQTQ1Mzc3NQA=",
                "timestamp_ms": 1_749_416_412_000_i64,
                "text": "Yes, the blue one please",
                "reply_to": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBIyQjI2NTZCMEQ3QTBDQjk5NzEA",
            })),
            message(json!({
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFBMDJBRTM5QzFDQTQ1Mzc3NgA=",
                "timestamp_ms": 1_749_416_420_000_i64,
                "text": "Look at this deal",
            })),
        ]
    );
}

#[test]
fn image_with_caption_and_url() {
    assert_eq!(
        events_json("image.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUU3RjAzNTI2QjQ1NzdCQzVDMwA=",
            "timestamp_ms": 1_749_416_501_000_i64,
            "text": "This one, in blue",
            "attachments": [{
                "type": "image",
                "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256&ext=1749416501&hash=ATuGn2v5sQ",
                "media_id": "1003383421387256",
            }],
        }))]
    );
}

#[test]
fn voice_note_is_audio() {
    assert_eq!(
        events_json("audio_voice.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTc0QzVCQjBEQTA5N0U4RjE1NwA=",
            "timestamp_ms": 1_749_416_602_000_i64,
            "attachments": [{"type": "audio", "url": null, "media_id": "1046389117291834"}],
        }))]
    );
}

#[test]
fn video_with_caption() {
    assert_eq!(
        events_json("video.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQkY0Q0JCRTI3MEY0OTRCNjE4QQA=",
            "timestamp_ms": 1_749_416_703_000_i64,
            "text": "Unboxing",
            "attachments": [{"type": "video", "url": null, "media_id": "1184209413192218"}],
        }))]
    );
}

#[test]
fn document_is_a_file() {
    assert_eq!(
        events_json("document.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTNEN0U3QTY4OUQwQjJCMTg4QgA=",
            "timestamp_ms": 1_749_416_804_000_i64,
            "text": "My receipt",
            "attachments": [{"type": "file", "url": null, "media_id": "1251036029469613"}],
        }))]
    );
}

#[test]
fn sticker() {
    assert_eq!(
        events_json("sticker.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTBDNkI0NDAwQUVEN0QzNjFGNAA=",
            "timestamp_ms": 1_749_416_905_000_i64,
            "attachments": [{"type": "sticker", "url": null, "media_id": "1368422454323547"}],
        }))]
    );
}

#[test]
fn location_carries_its_url() {
    assert_eq!(
        events_json("location.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTY1QTk0RTg4QzE2QUU4RTlCMAA=",
            "timestamp_ms": 1_749_417_006_000_i64,
            "attachments": [{"type": "location", "url": "https://www.meta.com", "media_id": null}],
        }))]
    );
}

#[test]
fn contact_cards() {
    assert_eq!(
        events_json("contacts.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUQwMEIzMjk0RjdBQjk1N0Q2QgA=",
            "timestamp_ms": 1_749_417_107_000_i64,
            "attachments": [{"type": "contacts", "url": null, "media_id": null}],
        }))]
    );
}

#[test]
fn interactive_replies_give_the_chosen_title() {
    assert_eq!(
        events_json("interactive_replies.json"),
        [
            message(json!({
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUI0QjE4RTUyOUI2RjkzQjM4NgA=",
                "timestamp_ms": 1_749_417_208_000_i64,
                "text": "Change",
                "reply_to": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDNjE2NzNEQjNCMjQ1RTEzOUMA",
            })),
            message(json!({
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUI0QjE4RTUyOUI2RjkzQjM4NwA=",
                "timestamp_ms": 1_749_417_209_000_i64,
                "text": "Express Shipping",
                "reply_to": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA",
            })),
            message(json!({
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUI0QjE4RTUyOUI2RjkzQjM4OAA=",
                "timestamp_ms": 1_749_417_210_000_i64,
                "text": "Sent",
                "reply_to": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFRjc1NUU5NjM0OTk0NTc0MjQA",
            })),
        ]
    );
}

#[test]
fn template_quick_reply_button() {
    assert_eq!(
        events_json("button.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTgzRjMwQTYxQkQ0NjUyQTNCMAA=",
            "timestamp_ms": 1_749_417_311_000_i64,
            "text": "Stop promotions",
            "reply_to": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCMzNBN0E1NDRBRTg0OThCQTAA",
        }))]
    );
}

#[test]
fn reactions_name_the_reacted_message_and_removal_is_empty() {
    let reacted = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA";
    assert_eq!(
        events_json("reactions.json"),
        [
            message(json!({
                "kind": "reaction",
                "message_id": reacted,
                "timestamp_ms": 1_749_417_412_000_i64,
                "reaction": "\u{1F600}",
            })),
            message(json!({
                "kind": "reaction",
                "message_id": reacted,
                "timestamp_ms": 1_749_417_420_000_i64,
                "reaction": "",
            })),
            message(json!({
                "kind": "reaction",
                "message_id": reacted,
                "timestamp_ms": 1_749_417_421_000_i64,
                "reaction": "",
            })),
        ]
    );
}

#[test]
fn order_keeps_its_note() {
    assert_eq!(
        events_json("order.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTY3QTlEOTQ0MjU3RjQ1OTA1MwA=",
            "timestamp_ms": 1_749_417_513_000_i64,
            "text": "Please gift-wrap the mug",
        }))]
    );
}

#[test]
fn system_message_is_other_with_its_json() {
    assert_eq!(
        events_json("system.json"),
        [message(json!({
            "kind": "other",
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
            "timestamp_ms": 1_739_321_024_000_i64,
            "raw": {
                "from": USER,
                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
                "timestamp": "1739321024",
                "type": "system",
                "system": {
                    "body": "User Sheena Nelson changed from 16505551234 to 12195555358",
                    "wa_id": "12195555358",
                    "type": "user_changed_number"
                }
            },
        }))]
    );
}

#[test]
fn click_to_whatsapp_referral_is_a_plain_message() {
    assert_eq!(
        events_json("referral.json"),
        [message(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUNGOUE1NDJCNjlGNDE0NkI2OAA=",
            "timestamp_ms": 1_749_417_614_000_i64,
            "text": "Can I get more info about this?",
        }))]
    );
}

#[test]
fn unsupported_message_is_other_with_its_errors() {
    let events = events_json("unsupported.json");
    assert_eq!(
        events,
        [message(json!({
            "kind": "other",
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBQkFEMjZFQTEyN0ZCNTY2MwA=",
            "timestamp_ms": 1_749_417_715_000_i64,
            "raw": {
                "from": USER,
                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBQkFEMjZFQTEyN0ZCNTY2MwA=",
                "timestamp": "1749417715",
                "errors": [{
                    "code": 131_051,
                    "title": "Message type unknown",
                    "message": "Message type unknown",
                    "error_data": {"details": "Message type is currently not supported."}
                }],
                "type": "unsupported",
                "unsupported": {"type": "poll_creation"}
            },
        }))]
    );
}

#[test]
fn unknown_message_types_are_other_and_neighbours_are_kept() {
    assert_eq!(
        events_json("unknown_type.json"),
        [
            message(json!({
                "kind": "other",
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTlGQzA0Mzk2RjQ2QzE4RkRBQwA=",
                "timestamp_ms": 1_749_417_816_000_i64,
                "raw": {
                    "from": USER,
                    "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTlGQzA0Mzk2RjQ2QzE4RkRBQwA=",
                    "timestamp": "1749417816",
                    "type": "hologram",
                    "hologram": {"id": "1425102219048281", "frames": 24}
                },
            })),
            message(json!({
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTlGQzA0Mzk2RjQ2QzE4RkRBRAA=",
                "timestamp_ms": 1_749_417_817_000_i64,
                "text": "Did you get my hologram?",
            })),
            message(json!({
                "kind": "other",
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTlGQzA0Mzk2RjQ2QzE4RkRBRQA=",
                "timestamp_ms": 1_749_417_818_000_i64,
                "raw": {
                    "from": USER,
                    "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTlGQzA0Mzk2RjQ2QzE4RkRBRQA=",
                    "timestamp": "1749417818",
                    "type": "interactive",
                    "interactive": {
                        "type": "call_permission_reply",
                        "call_permission_reply": {"response": "accept"}
                    }
                },
            })),
        ]
    );
}

fn status(fields: serde_json::Value) -> serde_json::Value {
    let mut all = json!({
        "kind": "status",
        "account_id": PHONE_NUMBER_ID,
        "sender_id": PHONE_NUMBER_ID,
        "recipient_id": USER,
    });
    merge(&mut all, fields);
    event(all)
}

#[test]
fn sent_delivered_read_statuses() {
    let wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA";
    assert_eq!(
        events_json("statuses_sent_delivered_read.json"),
        [
            status(
                json!({"message_id": wamid, "timestamp_ms": 1_750_263_773_000_i64, "status": "sent"})
            ),
            status(
                json!({"message_id": wamid, "timestamp_ms": 1_750_263_774_000_i64, "status": "delivered"})
            ),
            status(
                json!({"message_id": wamid, "timestamp_ms": 1_750_263_790_000_i64, "status": "read"})
            ),
        ]
    );
}

#[test]
fn failed_status() {
    assert_eq!(
        events_json("status_failed.json"),
        [status(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCNDVEMzY4QkQ0RDhEQzU1NjIA",
            "timestamp_ms": 1_750_264_001_000_i64,
            "status": "failed",
        }))]
    );
}

#[test]
fn other_statuses_are_other_with_their_json() {
    assert_eq!(
        events_json("status_other_values.json"),
        [
            status(json!({
                "kind": "other",
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJEMUY1QjRBQTNCN0U2NDJGMjAA",
                "timestamp_ms": 1_750_264_100_000_i64,
                "raw": {
                    "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJEMUY1QjRBQTNCN0U2NDJGMjAA",
                    "status": "deleted",
                    "timestamp": "1750264100",
                    "recipient_id": USER
                },
            })),
            status(json!({
                "kind": "other",
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBNzJGNjk0NzJCOUQ3MzhGMTAA",
                "timestamp_ms": 1_750_264_101_000_i64,
                "raw": {
                    "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBNzJGNjk0NzJCOUQ3MzhGMTAA",
                    "status": "warning",
                    "timestamp": "1750264101",
                    "recipient_id": USER,
                    "errors": [{"code": 131_053, "title": "Catalog item unavailable"}]
                },
            })),
            // A timestamp that is not a number is null, not an error.
            status(json!({
                "kind": "other",
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBNzJGNjk0NzJCOUQ3MzhGMTEA",
                "raw": {
                    "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBNzJGNjk0NzJCOUQ3MzhGMTEA",
                    "status": "played",
                    "timestamp": "not-a-number",
                    "recipient_id": USER
                },
            })),
        ]
    );
}

#[test]
fn status_whose_contact_has_only_wa_id() {
    assert_eq!(
        events_json("status_contact_wa_id_only.json"),
        [status(json!({
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RDNDOEE1QTlCRTNFNjg1RjcA",
            "timestamp_ms": 1_750_264_200_000_i64,
            "status": "delivered",
        }))]
    );
}

#[test]
fn business_scoped_user_id_stands_in_for_a_missing_phone_number() {
    let bsuid = "US.13491208655302741918";
    assert_eq!(
        events_json("business_scoped_user_id.json"),
        [
            message(json!({
                "sender_id": bsuid,
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTk3NUE3OTg0RjEzMjg2RjEzRgA=",
                "timestamp_ms": 1_776_038_400_000_i64,
                "text": "Hi, it's me with my new username",
            })),
            status(json!({
                "recipient_id": bsuid,
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFMjlEQjMxQTk3QzBFQzZCNkEA",
                "timestamp_ms": 1_776_038_460_000_i64,
                "status": "read",
            })),
        ]
    );
}

#[test]
fn unknown_change_fields_are_other_with_field_and_value() {
    let body = fixture("unknown_field_calls.json");
    let original: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let changes = &original["entry"][0]["changes"];
    assert_eq!(
        events_json("unknown_field_calls.json"),
        [
            event(json!({
                "kind": "other",
                "account_id": PHONE_NUMBER_ID,
                "timestamp_ms": 1_750_264_500_000_i64,
                "raw": {"field": "calls", "value": changes[0]["value"]},
            })),
            // No metadata, so no account id.
            event(json!({
                "kind": "other",
                "timestamp_ms": 1_750_264_500_000_i64,
                "raw": {"field": "message_template_status_update", "value": changes[1]["value"]},
            })),
        ]
    );
}

#[test]
fn business_app_echoes() {
    let echo = |fields: serde_json::Value| {
        let mut all = json!({
            "kind": "echo",
            "account_id": PHONE_NUMBER_ID,
            "sender_id": "15550783881",
            "recipient_id": USER,
        });
        merge(&mut all, fields);
        event(all)
    };
    assert_eq!(
        events_json("smb_message_echoes.json"),
        [
            echo(json!({
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0NkZFRUU3NkJFNTQxRkQ3NjUA",
                "timestamp_ms": 1_750_264_600_000_i64,
                "text": "Here's the info you requested! https://www.meta.com/quest/quest-3/",
            })),
            echo(json!({
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0NkZFRUU3NkJFNTQxRkQ3NjYA",
                "timestamp_ms": 1_750_264_601_000_i64,
                "attachments": [{"type": "image", "url": null, "media_id": "1478931203341012"}],
            })),
            echo(json!({
                "kind": "other",
                "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0NkZFRUU3NkJFNTQxRkQ3NjcA",
                "timestamp_ms": 1_750_264_602_000_i64,
                "raw": {
                    "from": "15550783881",
                    "to": USER,
                    "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0NkZFRUU3NkJFNTQxRkQ3NjcA",
                    "timestamp": "1750264602",
                    "type": "revoke",
                    "revoke": {
                        "original_message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0NkZFRUU3NkJFNTQxRkQ3NjUA"
                    }
                },
            })),
        ]
    );
}

#[test]
fn value_errors_are_other_with_their_json() {
    assert_eq!(
        events_json("value_errors.json"),
        [event(json!({
            "kind": "other",
            "account_id": PHONE_NUMBER_ID,
            "raw": {
                "code": 131_000,
                "title": "Something went wrong",
                "message": "Something went wrong",
                "error_data": {"details": "Unknown error. Please retry later."}
            },
        }))]
    );
}

#[test]
fn meta_escapes_decode_to_the_exact_text() {
    let body = fixture("escaped_text.json");
    // The fixture is escaped the way Meta sends it (the bytes the signature covers).
    let raw = std::str::from_utf8(&body).unwrap();
    assert!(raw.contains(r"https:\/\/example.com\/k\u00e4se"));
    assert!(raw.contains(r"\ud83e\uddc0"));
    assert_eq!(
        events_json("escaped_text.json"),
        [event(json!({
            "kind": "message",
            "account_id": PHONE_NUMBER_ID,
            "sender_id": "4915112345678",
            "recipient_id": PHONE_NUMBER_ID,
            "message_id": "wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFDNBMDI3NkU0QjE1RDU5OTdCMTRBAA==",
            "timestamp_ms": 1_750_264_700_000_i64,
            "text": "Grüße! Ist https://example.com/käse noch verfügbar? \u{1F9C0} \"Ja/Nein\"\nDanke",
        }))]
    );
}

#[test]
fn batch_yields_every_item_of_every_change_of_every_entry_in_order() {
    let events = events_json("batch.json");
    let summary: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["account_id"].as_str().map(str::to_owned),
                e["message_id"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let row = |kind: &str, account: Option<&str>, id: Option<&str>| {
        (
            kind.to_owned(),
            account.map(str::to_owned),
            id.map(str::to_owned),
        )
    };
    let (first, second, third) = (
        Some("106540352242922"),
        Some("106540352242923"),
        Some("201234567890123"),
    );
    assert_eq!(
        summary,
        [
            row("message", first, Some("wamid.BATCH-E1-C1-M1")),
            row("message", first, Some("wamid.BATCH-E1-C1-M2")),
            row("reaction", first, Some("wamid.BATCH-OUT-1")),
            row("status", first, Some("wamid.BATCH-OUT-2")),
            row("status", first, Some("wamid.BATCH-OUT-3")),
            row("message", second, Some("wamid.BATCH-E1-C2-M1")),
            row("message", second, Some("wamid.BATCH-E1-C2-M2")),
            row("message", third, Some("wamid.BATCH-E2-C1-M1")),
            row("status", third, Some("wamid.BATCH-OUT-4")),
            row("status", third, Some("wamid.BATCH-OUT-4")),
            row("other", None, None),
        ]
    );
    // Spot-check whole events from the middle and the end of the batch.
    assert_eq!(
        events[2],
        event(json!({
            "kind": "reaction",
            "account_id": "106540352242922",
            "sender_id": USER,
            "recipient_id": "106540352242922",
            "message_id": "wamid.BATCH-OUT-1",
            "timestamp_ms": 1_750_265_003_000_i64,
            "reaction": "\u{2764}\u{FE0F}",
        }))
    );
    assert_eq!(
        events[6],
        event(json!({
            "kind": "message",
            "account_id": "106540352242923",
            "sender_id": "5511987654321",
            "recipient_id": "106540352242923",
            "message_id": "wamid.BATCH-E1-C2-M2",
            "timestamp_ms": 1_750_265_007_000_i64,
            "text": "Second number, second message",
        }))
    );
    assert_eq!(events[4]["status"], "failed");
    assert_eq!(events[4]["recipient_id"], USER);
    assert_eq!(events[9]["status"], "read");
    assert_eq!(
        events[10]["raw"],
        json!({
            "field": "account_update",
            "value": {
                "phone_number": "442071838750",
                "event": "ACCOUNT_VIOLATION",
                "violation_info": {"violation_type": "SCAM"}
            }
        })
    );
}

#[test]
fn webhook_inspect_sample_is_a_valid_batch() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/webhook-inspect/samples/whatsapp.json"
    );
    let body = std::fs::read(path).expect("the sample exists");
    let events = metabiz_whatsapp::webhook::parse_events(&body).expect("the sample parses");
    let kinds: Vec<_> = events
        .iter()
        .map(|e| serde_json::to_value(e.kind).unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "message", "message", "message", "reaction", "status", "status", "status", "other"
        ]
    );
}
