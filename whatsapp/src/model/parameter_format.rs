string_enum! {
    /// How a template's text marks its parameters (`parameter_format`).
    ///
    /// Meta assumes [`Positional`](Self::Positional) when a template does not say.
    pub enum ParameterFormat {
        /// Numbered placeholders starting at 1: `{{1}}`, `{{2}}`.
        Positional = "POSITIONAL",
        /// Named placeholders of lowercase letters, digits and underscores: `{{first_name}}`.
        Named = "NAMED",
    }
}
