use serde::{Deserialize, Serialize};

/// Which way a [`Message`](crate::Message) went, seen from the business account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From a person to the business.
    Inbound,
    /// From the business to a person (sent by this app, another app, or a human in Meta's
    /// inbox).
    Outbound,
}
