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
    /// Calls made for one business account, by its id: a WhatsApp phone number id, a Page id
    /// or an Instagram account id. A call is for the account its path starts with, except
    /// that a send through the Page to an Instagram user is for the Instagram account (the
    /// Messenger API for Instagram sends from the Page's node). Throttles are per account at
    /// Meta, so this is how one account is throttled while the others are not.
    Account(String),
    /// Message sends (as [`Target::Send`]) of one business account (as [`Target::Account`]):
    /// the account's other calls, such as a sync's reads, go through.
    SendFrom(String),
}

/// What goes wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// A rate limit, answered with HTTP 400 and Meta's error body, and with the usage headers
    /// at 100 %: code 4 (the app: `X-App-Usage`), 613 (Messenger/Instagram), 130429 (WhatsApp
    /// throughput) or 80007 (WhatsApp business-use-case), the last three with
    /// `X-Business-Use-Case-Usage` keyed by the throttled business object and carrying
    /// `estimated_time_to_regain_access`. WhatsApp's 131056 (too many messages to one user)
    /// comes without a usage header: no meter of the account ran out.
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

    /// Whether the call `method path`, made for the business account `account` (when it is
    /// for one), is hit.
    pub(crate) fn matches(&self, method: &str, path: &str, account: Option<&str>) -> bool {
        match &self.target {
            Target::Any => true,
            Target::Send => method == "POST" && path.ends_with("/messages"),
            Target::PathContains(text) => path.contains(text.as_str()),
            Target::Account(id) => account == Some(id.as_str()),
            Target::SendFrom(id) => {
                method == "POST" && path.ends_with("/messages") && account == Some(id.as_str())
            }
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
