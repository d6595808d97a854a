//! `WhatsAppClient` as a `messaging_core::Platform`: the same calls as every platform, the
//! documented bodies on the wire, and `Unsupported` where WhatsApp has no such API.

use std::sync::Arc;
use std::time::{Duration, Instant};

use messaging_core::{
    AttachmentKind, ConversationId, ErrorKind as Core, EventKind, MessageId, OutgoingAttachment,
    Platform, PlatformKind, UserId,
};
use meta_graph::{AccessToken, DEFAULT_API_VERSION, GraphClient, RetryPolicy};
use metabiz_whatsapp::pacing::Pacing;
use metabiz_whatsapp::{PhoneNumberId, WhatsAppClient};
use serde_json::{Value, json};
use wiremock::matchers::{any, body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::fixture;

const PHONE_NUMBER_ID: &str = "106540352242922";

fn whatsapp(server: &MockServer) -> WhatsAppClient {
    let graph = GraphClient::builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    WhatsAppClient::new(
        graph,
        PhoneNumberId::new(PHONE_NUMBER_ID),
        AccessToken::new("EAAJtestSystemUserTokenQQQ"),
    )
}

fn platform(server: &MockServer) -> Arc<dyn Platform> {
    Arc::new(whatsapp(server))
}

async fn expect_message(server: &MockServer, body: Value, times: u64) {
    Mock::given(method("POST"))
        .and(path(format!(
            "/{DEFAULT_API_VERSION}/{PHONE_NUMBER_ID}/messages"
        )))
        .and(body_json(body))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("graph/message_sent.json"), "application/json"),
        )
        .expect(times)
        .mount(server)
        .await;
}

async fn catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string("CATCH-ALL"))
        .with_priority(u8::MAX)
        .expect(0)
        .mount(server)
        .await;
}

#[tokio::test]
async fn send_text_and_reply_through_the_trait() {
    let server = MockServer::start().await;
    expect_message(
        &server,
        json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "16505551234", "type": "text", "text": {"body": "¡Hola, Señora! 👋"}
        }),
        1,
    )
    .await;
    expect_message(
        &server,
        json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "16505551234", "type": "text", "text": {"body": "Yes"},
            "context": {"message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="}
        }),
        1,
    )
    .await;
    catch_all(&server).await;
    let platform = platform(&server);
    assert_eq!(platform.kind(), PlatformKind::WhatsApp);
    assert_eq!(platform.account_id().as_str(), PHONE_NUMBER_ID);

    let user = UserId::new("16505551234");
    let sent = platform
        .send_text(&user, "¡Hola, Señora! 👋")
        .await
        .unwrap();
    assert_eq!(sent.platform, PlatformKind::WhatsApp);
    assert_eq!(
        sent.message_id.as_str(),
        "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
    );
    assert_eq!(sent.recipient.as_str(), "16505551234");
    platform
        .reply(
            &user,
            &MessageId::new("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="),
            "Yes",
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_business_scoped_user_id_is_sent_as_recipient() {
    let server = MockServer::start().await;
    expect_message(
        &server,
        json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "recipient": "US.13491208655302741918", "type": "text", "text": {"body": "Hi"}
        }),
        1,
    )
    .await;
    catch_all(&server).await;
    platform(&server)
        .send_text(&UserId::new("US.13491208655302741918"), "Hi")
        .await
        .unwrap();
}

