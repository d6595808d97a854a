string_enum! {
    /// Whether a [`Reaction`](super::Reaction) was added or removed.
    pub enum ReactionAction {
        /// The person reacted.
        React = "react",
        /// The person removed their reaction.
        Unreact = "unreact",
    }
}
