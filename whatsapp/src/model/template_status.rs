string_enum! {
    /// A template's review and usage `status`.
    ///
    /// Only [`Approved`](Self::Approved) templates can be sent. Meta adds statuses over time,
    /// so match with a catch-all arm.
    pub enum TemplateStatus {
        /// Approved: the template can be sent.
        Approved = "APPROVED",
        /// Under review (which can take up to 24 hours).
        Pending = "PENDING",
        /// Rejected in review; see `rejected_reason`. It can be edited or appealed.
        Rejected = "REJECTED",
        /// The business appealed a rejection.
        InAppeal = "IN_APPEAL",
        /// Paused after negative feedback or low read rates; it cannot be sent meanwhile.
        Paused = "PAUSED",
        /// Disabled after repeated negative feedback; it cannot be sent.
        Disabled = "DISABLED",
        /// Deleted in WhatsApp Manager and about to disappear.
        PendingDeletion = "PENDING_DELETION",
        /// Deleted.
        Deleted = "DELETED",
        /// The account has reached its template limit.
        LimitExceeded = "LIMIT_EXCEEDED",
        /// Archived after a long time without use.
        Archived = "ARCHIVED",
    }
}
