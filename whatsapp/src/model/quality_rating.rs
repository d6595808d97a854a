string_enum! {
    /// A quality rating, as Meta reports it for a business phone number (`quality_rating`)
    /// and for a template (`quality_score.score`).
    ///
    /// It reflects recent user feedback such as blocks and reports; a low rating can lower
    /// messaging limits or pause templates.
    pub enum QualityRating {
        /// High quality.
        Green = "GREEN",
        /// Medium quality.
        Yellow = "YELLOW",
        /// Low quality.
        Red = "RED",
        /// Not rated yet (templates, and phone numbers in some responses).
        Unrated = "UNKNOWN",
        /// Not rated yet (phone numbers).
        NotApplicable = "NA",
    }
}
