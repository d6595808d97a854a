//! Ids Meta assigns, as distinct types so one cannot be passed where another is expected.

messaging_core::define_id! {
    /// The id of a business phone number registered with the Cloud API (`phone_number_id`).
    ///
    /// Messages are sent from it, and webhooks name it in `metadata.phone_number_id`.
    pub struct PhoneNumberId;
}

messaging_core::define_id! {
    /// A WhatsApp message id (`wamid.…`), of a message sent by a user or by the business.
    ///
    /// Stable across webhook retries, so it is the natural key for de-duplication.
    pub struct Wamid;
}

messaging_core::define_id! {
    /// A WhatsApp user id (`wa_id`), today usually the user's phone number without `+`.
    ///
    /// Users who adopt a username may be reported without one: see [`Bsuid`].
    pub struct WaId;
}

messaging_core::define_id! {
    /// A business-scoped user id (BSUID, `user_id`): a user's stable id within one business
    /// portfolio, such as `US.13491208655302741918`.
    ///
    /// Meta sends it from 2026 alongside, or for users with a username instead of, the [`WaId`].
    pub struct Bsuid;
}

messaging_core::define_id! {
    /// The id of a WhatsApp Business Account (WABA), the `entry[].id` of a webhook.
    pub struct WabaId;
}

messaging_core::define_id! {
    /// The id of a media asset (image, audio, video, document, sticker).
    ///
    /// Ids received in webhooks can be downloaded for a limited time only.
    pub struct MediaId;
}
