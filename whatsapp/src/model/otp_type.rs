string_enum! {
    /// How an authentication template's `OTP` button delivers the code (`otp_type`).
    pub enum OtpType {
        /// The user copies the code.
        CopyCode = "COPY_CODE",
        /// The user taps to fill the code into the business's Android app.
        OneTap = "ONE_TAP",
        /// The code reaches the business's Android app without a tap.
        ZeroTap = "ZERO_TAP",
    }
}
