//! When to try a request again, and how long to wait.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, header::RETRY_AFTER};
use rand::Rng;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

/// How the client retries failed calls.
///
/// Only outcomes that are safe to repeat are retried:
///
/// - Reads (GET, and requests marked
///   [`idempotent`](crate::GraphRequest::idempotent)) are retried after
///   network errors, 5xx responses, and throttled or transient Graph errors.
/// - Everything else (POST and DELETE by default) is retried only when Meta
///   certainly did not act: the connection could not be opened, or Meta
///   rejected the call as throttled. Any other failure where the request
///   may have reached Meta comes back as
///   [`ErrorKind::Ambiguous`](crate::ErrorKind::Ambiguous), because no Send
///   API takes an idempotency key and a blind retry could send a message
///   twice.
///
/// Waits use exponential backoff with full jitter (a random wait between
/// zero and `initial_backoff × 2^retry`, capped at `max_backoff`), but never
/// less than Meta asked for in `Retry-After` or the business-use-case
/// `estimated_time_to_regain_access`. When that wait would pass the
/// deadline, the client stops at once and returns the throttled error with
/// [`Error::retry_after`](crate::Error::retry_after) set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    /// Up to 4 attempts, backoff from 500 ms up to 30 s, within 2 minutes.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            deadline: Some(Duration::from_secs(120)),
        }
    }
}

impl RetryPolicy {
    /// Never retry: every call is attempted exactly once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the total number of attempts, the first included (minimum 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the upper bound of the first random wait.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Caps the random part of each wait.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Bounds the time spent on one call, waits included; `None` for no
    /// bound other than the attempt count.
    pub fn with_deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The total number of attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The overall deadline, if any.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// How long to wait before trying again after failed attempt number
    /// `attempt` (1-based), or `None` to stop: the attempts are used up, or
    /// the wait (never less than `min_wait`, Meta's own request) would end
    /// past the deadline.
    pub(crate) fn plan_retry(
        &self,
        attempt: u32,
        elapsed: Duration,
        min_wait: Option<Duration>,
        rng: &mut impl Rng,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let wait = self
            .jittered_backoff(attempt, rng)
            .max(min_wait.unwrap_or_default());
        match self.deadline {
            Some(deadline) if elapsed.saturating_add(wait) > deadline => None,
            _ => Some(wait),
        }
    }

    /// The random wait before retry number `retry` (1 for the first retry):
    /// uniform in `[0, min(max_backoff, initial_backoff × 2^(retry-1))]`.
    pub(crate) fn jittered_backoff(&self, retry: u32, rng: &mut impl Rng) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(rng.random_range(0..=nanos))
    }
}

/// How long a response's `Retry-After` header asks to wait, read as
/// delay-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`,
/// measured from `now`; a date already past means no wait).
///
/// `None` when the header is absent or is neither form. The client applies
/// this itself; it is public for callers that read raw responses and for
/// fuzzing.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// let mut headers = http::HeaderMap::new();
/// headers.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("7"));
/// assert_eq!(
///     meta_graph::parse_retry_after(&headers, SystemTime::now()),
///     Some(Duration::from_secs(7))
/// );
/// ```
pub fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = OffsetDateTime::parse(text, &Rfc2822).ok()?;
    let now = OffsetDateTime::from(now);
    let wait = at - now;
    Some(wait.try_into().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn backoff_stays_within_full_jitter_bounds() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        let mut rng = StdRng::seed_from_u64(7);
        let mut saw_small = false;
        for _ in 0..200 {
            let first = policy.jittered_backoff(1, &mut rng);
            assert!(first <= Duration::from_millis(100));
            saw_small |= first < Duration::from_millis(50);
            assert!(policy.jittered_backoff(3, &mut rng) <= Duration::from_millis(350));
            assert!(policy.jittered_backoff(40, &mut rng) <= Duration::from_millis(350));
        }
        assert!(saw_small, "full jitter draws from zero up");
    }

    #[test]
    fn plan_honours_server_wait_attempts_and_deadline() {
        let policy = RetryPolicy::default()
            .with_max_attempts(3)
            .with_initial_backoff(Duration::from_millis(10))
            .with_deadline(Some(Duration::from_secs(60)));
        let mut rng = StdRng::seed_from_u64(1);
        let wait = policy.plan_retry(1, Duration::ZERO, Some(Duration::from_secs(5)), &mut rng);
        assert_eq!(
            wait,
            Some(Duration::from_secs(5)),
            "Retry-After wins over a shorter backoff"
        );
        assert!(
            policy
                .plan_retry(2, Duration::ZERO, None, &mut rng)
                .unwrap()
                <= Duration::from_millis(20)
        );
        assert_eq!(
            policy.plan_retry(3, Duration::ZERO, None, &mut rng),
            None,
            "attempts used up"
        );
        assert_eq!(
            policy.plan_retry(
                1,
                Duration::from_secs(50),
                Some(Duration::from_secs(11)),
                &mut rng
            ),
            None,
            "the wait would end past the deadline"
        );
        let unbounded = policy.clone().with_deadline(None);
        assert_eq!(
            unbounded.plan_retry(
                1,
                Duration::from_secs(50),
                Some(Duration::from_secs(3600)),
                &mut rng
            ),
            Some(Duration::from_secs(3600))
        );
    }

    #[test]
    fn none_means_one_attempt() {
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(
            parse_retry_after(&headers, SystemTime::now()),
            Some(Duration::from_secs(7))
        );

        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(
            parse_retry_after(&headers, now),
            Some(Duration::from_secs(10))
        );

        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(parse_retry_after(&headers, now), None);
    }
}
