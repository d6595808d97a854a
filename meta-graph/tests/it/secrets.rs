//! Tokens and secrets never show up in Debug output, errors or URLs.

use meta_graph::{AccessToken, AppSecret, ErrorKind, RetryPolicy};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, APP_SECRET, TOKEN, api_path, mount_catch_all};

#[test]
fn access_token_debug_is_redacted() {
    let token = AccessToken::new(TOKEN);
    assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
    assert_eq!(
        format!("{:#?}", Some(&token)),
        "Some(\n    AccessToken(<redacted>),\n)"
    );
}

#[tokio::test]
async fn client_and_request_debug_hide_secrets() {
    let server = MockServer::start().await;
    mount_catch_all(&server).await;
    let builder = common::builder(&server).app_secret(AppSecret::new(APP_SECRET));
    assert!(!format!("{builder:?}").contains(APP_SECRET));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(APP_SECRET));

    let request = client.get("me").token(&common::token()).fields(["id"]);
    let shown = format!("{request:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    let prepared = request.build().unwrap();
    let shown = format!("{prepared:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains(APP_SECRET), "{shown}");
}

#[tokio::test]
async fn a_token_echoed_by_meta_is_scrubbed_from_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": {
                "message": format!("Malformed access token {TOKEN}"),
                "type": "OAuthException",
                "code": 190,
                "fbtrace_id": "H7iJ8kL9mN0oP1qR2sT3uV4"
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let error = common::client(&server)
        .get("me")
        .token(&common::token())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(
        error.api_error().unwrap().message(),
        "Malformed access token <redacted>"
    );
    assert!(!common::everything_shown(&error).contains(TOKEN));
}

#[tokio::test]
async fn a_decode_error_on_a_token_response_keeps_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("oauth/access_token")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": 12345, "token_type": "EAAGfreshTokenInBody"
        })))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let (app_id, secret) = (
        meta_graph::AppId::new("138483919580948"),
        AppSecret::new(APP_SECRET),
    );
    let error = common::client(&server)
        .oauth()
        .exchange_for_long_lived(&app_id, &secret, &AccessToken::new("EAAGshortOne"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(error.body().is_none());
    let shown = common::everything_shown(&error);
    for secret in ["EAAGfreshTokenInBody", "EAAGshortOne", APP_SECRET] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[tokio::test]
async fn a_decode_error_quoting_the_token_is_scrubbed() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Counted {
        count: u64,
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": TOKEN })),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let error = common::client(&server)
        .get("me")
        .token(&common::token())
        .send::<Counted>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(error.body().unwrap().contains("<redacted>"));
    assert!(!common::everything_shown(&error).contains(TOKEN));
}

#[tokio::test]
async fn a_transport_error_shows_no_url_secret() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = meta_graph::GraphClient::builder()
        .base_url(format!("http://127.0.0.1:{port}/"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let (app_id, secret) = (
        meta_graph::AppId::new("138483919580948"),
        AppSecret::new(APP_SECRET),
    );
    let error = client
        .oauth()
        .exchange_code(&app_id, &secret, "https://app.example.com/cb", "AQDcode")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    let shown = common::everything_shown(&error);
    assert!(!shown.contains(APP_SECRET), "{shown}");
    assert!(!shown.contains("AQDcode"), "{shown}");
}
