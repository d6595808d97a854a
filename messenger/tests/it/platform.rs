//! `MessengerClient` as a `messaging_core::Platform`: one page of conversations or messages per
//! call with a cursor, messages in the normalized model, and errors in platform terms.

use std::sync::Arc;

use messaging_core::{
    AttachmentKind, ConversationId, Cursor, Direction, ErrorKind as Core, EventKind, MessageId,
    OutgoingAttachment, Platform, PlatformKind, UserId,
};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

use crate::client::{PAGE_ID, PSID, api, authorized, catch_all, client, respond};

fn platform(server: &MockServer) -> Arc<dyn Platform> {
    Arc::new(client(server))
}

#[tokio::test]
async fn send_text_reply_and_attachment() {
    let server = MockServer::start().await;
    for body in [
        json!({"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
               "message": {"text": "Hola 👋"}}),
        json!({"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
               "message": {"text": "Sí"}, "reply_to": {"mid": "m_abc"}}),
        json!({"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
               "message": {"attachment": {"type": "file", "payload": {"attachment_id": "1857777774821032"}}}}),
    ] {
        Mock::given(method("POST"))
            .and(path(api(&format!("{PAGE_ID}/messages"))))
            .and(authorized())
            .and(body_json(body))
            .respond_with(respond(&server, 200, "send_response.json"))
            .expect(1)
            .mount(&server)
            .await;
    }
    catch_all(&server).await;
    let platform = platform(&server);
    assert_eq!(platform.kind(), PlatformKind::Messenger);
    assert_eq!(platform.account_id().as_str(), PAGE_ID);
    let user = UserId::new(PSID);

    let sent = platform.send_text(&user, "Hola 👋").await.unwrap();
    assert_eq!(sent.platform, PlatformKind::Messenger);
    assert_eq!(sent.recipient.as_str(), PSID);
    platform
        .reply(&user, &MessageId::new("m_abc"), "Sí")
        .await
        .unwrap();
    platform
        .send_attachment(
            &user,
            &OutgoingAttachment::from_media_id(AttachmentKind::File, "1857777774821032"),
        )
        .await
        .unwrap();

    // What Messenger cannot carry is refused, not dropped.
    for refused in [
        OutgoingAttachment::from_url(AttachmentKind::Image, "https://example.com/a.jpg")
            .with_caption("captions are not shown"),
        OutgoingAttachment::from_url(AttachmentKind::Contacts, "https://example.com/c"),
    ] {
        let error = platform.send_attachment(&user, &refused).await.unwrap_err();
        assert_eq!(error.kind(), &Core::Validation);
    }
}

#[tokio::test]
async fn conversations_page_by_page_with_the_cursor() {
    let server = MockServer::start().await;
    let conversations = api(&format!("{PAGE_ID}/conversations"));
    Mock::given(method("GET"))
        .and(path(conversations.clone()))
        .and(query_param("platform", "messenger"))
        .and(query_param_is_missing("after"))
        .respond_with(respond(&server, 200, "conversations_page1.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(conversations))
        .and(query_param("after", "QVFIUkNn"))
        .respond_with(respond(&server, 200, "conversations_page2.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let platform = platform(&server);

    let first = platform.conversations(None).await.unwrap();
    assert_eq!(first.items.len(), 2);
    let conversation = &first.items[0];
    assert_eq!(conversation.platform, PlatformKind::Messenger);
    assert_eq!(conversation.account_id.as_str(), PAGE_ID);
    assert_eq!(conversation.updated_time_ms, 1_796_062_913_000);
    assert_eq!(conversation.unread_count, Some(2));
    assert_eq!(
        conversation.counterparts().next().unwrap().id.as_str(),
        PSID
    );
    let cursor = first.next_cursor().cloned().expect("a next page");
    assert_eq!(cursor, Cursor::new("QVFIUkNn"));

    let second = platform.conversations(Some(&cursor)).await.unwrap();
    assert_eq!(second.items.len(), 1);
    assert!(second.is_last());
}

#[tokio::test]
async fn messages_are_normalized_with_their_direction() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api("t_10161225367741234/messages")))
        .respond_with(respond(&server, 200, "messages.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let page = platform(&server)
        .messages(&ConversationId::new("t_10161225367741234"), None)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 3);
    let inbound = &page.items[0];
    assert_eq!(inbound.direction, Direction::Inbound);
    assert_eq!(inbound.sender.as_str(), PSID);
    assert_eq!(inbound.text.as_deref(), Some("¿Tienen envío gratis?"));
    assert_eq!(
        inbound
            .conversation_id
            .as_ref()
            .map(messaging_core::ConversationId::as_str),
        Some("t_10161225367741234")
    );
    let outbound = &page.items[1];
    assert_eq!(outbound.direction, Direction::Outbound);
    assert_eq!(outbound.text, None);
    assert_eq!(outbound.attachments[0].kind, AttachmentKind::Image);
    assert!(page.is_last());
}

#[tokio::test]
async fn mark_read_profile_and_webhooks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api(&format!("{PAGE_ID}/messages"))))
        .and(body_json(
            json!({"recipient": {"id": PSID}, "sender_action": "mark_seen"}),
        ))
        .respond_with(respond(&server, 200, "sender_action_response.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api(PSID)))
        .respond_with(respond(&server, 200, "user_profile.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let platform = platform(&server);
    let user = UserId::new(PSID);

    platform
        .mark_read(&user, &MessageId::new("m_any"))
        .await
        .unwrap();
    let profile = platform.user_profile(&user).await.unwrap();
    assert_eq!(profile.name.as_deref(), Some("Sheena Nelson"));
    assert_eq!(profile.extra["first_name"], "Sheena");

    let body = br#"{"object":"page","entry":[{"id":"106540352242922","time":1764526913000,"messaging":[{"sender":{"id":"6254119754622003"},"recipient":{"id":"106540352242922"},"timestamp":1764526913000,"message":{"mid":"m_1","text":"hi"}}]}]}"#;
    let events = platform.parse_webhook(body).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::Message);
    let error = platform
        .parse_webhook(br#"{"object":"instagram","entry":[]}"#)
        .unwrap_err();
    assert_eq!(error.kind(), &Core::InvalidInput);
}
