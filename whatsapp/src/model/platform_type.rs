string_enum! {
    /// Which WhatsApp Business Platform API serves a phone number (`platform_type`).
    pub enum PlatformType {
        /// The Cloud API, hosted by Meta.
        CloudApi = "CLOUD_API",
        /// The retired On-Premises API.
        OnPremise = "ON_PREMISE",
        /// Not registered with either API (for example a number still in the WhatsApp
        /// Business app).
        NotApplicable = "NOT_APPLICABLE",
    }
}
