string_enum! {
    /// The `type` of a [`TemplateButton`](super::TemplateButton).
    pub enum ButtonType {
        /// Sends a predefined reply back to the business.
        QuickReply = "QUICK_REPLY",
        /// Opens a URL (at most two per template).
        Url = "URL",
        /// Calls a phone number (at most one per template).
        PhoneNumber = "PHONE_NUMBER",
        /// Copies a coupon code (at most one per template).
        CopyCode = "COPY_CODE",
        /// Delivers a one-time password (authentication templates).
        Otp = "OTP",
        /// Opens a WhatsApp Flow.
        Flow = "FLOW",
        /// Opens the business's catalog.
        Catalog = "CATALOG",
        /// Shows several products (multi-product message).
        Mpm = "MPM",
        /// Shows one product (single-product message).
        Spm = "SPM",
        /// Starts a WhatsApp voice call to the business.
        VoiceCall = "VOICE_CALL",
        /// Opens an app.
        App = "APP",
    }
}
