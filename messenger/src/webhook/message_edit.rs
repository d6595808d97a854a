use serde::Deserialize;

use crate::Mid;

/// A person edited a message they sent (`message_edit`, webhook field `message_edits`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MessageEdit {
    /// The edited message.
    #[serde(default)]
    pub mid: Option<Mid>,
    /// The message's new text.
    #[serde(default)]
    pub text: Option<String>,
    /// How many times the message has been edited (at most five, Meta says); `None` when Meta
    /// sends no integer.
    #[serde(default, deserialize_with = "super::lenient::opt_count")]
    pub num_edit: Option<u64>,
}
