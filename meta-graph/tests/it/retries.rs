//! Retries: reads are retried, writes only when Meta certainly did not act.

use std::time::Duration;

use meta_graph::{ErrorClass, ErrorKind, GraphClient, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, api_path, mount_catch_all};

fn send_message_body() -> Value {
    json!({"messaging_product": "whatsapp", "to": "16505551234", "type": "text", "text": {"body": "hi"}})
}

#[tokio::test]
async fn a_post_answered_500_code_2_is_sent_once_and_is_ambiguous() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api_path("106540352242922/messages")))
        .respond_with(common::json(500, &server, "error_2.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let error = common::client(&server)
        .post("106540352242922/messages")
        .token(&common::token())
        .json(&send_message_body())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Ambiguous);
    assert_eq!(error.class(), Some(ErrorClass::Transient));
    assert_eq!(error.api_error().unwrap().code(), 2);
}

#[tokio::test]
async fn a_post_that_times_out_after_reaching_the_server_is_sent_once_and_is_ambiguous() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api_path("106540352242922/messages")))
        .respond_with(
            common::json(200, &server, "message_sent.json").set_delay(Duration::from_secs(3)),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let error = common::builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
        .post("106540352242922/messages")
        .token(&common::token())
        .json(&send_message_body())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Ambiguous);
    assert!(
        std::error::Error::source(&error).is_some(),
        "the transport cause is kept"
    );
    assert!(error.api_error().is_none());
}

#[tokio::test]
async fn a_post_answered_502_without_a_graph_body_is_ambiguous() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api_path("106540352242922/messages")))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw(common::fixture("bad_gateway.html"), "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let error = common::client(&server)
        .post("106540352242922/messages")
        .token(&common::token())
        .json(&send_message_body())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Ambiguous);
    assert_eq!(error.status(), Some(http::StatusCode::BAD_GATEWAY));
    assert!(error.body().unwrap().contains("Bad Gateway"));
}

#[tokio::test]
async fn a_delete_is_not_idempotent_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(api_path("me/subscribed_apps")))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let error = common::client(&server)
        .delete("me/subscribed_apps")
        .token(&common::token())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Ambiguous);
}

#[tokio::test]
async fn a_get_answered_500_then_200_succeeds_after_a_retry() {
    let server = MockServer::start().await;
    common::mount_first_then(
        &server,
        "GET",
        "me",
        common::json(500, &server, "error_2.json"),
        common::json(200, &server, "me.json"),
    )
    .await;
    mount_catch_all(&server).await;

    let me: Value = common::client(&server)
        .get("me")
        .token(&common::token())
        .send()
        .await
        .unwrap();
    assert_eq!(me["name"], "Jane Doe");
}

#[tokio::test]
async fn a_get_gives_up_after_the_attempt_cap() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let error = common::client(&server)
        .get("me")
        .token(&common::token())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(error.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
}

#[tokio::test]
async fn a_write_marked_idempotent_is_retried_after_500() {
    let server = MockServer::start().await;
    common::mount_first_then(
        &server,
        "POST",
        "me/messenger_profile",
        ResponseTemplate::new(500),
        ResponseTemplate::new(200).set_body_json(json!({"result": "success"})),
    )
    .await;
    mount_catch_all(&server).await;
    let ok: Value = common::client(&server)
        .post("me/messenger_profile")
        .token(&common::token())
        .json(&json!({"greeting": [{"locale": "default", "text": "Hello!"}]}))
        .idempotent(true)
        .send()
        .await
        .unwrap();
    assert_eq!(ok["result"], "success");
}

#[tokio::test]
async fn a_post_throttled_with_code_4_then_200_succeeds() {
    let server = MockServer::start().await;
    common::mount_first_then(
        &server,
        "POST",
        "106540352242922/messages",
        common::json(400, &server, "error_4.json"),
        common::json(200, &server, "message_sent.json"),
    )
    .await;
    mount_catch_all(&server).await;

    let sent: Value = common::client(&server)
        .post("106540352242922/messages")
        .token(&common::token())
        .json(&send_message_body())
        .send()
        .await
        .unwrap();
    assert_eq!(sent["messaging_product"], "whatsapp");
}

#[tokio::test]
async fn a_bare_429_is_retried_even_for_a_post() {
    let server = MockServer::start().await;
    common::mount_first_then(
        &server,
        "POST",
        "106540352242922/messages",
        ResponseTemplate::new(429),
        common::json(200, &server, "message_sent.json"),
    )
    .await;
    mount_catch_all(&server).await;
    let sent: Value = common::client(&server)
        .post("106540352242922/messages")
        .token(&common::token())
        .json(&send_message_body())
        .send()
        .await
        .unwrap();
    assert!(sent["messages"].is_array());
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    common::mount_first_then(
        &server,
        "GET",
        "me",
        common::json(400, &server, "error_4.json").insert_header("retry-after", "1"),
        common::json(200, &server, "me.json"),
    )
    .await;
    mount_catch_all(&server).await;
    let me: Value = common::client(&server)
        .get("me")
        .token(&common::token())
        .send()
        .await
        .unwrap();
    assert_eq!(me["id"], "10158273937541234");
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_stops_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(
            common::json(400, &server, "error_4.json").insert_header("retry-after", "120"),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let client = common::builder(&server)
        .retry_policy(common::fast_retries().with_deadline(Some(Duration::from_secs(5))))
        .build()
        .unwrap();
    let call = client.get("me").token(&common::token()).send::<Value>();
    // A guard so that a regression hangs no longer than this; a passing run
    // returns without sleeping.
    let error = tokio::time::timeout(Duration::from_secs(60), call)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(error.class(), Some(ErrorClass::Throttled));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn a_regain_time_beyond_the_deadline_returns_throttled_without_sleeping() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api_path("106540352242922/messages")))
        .respond_with(common::json(400, &server, "error_80004.json").insert_header(
            "x-business-use-case-usage",
            r#"{"106540352242922":[{"type":"whatsapp_business_management","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":60}]}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let call = common::client(&server)
        .post("106540352242922/messages")
        .token(&common::token())
        .json(&send_message_body())
        .send::<Value>();
    let error = tokio::time::timeout(Duration::from_secs(60), call)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.class(), Some(ErrorClass::Throttled));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(60 * 60)));
}

/// An address where nothing listens: the connection is refused before
/// anything is written.
fn refused_client(policy: RetryPolicy) -> GraphClient {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    GraphClient::builder()
        .base_url(format!("http://127.0.0.1:{port}/"))
        .retry_policy(policy)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_refused_connection_is_a_plain_transport_error_even_for_a_post() {
    let client = refused_client(common::fast_retries());
    let error = client
        .post("106540352242922/messages")
        .token(&common::token())
        .json(&send_message_body())
        .send::<Value>()
        .await
        .unwrap_err();
    // Nothing reached Meta, so this is safe to retry and not ambiguous.
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(error.status().is_none());
}

#[tokio::test]
async fn the_retry_policy_none_sends_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let error = common::builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
        .get("me")
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
}
