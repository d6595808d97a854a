messaging_core::define_id! {
    /// The id of a message template (Meta also calls it the `hsm_id`).
    ///
    /// Templates with the same name in different languages have different ids.
    pub struct TemplateId;
}
