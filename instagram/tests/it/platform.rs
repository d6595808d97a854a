//! `InstagramClient` as a `messaging_core::Platform`.

use std::sync::Arc;

use messaging_core::{
    AttachmentKind, ConversationId, Direction, ErrorKind as Core, MessageId, OutgoingAttachment,
    Platform, PlatformKind, UserId,
};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer};

use crate::client::{ACCOUNT, IGSID, PAGE_ID, api, catch_all, facebook, instagram, respond};

#[tokio::test]
async fn sends_and_pages_in_the_normalized_model() {
    let server = MockServer::start().await;
    for body in [
        json!({"recipient": {"id": IGSID}, "messaging_type": "RESPONSE", "message": {"text": "Hola"}}),
        json!({"recipient": {"id": IGSID}, "messaging_type": "RESPONSE", "message": {"text": "Sí"},
               "reply_to": {"mid": "aWdfmid"}}),
        json!({"recipient": {"id": IGSID}, "messaging_type": "RESPONSE",
               "message": {"attachment": {"type": "image", "payload": {"url": "https://example.com/a.jpg"}}}}),
    ] {
        Mock::given(method("POST"))
            .and(path(api(&format!("{ACCOUNT}/messages"))))
            .and(body_json(body))
            .respond_with(respond(200, "send_response.json"))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(api(&format!("{ACCOUNT}/conversations"))))
        .respond_with(respond(200, "conversations.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api("t_1/messages")))
        .respond_with(respond(200, "messages.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let platform: Arc<dyn Platform> = Arc::new(instagram(&server));
    assert_eq!(platform.kind(), PlatformKind::Instagram);
    assert_eq!(platform.account_id().as_str(), ACCOUNT);
    let user = UserId::new(IGSID);

    let sent = platform.send_text(&user, "Hola").await.unwrap();
    assert_eq!(sent.platform, PlatformKind::Instagram);
    platform
        .reply(&user, &MessageId::new("aWdfmid"), "Sí")
        .await
        .unwrap();
    platform
        .send_attachment(
            &user,
            &OutgoingAttachment::from_url(AttachmentKind::Image, "https://example.com/a.jpg"),
        )
        .await
        .unwrap();
    let refused = platform
        .send_attachment(
            &user,
            &OutgoingAttachment::from_url(AttachmentKind::File, "https://example.com/a.pdf")
                .with_filename("a.pdf"),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), &Core::Validation);

    let page = platform.conversations(None).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].platform, PlatformKind::Instagram);
    assert_eq!(
        page.items[0]
            .counterparts()
            .next()
            .unwrap()
            .username
            .as_deref(),
        Some("lucía.ramos")
    );
    let messages = platform
        .messages(&ConversationId::new("t_1"), None)
        .await
        .unwrap();
    assert_eq!(messages.items[0].direction, Direction::Inbound);
    assert_eq!(
        messages.items[0].text.as_deref(),
        Some("¿Tienen la talla M? 🙏")
    );
}

#[tokio::test]
async fn mark_read_and_profile_through_the_page() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api(&format!("{PAGE_ID}/messages"))))
        .and(body_json(
            json!({"recipient": {"id": IGSID}, "sender_action": "mark_seen"}),
        ))
        .respond_with(respond(200, "sender_action_response.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api(IGSID)))
        .respond_with(respond(200, "user_profile.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let platform: Arc<dyn Platform> = Arc::new(facebook(&server));
    let user = UserId::new(IGSID);
    platform
        .mark_read(&user, &MessageId::new("m"))
        .await
        .unwrap();
    let profile = platform.user_profile(&user).await.unwrap();
    assert_eq!(profile.name.as_deref(), Some("Lucía Ramos"));
    assert_eq!(profile.username.as_deref(), Some("lucía.ramos"));
    assert_eq!(profile.extra["follower_count"], 1234);

    let body = br#"{"object":"instagram","entry":[{"id":"17841400000000000","time":1764526913000,"messaging":[{"sender":{"id":"1254477777772919"},"recipient":{"id":"17841400000000000"},"timestamp":1764526913000,"message":{"mid":"aWdfmid","text":"hola"}}]}]}"#;
    let events = platform.parse_webhook(body).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].text.as_deref(), Some("hola"));
    let error = platform
        .parse_webhook(br#"{"object":"page","entry":[]}"#)
        .unwrap_err();
    assert_eq!(error.kind(), &Core::InvalidInput);
}
