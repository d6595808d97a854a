string_enum! {
    /// The review status of a phone number's display name (`name_status`, `new_name_status`).
    pub enum NameStatus {
        /// Approved; the certificate can be downloaded.
        Approved = "APPROVED",
        /// Usable without review.
        AvailableWithoutReview = "AVAILABLE_WITHOUT_REVIEW",
        /// Rejected.
        Declined = "DECLINED",
        /// The certificate has expired.
        Expired = "EXPIRED",
        /// Under review.
        PendingReview = "PENDING_REVIEW",
        /// No certificate or request exists.
        NoCertificate = "NONE",
    }
}
