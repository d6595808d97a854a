//! Ids of the Messenger Platform, as distinct types so one cannot be passed where another is
//! expected.

messaging_core::define_id! {
    /// A page-scoped user id (PSID): the id of a person as one Facebook Page sees them.
    ///
    /// The same person has a different PSID on every Page, so it is only meaningful together
    /// with the [`PageId`](crate::PageId) it belongs to.
    pub struct Psid;

    /// A Messenger message id (`mid`), given to messages in both directions.
    ///
    /// Stable across webhook retries, so it is the natural key for de-duplication.
    pub struct Mid;

    /// The id of an uploaded or received attachment (`attachment_id`), which the Send API
    /// accepts in place of a URL.
    pub struct AttachmentId;
}

messaging_core::define_id! {
    /// The id of a persona (`persona_id`): a name and picture a Page sends as, for a human
    /// agent.
    pub struct PersonaId;

    /// The id of a Page's conversation with a person (`t_…`), as the Conversations API
    /// lists it.
    pub struct ConversationId;
}
