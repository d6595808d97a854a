//! Building and sending requests.

use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use meta_graph::{AppSecret, ErrorKind, MultipartForm, Part, RequestBody, RetryPolicy};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Sha256;
use wiremock::matchers::{
    body_json, body_string, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, APP_SECRET, TOKEN, api_path, mount_catch_all};

#[derive(Debug, Deserialize, PartialEq)]
struct Me {
    id: String,
    name: String,
}

#[tokio::test]
async fn get_with_fields_sends_the_token_only_in_the_authorization_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .and(query_param("fields", "id,name"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(query_param_is_missing("access_token"))
        .respond_with(common::json(200, &server, "me.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let me: Me = common::client(&server)
        .get("me")
        .token(&common::token())
        .fields(["id", "name"])
        .send()
        .await
        .unwrap();
    assert_eq!(
        me,
        Me {
            id: "10158273937541234".into(),
            name: "Jane Doe".into()
        }
    );

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(
        !received[0].url.as_str().contains(TOKEN),
        "token leaked into the URL"
    );
    assert!(received[0].headers.get("user-agent").is_some());
}

#[tokio::test]
async fn appsecret_proof_is_added_to_every_call_with_a_token() {
    let mut mac = Hmac::<Sha256>::new_from_slice(APP_SECRET.as_bytes()).unwrap();
    mac.update(TOKEN.as_bytes());
    let expected = hex_lower(&mac.finalize().into_bytes());
    // Known answer from `openssl dgst -sha256 -hmac`, so the test does not
    // only compare one HMAC implementation with another.
    assert_eq!(
        expected,
        "b5984e235a95e37c13f308a2f2c665c561a634dd168a49b16a2be7e8c140437f"
    );

    let server = MockServer::start().await;
    for verb in ["GET", "POST", "DELETE"] {
        Mock::given(method(verb))
            .and(path(api_path("106540352242922")))
            .and(query_param("appsecret_proof", expected.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(api_path("oauth/access_token")))
        .and(query_param_is_missing("appsecret_proof"))
        .respond_with(common::json(200, &server, "oauth_access_token.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let client = common::builder(&server)
        .app_secret(AppSecret::new(APP_SECRET))
        .build()
        .unwrap();
    let token = common::token();
    let _: Value = client
        .get("106540352242922")
        .token(&token)
        .send()
        .await
        .unwrap();
    let _: Value = client
        .post("106540352242922")
        .token(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let _: Value = client
        .delete("106540352242922")
        .token(&token)
        .send()
        .await
        .unwrap();
    // A call without a token carries no proof.
    let _: Value = client.get("oauth/access_token").send().await.unwrap();
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut hex, b| {
        write!(hex, "{b:02x}").unwrap();
        hex
    })
}

#[tokio::test]
async fn post_json_and_form_bodies() {
    let server = MockServer::start().await;
    let message = json!({
        "messaging_product": "whatsapp",
        "to": "16505551234",
        "type": "text",
        "text": {"body": "hello"}
    });
    Mock::given(method("POST"))
        .and(path(api_path("106540352242922/messages")))
        .and(header("content-type", "application/json"))
        .and(body_json(&message))
        .respond_with(common::json(200, &server, "message_sent.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(api_path("me/subscribed_apps")))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "subscribed_fields=messages%2Cmessaging_postbacks",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let client = common::client(&server);
    let sent: Value = client
        .post("106540352242922/messages")
        .token(&common::token())
        .json(&message)
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent["messages"][0]["id"],
        "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
    );

    let ok: Value = client
        .post("/me/subscribed_apps")
        .token(&common::token())
        .form([("subscribed_fields", "messages,messaging_postbacks")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok["success"], true);
}

#[tokio::test]
async fn multipart_upload_carries_every_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api_path("106540352242922/media")))
        .respond_with(common::json(200, &server, "media_upload.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let image = vec![0xFF, 0xD8, 0xFF, 0xE0, b'J', b'F', b'I', b'F'];
    let form = MultipartForm::new()
        .text("messaging_product", "whatsapp")
        .part(
            "file",
            Part::bytes(image.clone())
                .file_name("photo.jpg")
                .mime("image/jpeg"),
        );
    let uploaded: Value = common::client(&server)
        .post("106540352242922/media")
        .token(&common::token())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded["id"], "1037543291543636");

    let received = &server.received_requests().await.unwrap()[0];
    let content_type = received
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = &received.body;
    let contains = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    assert!(contains(b"name=\"messaging_product\"\r\n\r\nwhatsapp"));
    assert!(contains(b"name=\"file\"; filename=\"photo.jpg\""));
    assert!(contains(b"Content-Type: image/jpeg"));
    assert!(contains(&image));
}

#[tokio::test]
async fn send_with_meta_and_send_raw_expose_status_and_usage() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(
            common::json(200, &server, "me.json")
                .insert_header("x-app-usage", r#"{"call_count":28,"total_time":25,"total_cputime":25}"#)
                .insert_header(
                    "x-business-use-case-usage",
                    r#"{"106540352242922":[{"type":"pages","call_count":41,"total_cputime":3,"total_time":4,"estimated_time_to_regain_access":0}]}"#,
                ),
        )
        .expect(2)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let client = common::client(&server);
    let response = client
        .get("me")
        .token(&common::token())
        .send_with_meta::<Me>()
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.data.name, "Jane Doe");
    assert_eq!(response.usage.app.as_ref().unwrap().call_count, Some(28));
    assert_eq!(response.usage.max_percent(), Some(41));
    assert_eq!(
        response.usage.business_use_case[0].business_id,
        "106540352242922"
    );

    let raw = client
        .get("me")
        .token(&common::token())
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.body().as_ref(), common::fixture("me.json").as_bytes());
    let value: Value = raw.json().unwrap();
    assert_eq!(value["id"], "10158273937541234");
    assert_eq!(raw.usage().max_percent(), Some(41));
}

#[tokio::test]
async fn paths_that_escape_the_api_root_are_refused_before_sending() {
    let server = MockServer::start().await;
    mount_catch_all(&server).await;
    let client = common::client(&server);
    for bad in [
        "https://evil.example/steal",
        "//evil.example/steal",
        "../v1.0/me",
        "me/%2e%2e/%2e%2e/admin",
        "me?fields=id",
    ] {
        let err = client
            .get(bad)
            .token(&common::token())
            .send_raw()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{bad}");
    }
    let err = client
        .get("me")
        .query("access_token", "EAAGsmuggled")
        .send_raw()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_request_can_be_built_without_sending() {
    let server = MockServer::start().await;
    mount_catch_all(&server).await;
    let prepared = common::client(&server)
        .post("106540352242922/messages")
        .token(&common::token())
        .query("debug", "all")
        .json(&json!({"to": "16505551234"}))
        .build()
        .unwrap();
    assert_eq!(prepared.method(), "POST");
    assert_eq!(prepared.url().path(), api_path("106540352242922/messages"));
    assert_eq!(prepared.url().query(), Some("debug=all"));
    let auth = prepared.headers().get("authorization").unwrap();
    assert!(auth.is_sensitive());
    assert!(!prepared.is_idempotent());
    assert!(
        matches!(prepared.body(), RequestBody::Json(bytes) if bytes.as_ref() == br#"{"to":"16505551234"}"#)
    );
    assert!(!format!("{prepared:?}").contains(TOKEN));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_base_url_is_per_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/instagram/{}/me",
            meta_graph::DEFAULT_API_VERSION
        )))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "17841405822304914", "name": "x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    // As with `https://graph.instagram.com/` for Instagram Login tokens.
    let instagram = meta_graph::GraphClient::builder()
        .base_url(format!("{}/instagram", server.uri()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let me: Me = instagram
        .get("me")
        .token(&common::token())
        .send()
        .await
        .unwrap();
    assert_eq!(me.id, "17841405822304914");
}

#[tokio::test]
async fn get_url_downloads_from_the_api_origin_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/whatsapp_business/attachments/"))
        .and(query_param("mid", "1037543291543636"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "*/*"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0xFF, 0xD8, 0xFF], "image/jpeg"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let client = common::builder(&server)
        .app_secret(AppSecret::new(APP_SECRET))
        .build()
        .unwrap();
    let url = format!(
        "{}/whatsapp_business/attachments/?mid=1037543291543636",
        server.uri()
    );
    let raw = client
        .get_url(&url)
        .token(&common::token())
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.body().as_ref(), [0xFF, 0xD8, 0xFF]);
}

#[test]
fn get_url_refuses_any_host_a_token_must_not_reach() {
    let client = meta_graph::GraphClient::builder().build().unwrap();
    for url in [
        "https://attacker.example/whatsapp_business/attachments/?mid=1",
        // Plain http would show the token to anyone on the path.
        "http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
        "https://lookaside.fbsbx.com:8443/x",
        "https://user@lookaside.fbsbx.com/x",
        "https://lookaside.fbsbx.com.attacker.example/x",
        "lookaside.fbsbx.com/x",
        "",
    ] {
        let error = client
            .get_url(url)
            .token(&common::token())
            .build()
            .expect_err(url);
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{url}");
        assert!(!error.to_string().contains(TOKEN));
    }
    assert!(
        client
            .get_url("https://LOOKASIDE.fbsbx.com/whatsapp_business/attachments/?mid=1")
            .build()
            .is_ok()
    );
    // The token goes to a media host, but the proof is only for the Graph API.
    let with_secret = meta_graph::GraphClient::builder()
        .app_secret(AppSecret::new(APP_SECRET))
        .build()
        .unwrap();
    let prepared = with_secret
        .get_url("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&hash=AT")
        .token(&common::token())
        .build()
        .unwrap();
    assert_eq!(
        prepared.url().as_str(),
        "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&hash=AT"
    );
    assert!(prepared.headers().get("authorization").is_some());
    let custom = meta_graph::GraphClient::builder()
        .media_hosts(["media.example.net"])
        .build()
        .unwrap();
    assert!(
        custom
            .get_url("https://media.example.net/a")
            .build()
            .is_ok()
    );
    assert!(
        custom
            .get_url("https://lookaside.fbsbx.com/a")
            .build()
            .is_err()
    );
}
