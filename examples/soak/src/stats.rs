//! What the load counts while it runs.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A reply the server answered `201` to.
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    /// The unique text it carried.
    pub(crate) text: String,
    /// The id the server stored it under (the platform's).
    pub(crate) message_id: String,
}

/// Counters shared by every load task.
#[derive(Default)]
pub(crate) struct Stats {
    /// Bodies the soak posted itself and the server took (`200`).
    pub(crate) webhook_bodies: AtomicU64,
    /// Bodies posted a second time, as Meta redelivers.
    pub(crate) redeliveries: AtomicU64,
    /// Bodies the server never took, retries included.
    pub(crate) refused_bodies: AtomicU64,
    /// Customer messages written through the sandbox.
    pub(crate) sandbox_writes: AtomicU64,
    /// API reads answered `200`.
    pub(crate) reads: AtomicU64,
    /// Replies answered `201`.
    pub(crate) replies_sent: AtomicU64,
    /// Replies answered otherwise.
    pub(crate) replies_failed: AtomicU64,
    /// WebSocket frames received, by kind.
    pub(crate) ws_messages: AtomicU64,
    pub(crate) ws_created: AtomicU64,
    pub(crate) ws_updated: AtomicU64,
    pub(crate) ws_lagged: AtomicU64,
    pub(crate) ws_connects: AtomicU64,
    pub(crate) ws_drops: AtomicU64,
    /// Every 5xx the soak received from the server.
    pub(crate) server_5xx: AtomicU64,
    /// Every failure, by what failed and how (a status or an error kind, never a body).
    errors: Mutex<BTreeMap<String, u64>>,
    /// The ids of the inbound messages the server took, directly or through the sandbox.
    pub(crate) expected: Mutex<Vec<String>>,
    pub(crate) replies: Mutex<Vec<Reply>>,
    /// Microseconds, per kind of request.
    webhook_latency: Mutex<Vec<u32>>,
    read_latency: Mutex<Vec<u32>>,
    reply_latency: Mutex<Vec<u32>>,
    /// The `message.created` frames each WebSocket client saw, when it stopped.
    pub(crate) ws_per_client: Mutex<Vec<u64>>,
}

/// Which latency series.
#[derive(Clone, Copy)]
pub(crate) enum Series {
    Webhook,
    Read,
    Reply,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Stats {
    pub(crate) fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// Records a failure of `what`.
    pub(crate) fn error(&self, what: &str, how: &str) {
        *lock(&self.errors)
            .entry(format!("{what}: {how}"))
            .or_default() += 1;
    }

    /// Records an unexpected status of `what`; a 5xx counts as such too.
    pub(crate) fn status(&self, what: &str, status: reqwest::StatusCode) {
        if status.is_server_error() {
            Self::add(&self.server_5xx);
        }
        self.error(what, status.as_str());
    }

    /// Records a transport failure of `what` by its kind (a reqwest error's text may carry
    /// the URL; its kind does not).
    pub(crate) fn transport(&self, what: &str, error: &reqwest::Error) {
        let kind = if error.is_timeout() {
            "timeout"
        } else if error.is_connect() {
            "connect"
        } else if error.is_body() || error.is_decode() {
            "body"
        } else {
            "transport"
        };
        self.error(what, kind);
    }

    pub(crate) fn errors(&self) -> BTreeMap<String, u64> {
        lock(&self.errors).clone()
    }

    pub(crate) fn latency(&self, series: Series, elapsed: Duration) {
        let micros = u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX);
        let list = match series {
            Series::Webhook => &self.webhook_latency,
            Series::Read => &self.read_latency,
            Series::Reply => &self.reply_latency,
        };
        lock(list).push(micros);
    }

    /// The 50th and 99th percentiles and the maximum of `series`, in milliseconds.
    pub(crate) fn percentiles(&self, series: Series) -> Option<(f64, f64, f64)> {
        let list = match series {
            Series::Webhook => &self.webhook_latency,
            Series::Read => &self.read_latency,
            Series::Reply => &self.reply_latency,
        };
        let mut values = lock(list).clone();
        values.sort_unstable();
        let at = |q: usize| f64::from(values[(values.len() - 1) * q / 100]) / 1000.0;
        let max = *values.last()?;
        Some((at(50), at(99), f64::from(max) / 1000.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_5xx_counts_as_one_and_is_listed_by_what_failed() {
        let stats = Stats::default();
        stats.status("reply", reqwest::StatusCode::BAD_GATEWAY);
        stats.status("reply", reqwest::StatusCode::BAD_GATEWAY);
        stats.status("read", reqwest::StatusCode::NOT_FOUND);
        assert_eq!(Stats::get(&stats.server_5xx), 2);
        let errors = stats.errors();
        assert_eq!(errors["reply: 502"], 2);
        assert_eq!(errors["read: 404"], 1);
    }

    #[test]
    fn percentiles_come_from_the_recorded_values() {
        let stats = Stats::default();
        assert!(stats.percentiles(Series::Read).is_none());
        for ms in 1..=100 {
            stats.latency(Series::Read, Duration::from_millis(ms));
        }
        let (p50, p99, max) = stats.percentiles(Series::Read).unwrap_or_default();
        assert!((p50 - 50.0).abs() < 1.01, "{p50}");
        assert!((p99 - 99.0).abs() < 1.01, "{p99}");
        assert!((max - 100.0).abs() < f64::EPSILON);
    }
}
