use std::fmt;

use serde::{Deserialize, Serialize};

/// How far an outbound message got.
///
/// Meta delivers status updates at least once and in any order (WhatsApp has been seen to send
/// `delivered` after `failed`, and skips `delivered` when a message is read at once). Use
/// [`DeliveryStatus::merge`] to fold them: the result does not depend on arrival order or
/// duplicates.
///
/// The variants are ordered by the evidence they carry, `Sent < Failed < Delivered < Read`,
/// and `Ord` follows that order; `merge` is the maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum DeliveryStatus {
    /// Accepted by the platform.
    Sent,
    /// Meta reported a failure.
    Failed,
    /// Reached the recipient's device.
    Delivered,
    /// Seen by the recipient.
    Read,
}

impl DeliveryStatus {
    /// Every status, in merge order.
    pub const ALL: [DeliveryStatus; 4] = [Self::Sent, Self::Failed, Self::Delivered, Self::Read];

    /// Combines two reports about the same message into what is known from both.
    ///
    /// The rule is a join over `Sent < Failed < Delivered < Read`: positive evidence wins.
    ///
    /// - `Read` beats everything and `Delivered` beats `Failed` and `Sent`: a message seen on
    ///   the recipient's device did reach the user, whatever failure report arrives before or
    ///   after it (WhatsApp has sent `delivered` after `failed`, for instance with several
    ///   devices per user).
    /// - `Failed` beats `Sent`: a failure is news about a message only known to be accepted,
    ///   and `sent` may arrive late.
    ///
    /// Because the rule is a maximum, it is commutative, associative and idempotent: folding
    /// the reports of a message in any order, with any duplicates, gives the same end state.
    /// That is what Meta's delivery needs: statuses come at least once, out of order, and
    /// `delivered` may never come when a message is read at once.
    #[must_use]
    pub fn merge(self, other: Self) -> Self {
        self.max(other)
    }

    /// Folds every report with [`DeliveryStatus::merge`]; `None` when there are none.
    pub fn merge_all(statuses: impl IntoIterator<Item = Self>) -> Option<Self> {
        statuses.into_iter().reduce(Self::merge)
    }

    /// Reads a status as Meta spells it in webhooks (`sent`, `delivered`, `read`, `failed`,
    /// in any letter case).
    ///
    /// Returns `None` for anything else, including statuses Meta may add later (the On-Premises
    /// API knew `deleted` and `warning`): the caller keeps the raw value and decides.
    pub fn parse(status: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|known| known.as_str().eq_ignore_ascii_case(status))
    }

    /// The lowercase name used by Meta and in the JSON contract.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Delivered => "delivered",
            Self::Read => "read",
        }
    }
}

impl fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
