use serde::Deserialize;

use super::Timestamp;
use crate::Mid;

/// The page's messages reached a person (`delivery`, webhook field `message_deliveries`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Delivery {
    /// The messages delivered, one by one; Meta leaves this out for older Messenger clients,
    /// and then only the watermark says what was delivered.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub mids: Vec<Mid>,
    /// Every message the page sent before this time (Unix milliseconds) has been delivered.
    #[serde(default)]
    pub watermark: Option<Timestamp>,
}
