use serde::{Deserialize, Serialize};

use super::ThroughputLevel;

/// A phone number's `throughput`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Throughput {
    /// The throughput level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<ThroughputLevel>,
}
