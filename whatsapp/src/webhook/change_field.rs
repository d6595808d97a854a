string_enum! {
    /// The webhook field a [`Change`](super::Change) belongs to: what the app subscribed to.
    ///
    /// The messages, echoes, template status, quality and category updates and account
    /// updates have a typed value; the others keep their JSON in
    /// [`ChangeValue::Other`](super::ChangeValue::Other).
    pub enum ChangeField {
        /// Incoming messages and status updates of sent messages.
        Messages = "messages",
        /// Messages the business sent from the WhatsApp Business app.
        SmbMessageEchoes = "smb_message_echoes",
        /// Contacts and chats synced from the WhatsApp Business app.
        SmbAppStateSync = "smb_app_state_sync",
        /// Chat history shared by a WhatsApp Business app user at onboarding.
        History = "history",
        /// Messaging limit, business profile and Official Business Account alerts.
        AccountAlerts = "account_alerts",
        /// The outcome of a WhatsApp Business Account review.
        AccountReviewUpdate = "account_review_update",
        /// Changes to the WhatsApp Business Account: policy violations, restrictions, bans.
        AccountUpdate = "account_update",
        /// Changes to the account's capabilities, such as its messaging limit.
        BusinessCapabilityUpdate = "business_capability_update",
        /// Calling API events.
        Calls = "calls",
        /// WhatsApp Flows status and health changes.
        Flows = "flows",
        /// A template's status changed (approved, rejected, paused, ...).
        MessageTemplateStatusUpdate = "message_template_status_update",
        /// A template's quality score changed.
        MessageTemplateQualityUpdate = "message_template_quality_update",
        /// A template's components were edited.
        MessageTemplateComponentsUpdate = "message_template_components_update",
        /// A template's category changed.
        TemplateCategoryUpdate = "template_category_update",
        /// A decision on a phone number's display name.
        PhoneNumberNameUpdate = "phone_number_name_update",
        /// A phone number's quality rating or messaging limit changed.
        PhoneNumberQualityUpdate = "phone_number_quality_update",
        /// Security changes to a phone number, such as a two-step verification PIN reset.
        Security = "security",
        /// A user stopped or resumed marketing messages.
        UserPreferences = "user_preferences",
        /// Partner-led solution changes.
        PartnerSolutions = "partner_solutions",
        /// Payment configuration changes.
        PaymentConfigurationUpdate = "payment_configuration_update",
        /// Automatically detected events, such as purchases.
        AutomaticEvents = "automatic_events",
    }
}
