string_enum! {
    /// Why a template was rejected (`rejected_reason`); `NONE` when it was not.
    pub enum RejectedReason {
        /// Not rejected.
        NotRejected = "NONE",
        /// The content breaks Meta's policies.
        AbusiveContent = "ABUSIVE_CONTENT",
        /// The template's content does not match its category.
        IncorrectCategory = "INCORRECT_CATEGORY",
        /// The template is malformed (for example parameters without examples).
        InvalidFormat = "INVALID_FORMAT",
        /// Promotional content in a non-marketing template.
        Promotional = "PROMOTIONAL",
        /// The content looks like a scam.
        Scam = "SCAM",
        /// The content does not match the tag or category it was submitted with.
        TagContentMismatch = "TAG_CONTENT_MISMATCH",
    }
}
