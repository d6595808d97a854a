use serde::Deserialize;

use crate::Mid;

/// A person saw a message (`read`, webhook field `messaging_seen`).
///
/// Unlike Messenger's watermark, Instagram names the message that was seen.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Read {
    /// The message that was seen.
    #[serde(default)]
    pub mid: Option<Mid>,
}
