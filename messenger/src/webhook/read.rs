use serde::Deserialize;

use super::Timestamp;

/// A person read the page's messages (`read`, webhook field `message_reads`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Read {
    /// Every message the page sent at or before this time (Unix milliseconds) has been read.
    #[serde(default)]
    pub watermark: Option<Timestamp>,
}
