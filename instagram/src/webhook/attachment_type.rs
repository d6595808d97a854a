string_enum! {
    /// The `type` of a message [`Attachment`](super::Attachment).
    pub enum AttachmentType {
        /// A picture; stickers arrive as images too.
        Image = "image",
        /// A video.
        Video = "video",
        /// An audio clip or voice message.
        Audio = "audio",
        /// A file.
        File = "file",
        /// A shared post or media; until February 2026 also sent beside [`IgPost`] for a
        /// shared post.
        ///
        /// [`IgPost`]: AttachmentType::IgPost
        Share = "share",
        /// A story of the person's that mentions the business; the payload's URL is the story's
        /// CDN URL, valid while the story lives.
        StoryMention = "story_mention",
        /// A shared Instagram reel.
        IgReel = "ig_reel",
        /// A shared reel.
        Reel = "reel",
        /// A shared Instagram post, with the post's media id and caption in the payload (from
        /// November 2025).
        IgPost = "ig_post",
        /// Disappearing media (view once, allow replay): no URL is included.
        Ephemeral = "ephemeral",
    }
}
