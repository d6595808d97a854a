//! Pacing one account's calls by the usage Meta reports.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::api_error::ErrorClass;
use crate::error::Error;
use crate::usage::Usage;

/// When a [`UsageThrottle`] slows down and pauses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    slow_down_at: u32,
    spacing: Duration,
    pause_at: u32,
    default_pause: Duration,
}

impl Default for ThrottlePolicy {
    /// Space calls 500 ms apart from 90 % of any meter; pause at 100 %, for Meta's regain
    /// time when it gives one and 60 s otherwise.
    fn default() -> Self {
        Self {
            slow_down_at: 90,
            spacing: Duration::from_millis(500),
            pause_at: 100,
            default_pause: Duration::from_secs(60),
        }
    }
}

impl ThrottlePolicy {
    /// From `percent` of any meter on, leave at least `spacing` between calls.
    pub fn slow_down_at(mut self, percent: u32, spacing: Duration) -> Self {
        self.slow_down_at = percent;
        self.spacing = spacing;
        self
    }

    /// From `percent` on (and after a throttling error), make no call for Meta's regain time,
    /// or `default_pause` when Meta gives none.
    pub fn pause_at(mut self, percent: u32, default_pause: Duration) -> Self {
        self.pause_at = percent;
        self.default_pause = default_pause;
        self
    }
}

/// Holds back one account's calls (a Page, an Instagram account, a WhatsApp Business
/// Account) when Meta's usage headers say it is close to its limits, instead of letting the
/// calls fail.
///
/// Every response carries `X-App-Usage`, `X-Page-Usage` or `X-Business-Use-Case-Usage`
/// (percentages of the allowance, and when throttled the minutes until access returns). Give
/// the same throttle to every request of one account with
/// [`GraphRequest::throttle`](crate::GraphRequest::throttle): before each attempt the request
/// waits its turn, and after it the response's usage (or the throttling error) updates the
/// throttle. One account's pause never holds up another's: give each its own.
///
/// Cheap to clone: clones share their state. Waiting needs a tokio runtime with its time
/// driver.
#[derive(Clone)]
pub struct UsageThrottle {
    policy: Arc<ThrottlePolicy>,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    paused_until: Option<Instant>,
    spacing: Option<Duration>,
    last_call: Option<Instant>,
    last_percent: Option<u32>,
}

impl Default for UsageThrottle {
    fn default() -> Self {
        Self::new(ThrottlePolicy::default())
    }
}

impl UsageThrottle {
    /// A throttle following `policy`.
    pub fn new(policy: ThrottlePolicy) -> Self {
        Self {
            policy: Arc::new(policy),
            state: Arc::default(),
        }
    }

    /// Waits until a call may go out, and counts it as gone.
    pub async fn ready(&self) {
        loop {
            let wait = {
                let mut state = self.lock();
                let now = Instant::now();
                let mut until = state.paused_until.filter(|&until| until > now);
                if let (Some(spacing), Some(last)) = (state.spacing, state.last_call) {
                    until = until.max(Some(last + spacing).filter(|&at| at > now));
                }
                let Some(until) = until else {
                    state.last_call = Some(now);
                    return;
                };
                until - now
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Takes in the usage a response reported.
    pub fn observe(&self, usage: &Usage) {
        if usage.is_empty() {
            return;
        }
        let percent = usage.max_percent();
        let regain = usage.max_regain_time().filter(|wait| !wait.is_zero());
        let mut state = self.lock();
        state.last_percent = percent;
        let percent = percent.unwrap_or(0);
        if regain.is_some() || percent >= self.policy.pause_at {
            let pause = regain.unwrap_or(self.policy.default_pause);
            Self::pause_locked(&mut state, pause);
        }
        state.spacing = (percent >= self.policy.slow_down_at).then_some(self.policy.spacing);
    }

    /// Takes in a failed call: a throttling error pauses the account for the wait Meta asked
    /// for (or the policy's default); its usage headers count too.
    pub fn observe_error(&self, error: &Error) {
        self.observe(error.usage());
        if error.class() == Some(ErrorClass::Throttled) {
            let pause = error.retry_after().unwrap_or(self.policy.default_pause);
            Self::pause_locked(&mut self.lock(), pause);
        }
    }

    /// Until when calls are paused, if they are.
    pub fn paused_until(&self) -> Option<Instant> {
        self.lock()
            .paused_until
            .filter(|&until| until > Instant::now())
    }

    /// The highest usage percentage last reported.
    pub fn last_percent(&self) -> Option<u32> {
        self.lock().last_percent
    }

    fn pause_locked(state: &mut State, pause: Duration) {
        let until = Instant::now() + pause;
        state.paused_until = state.paused_until.max(Some(until));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent whatever panicked while holding it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for UsageThrottle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsageThrottle")
            .field("policy", &self.policy)
            .field("paused_until", &self.paused_until())
            .field("last_percent", &self.last_percent())
            .finish_non_exhaustive()
    }
}
