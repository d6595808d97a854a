//! The three platforms side by side as `Arc<dyn Platform>`, the way an inbox holds them: one
//! call shape for sending, each platform's webhook bodies normalized by its own handle, and
//! another platform's body refused as invalid input by every other handle.

use std::sync::Arc;
use std::time::Duration;

use messaging_core::{ErrorKind, Platform, PlatformKind, UserId};
use meta_graph::{AccessToken, DEFAULT_API_VERSION, GraphClient, PageId, RetryPolicy};
use metabiz_instagram::{InstagramAccountId, InstagramClient};
use metabiz_messenger::MessengerClient;
use metabiz_whatsapp::{PhoneNumberId, WhatsAppClient};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn graph(server: &MockServer) -> GraphClient {
    GraphClient::builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn fixture(path: &str) -> Vec<u8> {
    let path = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[tokio::test]
async fn three_platforms_one_interface() {
    let server = MockServer::start().await;
    let answers = [
        (
            "106540352242922/messages",
            json!({"messaging_product": "whatsapp",
            "contacts": [{"input": "16505551234", "wa_id": "16505551234"}],
            "messages": [{"id": "wamid.ONE"}]}),
        ),
        (
            "104518592379221/messages",
            json!({"recipient_id": "6254119754622003", "message_id": "m_TWO"}),
        ),
        (
            "17841400000000000/messages",
            json!({"recipient_id": "1254477777772919", "message_id": "aWdfTHREE"}),
        ),
    ];
    for (rest, body) in answers {
        Mock::given(method("POST"))
            .and(path(format!("/{DEFAULT_API_VERSION}/{rest}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let platforms: Vec<Arc<dyn Platform>> = vec![
        Arc::new(WhatsAppClient::new(
            graph(&server),
            PhoneNumberId::new("106540352242922"),
            AccessToken::new("wa-token"),
        )),
        Arc::new(MessengerClient::new(
            graph(&server),
            PageId::new("104518592379221"),
            AccessToken::new("page-token"),
        )),
        Arc::new(InstagramClient::instagram_login(
            graph(&server),
            InstagramAccountId::new("17841400000000000"),
            AccessToken::new("ig-token"),
        )),
    ];
    let recipients = ["16505551234", "6254119754622003", "1254477777772919"];
    let mut sent = Vec::new();
    for (platform, to) in platforms.iter().zip(recipients) {
        sent.push(platform.send_text(&UserId::new(to), "Hola").await.unwrap());
    }
    let ids: Vec<&str> = sent.iter().map(|s| s.message_id.as_str()).collect();
    assert_eq!(ids, ["wamid.ONE", "m_TWO", "aWdfTHREE"]);
    let kinds: Vec<PlatformKind> = sent.iter().map(|s| s.platform).collect();
    assert_eq!(
        kinds,
        [
            PlatformKind::WhatsApp,
            PlatformKind::Messenger,
            PlatformKind::Instagram
        ]
    );

    let bodies = [
        fixture("whatsapp/tests/fixtures/batch.json"),
        fixture("messenger/tests/fixtures/batch.json"),
        fixture("instagram/tests/fixtures/batch.json"),
    ];
    for (index, platform) in platforms.iter().enumerate() {
        for (body_index, body) in bodies.iter().enumerate() {
            let result = platform.parse_webhook(body);
            if index == body_index {
                let events = result.unwrap();
                assert!(!events.is_empty());
                assert!(events.iter().all(|e| e.platform == platform.kind()));
            } else {
                assert_eq!(result.unwrap_err().kind(), &ErrorKind::InvalidInput);
            }
        }
    }
}
