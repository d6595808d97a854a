use serde::Deserialize;

use crate::Mid;

/// The message a message replies to (`message.reply_to`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ReplyTo {
    /// The replied-to message.
    #[serde(default)]
    pub mid: Option<Mid>,
}
