string_enum! {
    /// Meta's text description of a [`Reaction`](super::Reaction)'s emoji (Graph API v12.0
    /// and later).
    pub enum ReactionKind {
        /// A heart.
        Love = "love",
        /// A thumbs up.
        Like = "like",
        /// A laughing face.
        Laugh = "laugh",
        /// A surprised face.
        Wow = "wow",
        /// A sad face.
        Sad = "sad",
        /// An angry face.
        Angry = "angry",
        /// An emoji that matches none of the others.
        Other = "other",
    }
}
