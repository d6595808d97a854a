string_enum! {
    /// The `type` of a message [`Attachment`](super::Attachment).
    pub enum AttachmentType {
        /// A picture (also, until Meta's sticker transition ends, a sticker with a
        /// `sticker_id` in its payload).
        Image = "image",
        /// A video.
        Video = "video",
        /// An audio clip or voice message.
        Audio = "audio",
        /// A file.
        File = "file",
        /// A sticker, with `sticker_id` in its payload.
        Sticker = "sticker",
        /// A shared location, with `coordinates` in its payload.
        Location = "location",
        /// A structured template (in echoes of the page's own template messages).
        Template = "template",
        /// Content Meta could not render otherwise, such as a shared link; `title` and `url`
        /// sit on the attachment itself, and the payload may be absent.
        Fallback = "fallback",
        /// A shared Facebook reel.
        Reel = "reel",
        /// A shared Instagram reel.
        IgReel = "ig_reel",
        /// A shared Facebook post.
        Post = "post",
        /// A shared Instagram post.
        IgPost = "ig_post",
        /// A shared item.
        Share = "share",
        /// An appointment booking.
        AppointmentBooking = "appointment_booking",
    }
}
