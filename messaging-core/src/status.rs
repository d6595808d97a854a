use serde::{Deserialize, Serialize};

/// How far an outbound message got.
///
/// Meta delivers status updates at least once and in any order (WhatsApp has been seen to send
/// `delivered` after `failed`, and skips `delivered` when a message is read at once). Use
/// [`DeliveryStatus::merge`] to fold them: the result does not depend on arrival order or
/// duplicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
