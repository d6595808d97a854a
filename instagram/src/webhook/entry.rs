use serde::Deserialize;

use super::lenient::null_as_default;
use super::{Change, Messaging, Timestamp};
use crate::InstagramAccountId;

/// One `entry[]` of a webhook: the events of one Instagram professional account.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Entry {
    /// The business's Instagram account.
    pub id: InstagramAccountId,
    /// When Meta sent the entry, in Unix milliseconds; `None` when it is neither a number nor
    /// a string.
    #[serde(default, deserialize_with = "super::timestamp::lenient")]
    pub time: Option<Timestamp>,
    /// Messaging events for this app (as the thread owner, or with no handover in use), in the
    /// order Meta sent them.
    #[serde(default, deserialize_with = "null_as_default")]
    pub messaging: Vec<Messaging>,
    /// Messaging events of threads another app owns (handover protocol), in the order Meta
    /// sent them. They have the same shape as [`Entry::messaging`].
    #[serde(default, deserialize_with = "null_as_default")]
    pub standby: Vec<Messaging>,
    /// Updates of the account's other webhook fields (`comments`, `mentions`, …), kept
    /// exactly as sent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub changes: Vec<Change>,
}