#[tokio::test]
async fn attachments_become_media_messages() {
    let server = MockServer::start().await;
    expect_message(
        &server,
        json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "16505551234", "type": "document",
            "document": {"id": "1037543291543636", "caption": "Your invoice", "filename": "invoice.pdf"}
        }),
        1,
    )
    .await;
    expect_message(
        &server,
        json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "16505551234", "type": "image",
            "image": {"link": "https://example.com/photo.jpg"}
        }),
        1,
    )
    .await;
    catch_all(&server).await;
    let platform = platform(&server);
    let user = UserId::new("16505551234");

    let invoice = OutgoingAttachment::from_media_id(AttachmentKind::File, "1037543291543636")
        .with_caption("Your invoice")
        .with_filename("invoice.pdf");
    platform.send_attachment(&user, &invoice).await.unwrap();
    let photo =
        OutgoingAttachment::from_url(AttachmentKind::Image, "https://example.com/photo.jpg");
    platform.send_attachment(&user, &photo).await.unwrap();

    // What WhatsApp cannot carry is refused, not dropped.
    for refused in [
        OutgoingAttachment::from_url(AttachmentKind::Audio, "https://example.com/a.ogg")
            .with_caption("no captions on audio"),
        OutgoingAttachment::from_url(AttachmentKind::Image, "https://example.com/p.jpg")
            .with_filename("p.jpg"),
        OutgoingAttachment::from_url(AttachmentKind::StoryMention, "https://example.com/s"),
    ] {
        let error = platform.send_attachment(&user, &refused).await.unwrap_err();
        assert_eq!(error.kind(), &Core::Validation, "{refused:?}");
    }
}

#[tokio::test]
async fn history_and_profiles_are_unsupported_not_empty() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let platform = platform(&server);
    let unsupported = |operation| Core::Unsupported {
        platform: PlatformKind::WhatsApp,
        operation,
    };
    assert_eq!(
        platform.conversations(None).await.unwrap_err().kind(),
        &unsupported("conversations")
    );
    assert_eq!(
        platform
            .messages(&ConversationId::new("c"), None)
            .await
            .unwrap_err()
            .kind(),
        &unsupported("messages")
    );
    assert_eq!(
        platform
            .user_profile(&UserId::new("16505551234"))
            .await
            .unwrap_err()
            .kind(),
        &unsupported("user_profile")
    );
}

#[tokio::test]
async fn mark_read_and_errors_in_platform_terms() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/{DEFAULT_API_VERSION}/{PHONE_NUMBER_ID}/messages"
        )))
        .and(body_json(json!({
            "messaging_product": "whatsapp", "status": "read",
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA"
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("graph/success.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/{DEFAULT_API_VERSION}/{PHONE_NUMBER_ID}/messages"
        )))
        .and(body_json(json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "16505551234", "type": "text", "text": {"body": "late"}
        })))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            fixture("graph/error_131047_outside_window.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let platform = platform(&server);
    let user = UserId::new("16505551234");

    platform
        .mark_read(
            &user,
            &MessageId::new("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA"),
        )
        .await
        .unwrap();
    let error = platform.send_text(&user, "late").await.unwrap_err();
    assert_eq!(error.kind(), &Core::OutsideWindow);
    let too_long = platform
        .send_text(&user, &"x".repeat(4097))
        .await
        .unwrap_err();
    assert_eq!(too_long.kind(), &Core::Validation);
}

#[tokio::test]
async fn parse_webhook_gives_normalized_events_and_typed_invalid_input() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let platform = platform(&server);
    let events = platform.parse_webhook(&fixture("text.json")).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::Message);
    let error = platform
        .parse_webhook(br#"{"object":"page","entry":[]}"#)
        .unwrap_err();
    assert_eq!(error.kind(), &Core::InvalidInput);
    let error = platform.parse_webhook(b"{\"object\":").unwrap_err();
    assert_eq!(error.kind(), &Core::InvalidInput);
}

#[tokio::test]
async fn sends_to_one_user_wait_for_the_pair_rate() {
    let server = MockServer::start().await;
    expect_message(
        &server,
        json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "16505551234", "type": "text", "text": {"body": "tick"}
        }),
        3,
    )
    .await;
    catch_all(&server).await;
    let client = whatsapp(&server)
        .with_pacing(Pacing::default().per_recipient(Duration::from_millis(200), 1));
    let user = UserId::new("16505551234");
    let start = Instant::now();
    for _ in 0..3 {
        client.send_text(&user, "tick").await.unwrap();
    }
    // A lower bound only: the pacer must have waited two intervals.
    assert!(start.elapsed() >= Duration::from_millis(390));
}
