string_enum! {
    /// A template's `category`, which decides what it may contain and how it is priced.
    ///
    /// Old templates may still report retired categories (such as `TRANSACTIONAL`); they are
    /// kept as [`Unknown`](Self::Unknown).
    pub enum TemplateCategory {
        /// One-time passwords and other identity checks.
        Authentication = "AUTHENTICATION",
        /// Promotions, offers, announcements: anything not utility or authentication.
        Marketing = "MARKETING",
        /// Updates about a transaction or request the user agreed to (orders, bills,
        /// appointments).
        Utility = "UTILITY",
    }
}
