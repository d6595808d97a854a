//! `WhatsAppClient` against a mock Graph API: the exact request Meta receives, and each Graph
//! failure sorted into the kind a sender acts on. Every test mounts, last, a catch-all mock that
//! must never be hit, so a request to any other path or with another body fails the test.

use std::fmt::Write as _;
use std::time::Duration;

use meta_graph::{AccessToken, DEFAULT_API_VERSION, GraphClient, RetryPolicy};
use metabiz_whatsapp::send::{MarkRead, Text};
use metabiz_whatsapp::{
    ErrorKind, MessageStatus, PhoneNumberId, WaId, Wamid, WhatsAppClient, send::OutgoingMessage,
};
use serde_json::Value;
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::fixture;

const TOKEN: &str = "EAAJtestSystemUserTokenQQQ";
const PHONE_NUMBER_ID: &str = "106540352242922";

fn messages_path() -> String {
    format!("/{DEFAULT_API_VERSION}/{PHONE_NUMBER_ID}/messages")
}

fn client(server: &MockServer) -> WhatsAppClient {
    let graph = GraphClient::builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(10))
        // Sends are never retried anyway; no retries keeps the throttling test free of waits.
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds");
    WhatsAppClient::new(
        graph,
        PhoneNumberId::new(PHONE_NUMBER_ID),
        AccessToken::new(TOKEN),
    )
}

fn json_fixture(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn respond(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

fn text() -> OutgoingMessage {
    Text::new(
        WaId::new("+16505551234"),
        "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/",
    )
    .preview_url(true)
    .build()
    .unwrap()
}

/// Mounts a mock answering exactly `POST /{version}/{phone-number-id}/messages` with the token
/// and `body`, which must be hit `times` times, then the catch-all.
async fn mount(server: &MockServer, body: Value, response: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(body))
        .respond_with(response)
        .expect(times)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string("CATCH-ALL: unexpected request"))
        .with_priority(u8::MAX)
        .named("catch-all: unexpected request")
        .expect(0)
        .mount(server)
        .await;
}

async fn send_text_answered_with(status: u16, name: &str) -> metabiz_whatsapp::Error {
    let server = MockServer::start().await;
    mount(
        &server,
        json_fixture("send/text.json"),
        respond(status, name),
        1,
    )
    .await;
    client(&server)
        .send(&text())
        .await
        .expect_err("the send fails")
}

#[tokio::test]
async fn text_send_posts_the_message_and_returns_the_wamid() {
    let server = MockServer::start().await;
    mount(
        &server,
        json_fixture("send/text.json"),
        respond(200, "graph/message_sent.json"),
        1,
    )
    .await;

    let sent = client(&server).send(&text()).await.unwrap();

    assert_eq!(
        sent.wamid(),
        &Wamid::new("wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA")
    );
    assert_eq!(sent.input(), Some("+16505551234"));
    assert_eq!(sent.wa_id(), Some(&WaId::new("16505551234")));
    assert_eq!(sent.message_status(), Some(&MessageStatus::Accepted));
}

#[tokio::test]
async fn a_success_body_without_a_message_id_is_an_unexpected_response() {
    let error = send_text_answered_with(200, "graph/message_sent_without_id.json").await;
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
}

#[tokio::test]
async fn error_131047_means_outside_the_window() {
    let error = send_text_answered_with(400, "graph/error_131047_outside_window.json").await;
    assert_eq!(error.kind(), ErrorKind::OutsideWindow);
    let api = error
        .graph()
        .and_then(meta_graph::Error::api_error)
        .unwrap();
    assert_eq!(api.code(), 131_047);
    assert_eq!(api.fbtrace_id(), Some("AGhvPk8QXdbD1wlhkM5m2qs"));
}

#[tokio::test]
async fn error_130429_is_throttled_with_the_wait_meta_asked_for() {
    let server = MockServer::start().await;
    mount(
        &server,
        json_fixture("send/text.json"),
        respond(429, "graph/error_130429_throttled.json").insert_header("Retry-After", "7"),
        1,
    )
    .await;
    let error = client(&server).send(&text()).await.unwrap_err();
    assert_eq!(
        error.kind(),
        ErrorKind::Throttled {
            retry_after: Some(Duration::from_secs(7))
        }
    );
}

#[tokio::test]
async fn error_131056_too_many_messages_to_one_user_is_throttled() {
    // Meta answers the pair rate limit with HTTP 400: classified by the body's code.
    let error = send_text_answered_with(400, "graph/error_131056_pair_rate.json").await;
    assert_eq!(error.kind(), ErrorKind::Throttled { retry_after: None });
    assert_eq!(
        error
            .graph()
            .and_then(meta_graph::Error::api_error)
            .map(meta_graph::GraphApiError::code),
        Some(131_056)
    );
}

#[tokio::test]
async fn a_throttled_send_is_sent_again_after_the_wait_because_meta_did_not_act() {
    let server = MockServer::start().await;
    // First answer: throttled; then accepted. Two requests in all, one message delivered.
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .and(body_json(json_fixture("send/text.json")))
        .respond_with(respond(400, "graph/error_130429_throttled.json"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount(
        &server,
        json_fixture("send/text.json"),
        respond(200, "graph/message_sent.json"),
        1,
    )
    .await;
    let graph = GraphClient::builder()
        .base_url(server.uri())
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let client = WhatsAppClient::new(
        graph,
        PhoneNumberId::new(PHONE_NUMBER_ID),
        AccessToken::new(TOKEN),
    );
    let sent = client.send(&text()).await.unwrap();
    assert!(sent.wamid().as_str().starts_with("wamid."));
}

#[tokio::test]
async fn a_server_error_is_ambiguous_and_sent_exactly_once() {
    // `.expect(1)` in `mount` proves the send was not retried.
    let error = send_text_answered_with(500, "graph/error_2_service_unavailable.json").await;
    assert_eq!(error.kind(), ErrorKind::Ambiguous);
    assert_eq!(
        error.graph().map(meta_graph::Error::kind),
        Some(meta_graph::ErrorKind::Ambiguous)
    );
}

#[tokio::test]
async fn error_190_is_unauthorized_and_never_shows_the_token() {
    let error = send_text_answered_with(401, "graph/error_190_token_expired.json").await;
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    let mut shown = format!("{error}\n{error:?}\n");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        writeln!(shown, "{cause}\n{cause:?}").unwrap();
        source = cause.source();
    }
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[tokio::test]
async fn mark_read_posts_the_receipt() {
    let server = MockServer::start().await;
    mount(
        &server,
        json_fixture("send/mark_read.json"),
        respond(200, "graph/success.json"),
        1,
    )
    .await;
    let receipt = MarkRead::new(Wamid::new(
        "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA",
    ))
    .build()
    .unwrap();

    client(&server).mark_read(&receipt).await.unwrap();
}

#[test]
fn debug_shows_the_phone_number_id_not_the_token() {
    let graph = GraphClient::builder().build().unwrap();
    let client = WhatsAppClient::new(
        graph,
        PhoneNumberId::new(PHONE_NUMBER_ID),
        AccessToken::new(TOKEN),
    );
    let shown = format!("{client:?}");
    assert!(shown.contains(PHONE_NUMBER_ID), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
}
