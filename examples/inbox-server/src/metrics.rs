//! Prometheus metrics: requests by route and status, their latency, and the webhook pipeline.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (an embedding application's): then the
        // metrics go there and this page stays empty rather than failing.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Installs the recorder; call once at start (the router does it too).
pub fn init() {
    let _ = handle();
}

/// The metrics in Prometheus' text format.
pub fn render() -> String {
    handle().render()
}

/// Counts and times each request by its route template (never the raw path or query, which
/// may hold ids or a token), and logs it.
pub async fn track(request: Request, next: Next) -> Response {
    init();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let start = Instant::now();
    let response = next.run(request).await;
    let elapsed = start.elapsed();
    let status = response.status().as_u16().to_string();
    tracing::debug!(%method, %route, %status, elapsed_ms = elapsed.as_secs_f64() * 1e3, "request");
    metrics::counter!("inbox_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("inbox_http_request_seconds", "method" => method, "route" => route)
        .record(elapsed.as_secs_f64());
    response
}
