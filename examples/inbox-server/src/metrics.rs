//! Prometheus metrics: requests by route and status, their latency, and the webhook pipeline.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

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

/// How often [`upkeep`] folds the recorded histogram samples into their summaries.
pub const UPKEEP_PERIOD: Duration = Duration::from_secs(5);

/// Folds the histogram samples recorded since the last pass into their summaries, every
/// `period`, until the task is dropped; `serve` runs it. Without it the exporter keeps every
/// sample of every request until `/metrics` is next read, so a server that nobody scrapes
/// grows with its traffic. The summaries themselves are bounded.
pub async fn upkeep(period: Duration) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        handle().run_upkeep();
    }
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

#[cfg(test)]
mod tests {
    use super::{init, render, upkeep};
    use std::time::Duration;

    /// The count of `name` on the metrics page.
    fn count(name: &str) -> Option<u64> {
        let prefix = format!("{name}_count ");
        render()
            .lines()
            .find_map(|line| line.strip_prefix(prefix.as_str())?.trim().parse().ok())
    }

    #[tokio::test]
    async fn upkeep_keeps_every_sample_recorded_between_scrapes() {
        init();
        let name = "inbox_test_upkeep_seconds";
        let task = tokio::spawn(upkeep(Duration::from_millis(5)));
        for i in 0..600_u32 {
            metrics::histogram!(name).record(f64::from(i) / 1e3);
        }
        // Several passes fold the first samples in before the rest arrive.
        tokio::time::sleep(Duration::from_millis(50)).await;
        for i in 0..400_u32 {
            metrics::histogram!(name).record(f64::from(i) / 1e3);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        task.abort();
        assert_eq!(count(name), Some(1000), "{}", render());
        // Reading the page again neither loses nor counts anything twice.
        assert_eq!(count(name), Some(1000));
    }
}
