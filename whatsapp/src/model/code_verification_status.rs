string_enum! {
    /// Whether a business phone number has been verified with a code sent by SMS or voice
    /// call (`code_verification_status`).
    pub enum CodeVerificationStatus {
        /// Verified.
        Verified = "VERIFIED",
        /// Not verified yet.
        NotVerified = "NOT_VERIFIED",
        /// The verification has expired and must be repeated.
        Expired = "EXPIRED",
    }
}
