use messaging_core::{
    AttachmentKind, AttachmentSource, Conversation, Cursor, Direction, Message, OutgoingAttachment,
    Page, Participant, PlatformKind, SentMessage, UserProfile,
};
use serde_json::json;

#[test]
fn a_page_keeps_its_cursor_through_map_and_serializes_plainly() {
    let page = Page::new(
        vec![1, 2, 3],
        Some(Cursor::new("QVFIUmx1WTBpMGpJWXprYzVYaVhabEtaTXRMRG")),
    );
    assert!(!page.is_last());
    let mapped = page.map(|n| n * 10);
    assert_eq!(mapped.iter().copied().collect::<Vec<_>>(), [10, 20, 30]);
    assert_eq!(
        serde_json::to_value(&mapped).unwrap(),
        json!({ "items": [10, 20, 30], "next": "QVFIUmx1WTBpMGpJWXprYzVYaVhabEtaTXRMRG" }),
    );
    let (items, next) = mapped.into_parts();
    assert_eq!(items, [10, 20, 30]);
    assert_eq!(next.unwrap(), "QVFIUmx1WTBpMGpJWXprYzVYaVhabEtaTXRMRG");
}

#[test]
fn an_empty_page_with_a_cursor_is_not_the_end() {
    let empty: Page<u8> = Page::new(Vec::new(), Some(Cursor::from("after")));
    assert!(!empty.is_last());
    assert_eq!(empty.next_cursor().map(Cursor::as_str), Some("after"));
    let last: Page<u8> = Page::default();
    assert!(last.is_last());
    assert_eq!(
        serde_json::to_value(&last).unwrap(),
        json!({ "items": [], "next": null })
    );
}

#[test]
fn conversation_counterparts_exclude_the_business() {
    let conversation = Conversation::new(
        PlatformKind::Instagram,
        "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc4NDE0NTU",
        "17841405822304914",
        1_700_000_000_000,
    )
    .with_participant(Participant::new("17841405822304914").with_username("mybusiness"))
    .with_participant(Participant::new("1254459154682919").with_username("peter_chang_live"));

    let people: Vec<_> = conversation.counterparts().collect();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].id, "1254459154682919");
    assert_eq!(people[0].username.as_deref(), Some("peter_chang_live"));

    assert_eq!(
        serde_json::to_value(&conversation).unwrap(),
        json!({
            "platform": "instagram",
            "id": "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc4NDE0NTU",
            "account_id": "17841405822304914",
            "participants": [
                { "id": "17841405822304914", "name": null, "username": "mybusiness" },
                { "id": "1254459154682919", "name": null, "username": "peter_chang_live" }
            ],
            "updated_time_ms": 1_700_000_000_000_i64,
            "snippet": null,
            "unread_count": null
        }),
    );
}

#[test]
fn message_round_trips_through_json() {
    let message = Message::new(
        PlatformKind::Messenger,
        "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P",
        "1234567890",
        Direction::Inbound,
        "6789012345678901",
        "1234567890",
        1_700_000_000_000,
    )
    .with_conversation_id("t_10223902783489527")
    .with_text("hi")
    .with_reply_to("m_earlier");
    let json = serde_json::to_value(&message).unwrap();
    assert_eq!(json["direction"], "inbound");
    assert_eq!(json["conversation_id"], "t_10223902783489527");
    assert_eq!(json["status"], serde_json::Value::Null);
    assert_eq!(serde_json::from_value::<Message>(json).unwrap(), message);
}

#[test]
fn outgoing_attachment_names_its_source() {
    let by_url =
        OutgoingAttachment::from_url(AttachmentKind::File, "https://example.com/invoice.pdf")
            .with_caption("Your invoice")
            .with_filename("invoice-0042.pdf");
    assert_eq!(
        serde_json::to_value(&by_url).unwrap(),
        json!({
            "kind": "file",
            "source": { "url": "https://example.com/invoice.pdf" },
            "caption": "Your invoice",
            "filename": "invoice-0042.pdf"
        }),
    );
    let by_id = OutgoingAttachment::from_media_id(AttachmentKind::Image, "1104480873777230");
    assert_eq!(
        by_id.source,
        AttachmentSource::MediaId("1104480873777230".into())
    );
    assert_eq!(
        serde_json::to_value(&by_id.source).unwrap(),
        json!({ "media_id": "1104480873777230" }),
    );
}

#[test]
fn profile_keeps_platform_specific_fields_under_meta_names() {
    let profile = UserProfile::new(PlatformKind::Instagram, "1254459154682919")
        .with_name("Peter Chang")
        .with_username("peter_chang_live")
        .with_extra("follower_count", 1234)
        .with_extra("is_user_follow_business", false);
    let json = serde_json::to_value(&profile).unwrap();
    assert_eq!(
        json["extra"],
        json!({ "follower_count": 1234, "is_user_follow_business": false })
    );
    assert_eq!(json["profile_pic"], serde_json::Value::Null);
    assert_eq!(
        serde_json::from_value::<UserProfile>(json).unwrap(),
        profile
    );
}

#[test]
fn sent_message_json() {
    let sent = SentMessage::new(
        PlatformKind::WhatsApp,
        "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA",
        "16505551234",
    );
    assert_eq!(
        serde_json::to_value(&sent).unwrap(),
        json!({
            "platform": "whatsapp",
            "message_id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA",
            "recipient": "16505551234",
            "timestamp_ms": null
        }),
    );
    assert_eq!(sent.with_timestamp_ms(5).timestamp_ms, Some(5));
}
