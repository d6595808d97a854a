use serde::Deserialize;

use super::{ReactionAction, ReactionKind};
use crate::Mid;

/// A person reacted to a message, or removed their reaction (`reaction`, webhook field
/// `message_reactions`). The business's own reactions are not echoed.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Reaction {
    /// The message reacted to.
    #[serde(default)]
    pub mid: Option<Mid>,
    /// Added or removed.
    #[serde(default)]
    pub action: Option<ReactionAction>,
    /// Meta's description of the emoji, such as `love`; absent on `unreact`.
    #[serde(default)]
    pub reaction: Option<ReactionKind>,
    /// The emoji itself; absent on `unreact`.
    #[serde(default)]
    pub emoji: Option<String>,
}

impl Reaction {
    /// The person removed their reaction.
    pub fn is_removed(&self) -> bool {
        self.action == Some(ReactionAction::Unreact)
    }
}
