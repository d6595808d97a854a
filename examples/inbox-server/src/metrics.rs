//! Prometheus metrics: requests by route and status, their latency, and the webhook pipeline.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// The upper bounds of the latency histograms (`…_seconds`), from 100 µs to 30 s.
pub const SECONDS_BUCKETS: [f64; 17] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0, 30.0,
];

/// The upper bounds of `inbox_webhook_commit_batch` (bodies per commit), up to a full batch.
pub const BATCH_BUCKETS: [f64; 11] = [
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0,
];

/// Every histogram is a Prometheus histogram with fixed buckets: a few counters per series,
/// allocated once, where the exporter's default summaries keep rolling sketches that grow
/// with the spread of the values seen (about 2 MB over the soak's first minutes).
fn builder() -> PrometheusBuilder {
    PrometheusBuilder::new()
        .set_buckets(&SECONDS_BUCKETS)
        .and_then(|b| {
            b.set_buckets_for_metric(
                Matcher::Full("inbox_webhook_commit_batch".to_owned()),
                &BATCH_BUCKETS,
            )
        })
        // Only an empty list fails, and neither is: the defaults then, rather than no metrics.
        .unwrap_or_else(|_| PrometheusBuilder::new())
}

fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = builder().build_recorder();
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

/// How often [`upkeep`] folds the recorded histogram samples into their buckets.
pub const UPKEEP_PERIOD: Duration = Duration::from_secs(5);

/// Folds the histogram samples recorded since the last pass into their buckets, every
/// `period`, until the task is dropped; `serve` runs it. Without it the exporter keeps every
/// sample of every request until `/metrics` is next read, so a server that nobody scrapes
/// grows with its traffic. The buckets themselves are fixed.
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

    /// The cumulative count of `name`'s bucket `le`.
    fn bucket(name: &str, le: &str) -> Option<u64> {
        let prefix = format!("{name}_bucket{{le=\"{le}\"}} ");
        render()
            .lines()
            .find_map(|line| line.strip_prefix(prefix.as_str())?.trim().parse().ok())
    }

    #[test]
    fn latencies_and_batch_sizes_are_histograms_with_fixed_buckets() {
        init();
        let seconds = "inbox_test_bucketed_seconds";
        for value in [0.0002, 0.0004, 0.003, 0.2, 45.0] {
            metrics::histogram!(seconds).record(value);
        }
        assert_eq!(bucket(seconds, "0.00025"), Some(1), "{}", render());
        assert_eq!(bucket(seconds, "0.0005"), Some(2));
        assert_eq!(bucket(seconds, "0.005"), Some(3));
        assert_eq!(bucket(seconds, "0.25"), Some(4));
        assert_eq!(bucket(seconds, "30"), Some(4));
        assert_eq!(bucket(seconds, "+Inf"), Some(5));
        assert_eq!(count(seconds), Some(5));
        // No summary quantiles, whose sketches grow with the values seen.
        assert!(!render().contains(&format!("{seconds}{{quantile=")));

        // The intake records this one too (other tests of this process may commit): compare
        // each bucket before and after.
        let batch = "inbox_webhook_commit_batch";
        metrics::histogram!(batch).record(3.0);
        let before = ["2", "4", "64", "128"].map(|le| bucket(batch, le).unwrap_or(0));
        metrics::histogram!(batch).record(3.0);
        metrics::histogram!(batch).record(100.0);
        let after = ["2", "4", "64", "128"].map(|le| bucket(batch, le).unwrap_or(0));
        let added: Vec<u64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
        // 3 lands in `le="4"` (and above), 100 in `le="128"` but not in `le="64"`.
        assert!(added[1] > added[0], "{}", render());
        assert!(added[3] > added[2], "{}", render());
    }
}
