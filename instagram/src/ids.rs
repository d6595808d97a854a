//! Ids of Instagram Messaging, as distinct types so one cannot be passed where another is
//! expected.

messaging_core::define_id! {
    /// An Instagram-scoped user id (IGSID): the id of a person as one Instagram professional
    /// account sees them.
    pub struct Igsid;

    /// The id of the business's Instagram professional account: the `entry[].id` of its
    /// webhooks and the sender of its messages.
    pub struct InstagramAccountId;

    /// An Instagram message id (`mid`), given to messages in both directions.
    ///
    /// Stable across webhook retries, so it is the natural key for de-duplication.
    pub struct Mid;
}
