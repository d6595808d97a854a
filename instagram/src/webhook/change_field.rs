string_enum! {
    /// The `field` of an entry's [`Change`](super::Change): which Instagram webhook field
    /// delivered it.
    pub enum ChangeField {
        /// A comment on the account's media.
        Comments = "comments",
        /// A comment on the account's live broadcast.
        LiveComments = "live_comments",
        /// The account was @mentioned in a comment or caption.
        Mentions = "mentions",
        /// A story's insights, when the story expires.
        StoryInsights = "story_insights",
    }
}
