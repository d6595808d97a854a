use serde::Deserialize;

use super::{ReactionAction, ReactionKind};
use crate::Mid;

/// A person reacted to one of the page's messages, or removed a reaction (`reaction`, webhook
/// field `message_reactions`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Reaction {
    /// Meta's description of the emoji, such as `love`.
    #[serde(default)]
    pub reaction: Option<ReactionKind>,
    /// The emoji itself.
    #[serde(default)]
    pub emoji: Option<String>,
    /// Added or removed.
    #[serde(default)]
    pub action: Option<ReactionAction>,
    /// The message reacted to.
    #[serde(default)]
    pub mid: Option<Mid>,
}

impl Reaction {
    /// The person removed their reaction.
    pub fn is_removed(&self) -> bool {
        self.action == Some(ReactionAction::Unreact)
    }
}
