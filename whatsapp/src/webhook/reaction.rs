use serde::Deserialize;

use crate::Wamid;

/// A reaction added to or removed from a message (`type: reaction`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Reaction {
    /// The message reacted to.
    pub message_id: Wamid,
    /// The emoji; absent or empty when the user removed their reaction.
    #[serde(default)]
    pub emoji: Option<String>,
}

impl Reaction {
    /// The user removed their reaction.
    pub fn is_removed(&self) -> bool {
        self.emoji.as_deref().is_none_or(str::is_empty)
    }
}
