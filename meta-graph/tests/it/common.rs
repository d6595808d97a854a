//! Shared test helpers.

use std::fmt::Write as _;
use std::time::Duration;

use meta_graph::{AccessToken, DEFAULT_API_VERSION, GraphClient, GraphClientBuilder, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(crate) const TOKEN: &str = "EAAGtestPageTokenZZZ";
pub(crate) const APP_SECRET: &str = "e4f2c1a7b9d3e5f60718293a4b5c6d7e";
pub(crate) const CATCH_ALL_BODY: &str = "CATCH-ALL: this request matched no mock";

pub(crate) fn token() -> AccessToken {
    AccessToken::new(TOKEN)
}

/// `/{version}/{rest}`, the path a relative request resolves to.
pub(crate) fn api_path(rest: &str) -> String {
    format!("/{DEFAULT_API_VERSION}/{rest}")
}

/// A fixture as text, with `{{BASE}}` replaced by the mock server's URI.
pub(crate) fn fixture_for(server: &MockServer, name: &str) -> String {
    fixture(name).replace("{{BASE}}", &server.uri())
}

pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A response with a fixture as its JSON body.
pub(crate) fn json(status: u16, server: &MockServer, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture_for(server, name), "application/json")
}

/// Mounts, last and at the lowest priority, a mock that answers any other
/// request with a distinctive 500 and fails the test when the server is
/// dropped if it was ever hit.
pub(crate) async fn mount_catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string(CATCH_ALL_BODY))
        .with_priority(u8::MAX)
        .named("catch-all: unexpected request")
        .expect(0)
        .mount(server)
        .await;
}

/// A client aimed at the mock server, with fast retries.
pub(crate) fn client(server: &MockServer) -> GraphClient {
    builder(server).build().expect("client builds")
}

pub(crate) fn builder(server: &MockServer) -> GraphClientBuilder {
    GraphClient::builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(fast_retries())
}

pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
        .with_deadline(Some(Duration::from_secs(30)))
}

/// Every string a failure exposes: Display, Debug and the source chain.
pub(crate) fn everything_shown(error: &meta_graph::Error) -> String {
    let mut shown = format!("{error}\n{error:?}\n");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        writeln!(shown, "{cause}\n{cause:?}").unwrap();
        source = cause.source();
    }
    shown
}

/// Answers `method` on `/{version}/{rest}` first with `first`, then with `then`, each exactly
/// once: the shape of a test that expects one retry and no more.
pub(crate) async fn mount_first_then(
    server: &MockServer,
    method: &str,
    rest: &str,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    use wiremock::matchers::{method as method_is, path};

    Mock::given(method_is(method))
        .and(path(api_path(rest)))
        .respond_with(first)
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method_is(method))
        .and(path(api_path(rest)))
        .respond_with(then)
        .expect(1)
        .mount(server)
        .await;
}
