string_enum! {
    /// Meta's text description of a [`Reaction`](super::Reaction)'s emoji.
    pub enum ReactionKind {
        /// A smiling face.
        Smile = "smile",
        /// An angry face.
        Angry = "angry",
        /// A sad face.
        Sad = "sad",
        /// A surprised face.
        Wow = "wow",
        /// A heart.
        Love = "love",
        /// A thumbs up.
        Like = "like",
        /// A thumbs down.
        Dislike = "dislike",
        /// An emoji that matches none of the others.
        Other = "other",
    }
}
