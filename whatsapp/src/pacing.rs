//! Pacing sends to stay inside WhatsApp's throughput and pair-rate limits.
//!
//! Meta limits each business phone number to a number of messages per second (80 by default,
//! 20 for numbers shared with the WhatsApp Business app, up to 1,000 after an automatic
//! upgrade) and answers error 130429 above it; it also limits how fast one number may write to
//! one user (the pair rate) and answers 131056 above that. A [`Pacer`] makes every send wait
//! for its turn instead, so any number of tasks can send through one
//! [`WhatsAppClient`](crate::WhatsAppClient) without being rejected.
//!
//! Both limits are generic cell rate algorithms ([`governor`]) on tokio's clock, so waits are
//! plain `tokio::time::sleep`s: they cost no thread and follow tokio's paused time in tests.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

/// Messages per second a business phone number may send by default.
pub const DEFAULT_MESSAGES_PER_SECOND: u32 = 80;

/// The fixed throughput of a number used with both the WhatsApp Business app and the Cloud
/// API (coexistence).
pub const COEXISTENCE_MESSAGES_PER_SECOND: u32 = 20;

/// The most a number may send per second after Meta's automatic throughput upgrade.
pub const MAX_MESSAGES_PER_SECOND: u32 = 1_000;

/// The pair rate: one message to the same user every 6 seconds on average.
pub const DEFAULT_PER_RECIPIENT_INTERVAL: Duration = Duration::from_secs(6);

/// How many messages to one user may go out at once before the pair rate applies; each one
/// borrows from the user's future allowance.
pub const DEFAULT_PER_RECIPIENT_BURST: u32 = 45;

/// How often (in sends) the per-recipient table forgets users whose allowance is full again,
/// so that it does not grow with every user ever written to.
const PRUNE_EVERY: u64 = 4_096;

/// The limits a [`Pacer`] enforces.
///
/// ```
/// use std::time::Duration;
/// use metabiz_whatsapp::pacing::Pacing;
///
/// // A number shared with the WhatsApp Business app, with a stricter pair rate.
/// let pacing = Pacing::default()
///     .messages_per_second(20)
///     .per_recipient(Duration::from_secs(10), 5);
/// assert_eq!(pacing.messages_per_second_value(), Some(20));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pacing {
    per_second: Option<NonZeroU32>,
    burst: Option<NonZeroU32>,
    per_recipient: Option<(Duration, NonZeroU32)>,
}

impl Default for Pacing {
    /// 80 messages per second for the number, bursts of up to a tenth of a second's worth;
    /// per recipient one message every 6 seconds with bursts of up to 45.
    fn default() -> Self {
        Self {
            per_second: NonZeroU32::new(DEFAULT_MESSAGES_PER_SECOND),
            burst: None,
            per_recipient: NonZeroU32::new(DEFAULT_PER_RECIPIENT_BURST)
                .map(|burst| (DEFAULT_PER_RECIPIENT_INTERVAL, burst)),
        }
    }
}

impl Pacing {
    /// No pacing at all: every send goes out at once (Meta's limits still apply, as errors).
    pub fn unlimited() -> Self {
        Self {
            per_second: None,
            burst: None,
            per_recipient: None,
        }
    }

    /// Sets the number's throughput in messages per second (clamped to
    /// 1..=[`MAX_MESSAGES_PER_SECOND`]). Set it to the level Meta reports for the number (see
    /// [`Throughput`](crate::model::Throughput) of a phone number).
    pub fn messages_per_second(mut self, rate: u32) -> Self {
        self.per_second = NonZeroU32::new(rate.clamp(1, MAX_MESSAGES_PER_SECOND));
        self
    }

    /// Sets how many messages may go out back to back before the per-second rate applies
    /// (default: a tenth of a second's worth, at least 1). A larger burst smooths less.
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = NonZeroU32::new(burst.max(1));
        self
    }

    /// Sets the pair rate: on average one message to the same user every `interval`, with up
    /// to `burst` at once.
    pub fn per_recipient(mut self, interval: Duration, burst: u32) -> Self {
        self.per_recipient = (!interval.is_zero())
            .then(|| NonZeroU32::new(burst.max(1)).map(|burst| (interval, burst)))
            .flatten();
        self
    }

    /// Turns the per-recipient pacing off, keeping the number's throughput limit.
    pub fn without_per_recipient(mut self) -> Self {
        self.per_recipient = None;
        self
    }

    /// The number's throughput, `None` when unlimited.
    pub fn messages_per_second_value(&self) -> Option<u32> {
        self.per_second.map(NonZeroU32::get)
    }

    /// The pair rate's interval and burst, `None` when off.
    pub fn per_recipient_value(&self) -> Option<(Duration, u32)> {
        self.per_recipient
            .map(|(interval, burst)| (interval, burst.get()))
    }
}

