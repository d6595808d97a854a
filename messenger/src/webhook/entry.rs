use serde::Deserialize;
use serde_json::Value;

use super::lenient::null_as_default;
use super::{Messaging, Timestamp};
use crate::PageId;

/// One `entry[]` of a webhook: the events of one Facebook Page.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Entry {
    /// The page.
    pub id: PageId,
    /// When Meta sent the entry, in Unix milliseconds; `None` when it is neither a number nor
    /// a string.
    #[serde(default, deserialize_with = "super::timestamp::lenient")]
    pub time: Option<Timestamp>,
    /// Events for this app as the thread owner (or with no handover in use), in the order Meta
    /// sent them.
    #[serde(default, deserialize_with = "null_as_default")]
    pub messaging: Vec<Messaging>,
    /// Events of threads another app owns (handover protocol or conversation routing), in the
    /// order Meta sent them. They have the same shape as [`Entry::messaging`].
    #[serde(default, deserialize_with = "null_as_default")]
    pub standby: Vec<Messaging>,
    /// Page `changes[]` (such as `feed`) that the page object also delivers; not messaging,
    /// kept exactly as sent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub changes: Vec<Value>,
}
