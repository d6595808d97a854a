string_enum! {
    /// The `status` of a [`Status`](super::Status) update.
    ///
    /// WhatsApp reports `sent`, `delivered`, `read` and `failed` for every message; the
    /// others are rarer and new values appear over time, so match with a catch-all arm.
    pub enum MessageStatus {
        /// Accepted by WhatsApp and on its way to the user.
        Sent = "sent",
        /// Reached the user's device.
        Delivered = "delivered",
        /// Displayed to the user. `delivered` may be skipped when both happen at once.
        Read = "read",
        /// Could not be sent or delivered; [`Status::errors`](super::Status::errors) says why.
        Failed = "failed",
        /// A voice message was played.
        Played = "played",
        /// The message was deleted.
        Deleted = "deleted",
        /// A warning about the message, such as an item of a catalog message being unavailable.
        Warning = "warning",
    }
}
