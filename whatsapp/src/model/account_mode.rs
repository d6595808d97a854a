string_enum! {
    /// Whether a phone number is a test (`SANDBOX`) or production (`LIVE`) number
    /// (`account_mode`).
    pub enum AccountMode {
        /// A test number.
        Sandbox = "SANDBOX",
        /// A production number.
        Live = "LIVE",
    }
}
