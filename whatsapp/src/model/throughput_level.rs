string_enum! {
    /// A phone number's message throughput level.
    pub enum ThroughputLevel {
        /// The default, 80 messages per second.
        Standard = "STANDARD",
        /// Upgraded throughput, up to 1,000 messages per second.
        High = "HIGH",
        /// Throughput does not apply (the number is not on the Cloud API).
        NotApplicable = "NOT_APPLICABLE",
    }
}
