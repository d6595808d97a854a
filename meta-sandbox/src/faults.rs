//! Faults the sandbox injects on demand, the way Meta's API fails in production.

use std::time::Duration;

/// Which calls a fault applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Target {
    /// Every Graph call.
    Any,
    /// Message sends: `POST /{id}/messages` (WhatsApp, Messenger, Instagram), sender actions
    /// and read receipts included.
    Send,
    /// Calls whose path contains this text (such as `/conversations`).
    PathContains(String),
}

/// What goes wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// A rate limit with its usage headers: code 4 (app), 613 (Messenger/Instagram),
    /// 130429 (WhatsApp throughput) or 80007 (WhatsApp business-use-case).
    Throttle {
        /// The Graph error code.
        code: i64,
        /// The `estimated_time_to_regain_access` reported, in minutes.
        regain_minutes: u64,
    },
    /// An expired token: code 190, subcode 463.
    ExpiredToken,
    /// A transient server error: HTTP 500, code 2, `is_transient`.
    ServerError,
    /// The answer comes after this delay (the call then succeeds).
    Slow(Duration),
    /// The request is received and acted on (a message is sent), then the connection is
    /// dropped before any answer: the caller cannot know it succeeded.
    DropAfterReceive,
}

/// A fault for the next `times` matching calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// Which calls.
    pub target: Target,
    /// What happens.
    pub kind: FaultKind,
    /// How many matching calls it affects.
    pub times: u32,
}

impl Fault {
    /// `kind` on the next matching call.
    pub fn once(target: Target, kind: FaultKind) -> Self {
        Self {
            target,
            kind,
            times: 1,
        }
    }

    /// `kind` on the next `times` matching calls.
    pub fn times(target: Target, kind: FaultKind, times: u32) -> Self {
        Self {
            target,
            kind,
            times,
        }
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        match &self.target {
            Target::Any => true,
            Target::Send => method == "POST" && path.ends_with("/messages"),
            Target::PathContains(text) => path.contains(text.as_str()),
        }
    }
}

/// How webhook deliveries misbehave, as Meta's do: at least once, in any order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryFaults {
    /// Every delivery is made this many extra times.
    pub duplicates: u32,
    /// A sent message's statuses arrive newest first (read, delivered, sent).
    pub reverse_statuses: bool,
}
