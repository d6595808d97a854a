//! Graph error bodies become typed, classified errors.

use std::time::Duration;

use meta_graph::{Error, ErrorClass, ErrorKind, RetryPolicy, TokenInvalidReason};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, TOKEN, api_path, mount_catch_all};

/// Answers `GET /me` once with `status` and the fixture, and returns the
/// error the client made of it (no retries).
async fn error_for(status: u16, fixture: &str, headers: &[(&str, &str)]) -> Error {
    let server = MockServer::start().await;
    let mut response = common::json(status, &server, fixture);
    for (name, value) in headers {
        response = response.insert_header(*name, *value);
    }
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let error = common::client(&server)
        .get("me")
        .token(&common::token())
        .retry_policy(RetryPolicy::none())
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(
        !common::everything_shown(&error).contains(TOKEN),
        "token shown in {error:?}"
    );
    error
}

#[tokio::test]
async fn expired_token_190_463() {
    let error = error_for(400, "error_190_463.json", &[]).await;
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(http::StatusCode::BAD_REQUEST));
    assert_eq!(
        error.class(),
        Some(ErrorClass::TokenInvalid(TokenInvalidReason::Expired))
    );
    let api = error.api_error().unwrap();
    assert_eq!((api.code(), api.error_subcode()), (190, Some(463)));
    assert_eq!(api.error_type(), Some("OAuthException"));
    assert_eq!(api.fbtrace_id(), Some("AqJd1QxGfEYb0Ne2yJZ3pQx"));
    assert!(!api.is_retryable());
    assert_eq!(
        error.to_string(),
        "Graph API error: access token invalid (HTTP 400)"
    );
}

#[tokio::test]
async fn permission_10() {
    let error = error_for(403, "error_10.json", &[]).await;
    assert_eq!(error.class(), Some(ErrorClass::Permission));
    assert_eq!(error.api_error().unwrap().code(), 10);
}

#[tokio::test]
async fn app_throttling_4_arrives_with_400() {
    let error = error_for(
        400,
        "error_4.json",
        &[(
            "x-app-usage",
            r#"{"call_count":100,"total_time":34,"total_cputime":20}"#,
        )],
    )
    .await;
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.class(), Some(ErrorClass::Throttled));
    assert!(error.api_error().unwrap().is_retryable());
    assert_eq!(error.usage().max_percent(), Some(100));
}

#[tokio::test]
async fn business_use_case_80004_reports_regain_time_in_minutes() {
    let error = error_for(
        400,
        "error_80004.json",
        &[(
            "x-business-use-case-usage",
            r#"{"1122334455":[{"type":"ads_management","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":12}]}"#,
        )],
    )
    .await;
    assert_eq!(error.class(), Some(ErrorClass::Throttled));
    let api = error.api_error().unwrap();
    assert_eq!((api.code(), api.error_subcode()), (80_004, Some(2_446_079)));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(12 * 60)));
    let entry = &error.usage().business_use_case[0];
    assert_eq!(entry.business_id, "1122334455");
    assert_eq!(entry.use_case.as_deref(), Some("ads_management"));
    assert_eq!(
        error.usage().max_regain_time(),
        Some(Duration::from_secs(720))
    );
}

#[tokio::test]
async fn whatsapp_throughput_130429_keeps_details_and_large_subcode() {
    let error = error_for(400, "error_130429.json", &[]).await;
    assert_eq!(error.class(), Some(ErrorClass::Throttled));
    let api = error.api_error().unwrap();
    assert_eq!(api.error_subcode(), Some(2_494_055));
    assert_eq!(
        api.details(),
        Some(
            "Message failed to send because there were too many messages sent from this phone number in a short period of time"
        )
    );
    assert_eq!(api.error_data().unwrap()["messaging_product"], "whatsapp");
}

#[tokio::test]
async fn transient_2() {
    let error = error_for(500, "error_2.json", &[]).await;
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.class(), Some(ErrorClass::Transient));
    assert!(error.api_error().unwrap().is_transient());
}

#[tokio::test]
async fn outside_the_24_hour_window_131047() {
    let error = error_for(400, "error_131047.json", &[]).await;
    assert_eq!(error.class(), Some(ErrorClass::OutsideWindow));
    assert!(!error.api_error().unwrap().is_retryable());
}

#[tokio::test]
async fn policy_block_368_is_permanent() {
    let error = error_for(400, "error_368.json", &[]).await;
    assert_eq!(error.class(), Some(ErrorClass::Permanent));
    let api = error.api_error().unwrap();
    assert_eq!(api.error_user_title(), Some("Temporarily blocked"));
    assert!(api.error_user_msg().unwrap().contains("misused"));
}

#[tokio::test]
async fn a_body_that_is_not_a_graph_error_is_kept_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_raw(common::fixture("bad_gateway.html"), "text/html"),
        )
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
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(error.status(), Some(http::StatusCode::FORBIDDEN));
    assert!(error.api_error().is_none());
    assert!(
        error
            .body()
            .unwrap()
            .contains("<title>502 Bad Gateway</title>")
    );
    assert_eq!(
        error.to_string(),
        "unexpected HTTP 403 response from the Graph API"
    );
}

#[tokio::test]
async fn a_huge_unexpected_body_is_truncated() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(ResponseTemplate::new(400).set_body_string("x".repeat(1_000_000)))
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
    assert!(error.body().unwrap().len() <= 4096);
}

#[tokio::test]
async fn a_success_body_of_the_wrong_shape_is_a_decode_error_with_a_snippet() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Counted {
        count: u64,
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(common::json(200, &server, "me.json"))
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
    assert_eq!(error.status(), Some(http::StatusCode::OK));
    assert!(error.body().unwrap().contains("Jane Doe"));
}

/// Platform crates hand Graph failures to `messaging_core` callers; the kind must say what to
/// do (reconnect, wait, send a template) and the Graph error must stay reachable.
#[tokio::test]
async fn graph_errors_map_onto_the_normalized_kinds() {
    use messaging_core::ErrorKind as Core;

    let expired: messaging_core::Error = error_for(400, "error_190_463.json", &[]).await.into();
    assert_eq!(expired.kind(), &Core::Unauthorized);
    let source = std::error::Error::source(&expired).expect("the Graph error is the source");
    let graph = source.downcast_ref::<Error>().expect("a meta_graph::Error");
    assert_eq!(graph.api_error().unwrap().error_subcode(), Some(463));

    let denied: messaging_core::Error = error_for(403, "error_10.json", &[]).await.into();
    assert_eq!(denied.kind(), &Core::PermissionDenied);

    let window: messaging_core::Error = error_for(400, "error_131047.json", &[]).await.into();
    assert_eq!(window.kind(), &Core::OutsideWindow);

    let permanent: messaging_core::Error = error_for(400, "error_368.json", &[]).await.into();
    assert_eq!(permanent.kind(), &Core::Api);

    let throttled = error_for(
        400,
        "error_80004.json",
        &[(
            "x-business-use-case-usage",
            r#"{"112233":[{"type":"messenger","call_count":100,"total_cputime":12,"total_time":15,"estimated_time_to_regain_access":7}]}"#,
        )],
    )
    .await;
    let wait = throttled.retry_after();
    assert_eq!(wait, Some(Duration::from_secs(7 * 60)));
    let throttled: messaging_core::Error = throttled.into();
    assert_eq!(throttled.kind(), &Core::Throttled { retry_after: wait });
}