/// tokio's clock as a `governor` clock: time since the pacer was made.
#[derive(Clone, Debug)]
struct TokioClock {
    start: tokio::time::Instant,
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.start.elapsed()
    }
}

type NumberLimiter = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>;
type RecipientLimiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, TokioClock, NoOpMiddleware<Duration>>;

/// Makes sends from one business phone number wait for their turn.
///
/// Cheap to clone: clones share their state, so give every client that sends from the same
/// number the same pacer (a [`WhatsAppClient`](crate::WhatsAppClient) and its clones do this
/// already). Waiting needs a tokio runtime with its time driver.
///
/// ```
/// use metabiz_whatsapp::pacing::{Pacer, Pacing};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let pacer = Pacer::new(Pacing::default());
/// pacer.until_ready("16505551234").await; // the first message goes at once
/// # }
/// ```
#[derive(Clone)]
pub struct Pacer {
    inner: Arc<Inner>,
}

struct Inner {
    pacing: Pacing,
    clock: TokioClock,
    number: Option<NumberLimiter>,
    recipients: Option<RecipientLimiter>,
    sends: AtomicU64,
}

impl Pacer {
    /// A pacer enforcing `pacing`. Must be called inside a tokio runtime.
    pub fn new(pacing: Pacing) -> Self {
        let clock = TokioClock {
            start: tokio::time::Instant::now(),
        };
        let number = pacing.per_second.map(|rate| {
            let burst = pacing
                .burst
                .or_else(|| NonZeroU32::new((rate.get() / 10).max(1)))
                .unwrap_or(NonZeroU32::MIN);
            let period = Duration::from_secs(1) / rate.get();
            let quota = Quota::with_period(period)
                .unwrap_or_else(|| Quota::per_second(rate))
                .allow_burst(burst);
            RateLimiter::direct_with_clock(quota, clock.clone())
        });
        let recipients = pacing.per_recipient.and_then(|(interval, burst)| {
            let quota = Quota::with_period(interval)?.allow_burst(burst);
            Some(RateLimiter::dashmap_with_clock(quota, clock.clone()))
        });
        Self {
            inner: Arc::new(Inner {
                pacing,
                clock,
                number,
                recipients,
                sends: AtomicU64::new(0),
            }),
        }
    }

    /// The limits this pacer enforces.
    pub fn pacing(&self) -> &Pacing {
        &self.inner.pacing
    }

    /// Waits until one more message to `recipient` (a `wa_id` or business-scoped user id) fits
    /// both limits, and takes that turn.
    ///
    /// The recipient's turn is taken first, then the number's, so a send waiting on a busy
    /// user never holds up the number's throughput for others. Cancelling the future (for
    /// example with a timeout) gives up the number's turn it was waiting for.
    pub async fn until_ready(&self, recipient: &str) {
        let inner = &self.inner;
        if let Some(recipients) = &inner.recipients {
            let key = recipient.to_owned();
            while let Err(not_until) = recipients.check_key(&key) {
                tokio::time::sleep(not_until.wait_time_from(inner.clock.now())).await;
            }
            if inner.sends.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
                recipients.retain_recent();
            }
        }
        if let Some(number) = &inner.number {
            while let Err(not_until) = number.check() {
                tokio::time::sleep(not_until.wait_time_from(inner.clock.now())).await;
            }
        }
    }

    /// How many recipients the pacer currently remembers (those still inside their pair-rate
    /// allowance, and some that are not yet forgotten).
    pub fn tracked_recipients(&self) -> usize {
        self.inner.recipients.as_ref().map_or(0, RateLimiter::len)
    }
}

impl fmt::Debug for Pacer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pacer")
            .field("pacing", &self.inner.pacing)
            .field("tracked_recipients", &self.tracked_recipients())
            .finish()
    }
}
