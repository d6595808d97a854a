//! `UsageThrottle`: calls of one account slow down near its limit and pause when Meta says it
//! is throttled, on tokio's paused clock where the waits are exact; and a request carrying the
//! throttle feeds it the usage headers of its response.

use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use meta_graph::{ThrottlePolicy, Usage, UsageThrottle};
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, api_path, mount_catch_all};

fn usage(header: &'static str, value: &'static str) -> Usage {
    let mut headers = HeaderMap::new();
    headers.insert(header, HeaderValue::from_static(value));
    Usage::from_headers(&headers)
}

#[tokio::test(start_paused = true)]
async fn below_the_threshold_calls_go_at_once() {
    let throttle = UsageThrottle::default();
    throttle.observe(&usage(
        "x-page-usage",
        r#"{"call_count":40,"total_cputime":5,"total_time":12}"#,
    ));
    let start = Instant::now();
    for _ in 0..100 {
        throttle.ready().await;
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(throttle.last_percent(), Some(40));
}

#[tokio::test(start_paused = true)]
async fn near_the_limit_calls_are_spaced() {
    let throttle = UsageThrottle::default();
    throttle.observe(&usage(
        "x-app-usage",
        r#"{"call_count":95,"total_cputime":20,"total_time":30}"#,
    ));
    let start = Instant::now();
    for _ in 0..5 {
        throttle.ready().await;
    }
    // Four gaps of 500 ms.
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    // Usage falls again: no more spacing.
    throttle.observe(&usage("x-app-usage", r#"{"call_count":50}"#));
    let again = Instant::now();
    throttle.ready().await;
    throttle.ready().await;
    assert_eq!(again.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn a_regain_time_pauses_the_account_for_that_many_minutes() {
    let throttle = UsageThrottle::default();
    throttle.observe(&usage(
        "x-business-use-case-usage",
        r#"{"106540352242922":[{"type":"messenger","call_count":100,"total_cputime":20,"total_time":25,"estimated_time_to_regain_access":3}]}"#,
    ));
    assert!(throttle.paused_until().is_some());
    let start = Instant::now();
    throttle.ready().await;
    assert_eq!(start.elapsed(), Duration::from_secs(180));
}

#[tokio::test(start_paused = true)]
async fn at_one_hundred_percent_without_a_regain_time_the_default_pause_applies() {
    let throttle =
        UsageThrottle::new(ThrottlePolicy::default().pause_at(100, Duration::from_secs(30)));
    throttle.observe(&usage("x-page-usage", r#"{"call_count":100}"#));
    let start = Instant::now();
    throttle.ready().await;
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    // Headers that say nothing change nothing.
    throttle.observe(&Usage::default());
    assert_eq!(throttle.last_percent(), Some(100));
}

#[tokio::test]
async fn a_request_feeds_its_response_usage_to_the_throttle() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "x-page-usage",
                    r#"{"call_count":100,"total_cputime":1,"total_time":1}"#,
                )
                .set_body_raw(r#"{"id":"1","name":"Jane Doe"}"#, "application/json"),
        )
        .expect(2)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let client = common::client(&server);
    let throttle =
        UsageThrottle::new(ThrottlePolicy::default().pause_at(100, Duration::from_millis(300)));

    let start = std::time::Instant::now();
    for _ in 0..2 {
        let _: serde_json::Value = client
            .get("me")
            .token(&common::token())
            .throttle(&throttle)
            .send()
            .await
            .unwrap();
    }
    // The second call waited out the pause the first one's headers asked for.
    assert!(start.elapsed() >= Duration::from_millis(290));
    assert_eq!(throttle.last_percent(), Some(100));
}
