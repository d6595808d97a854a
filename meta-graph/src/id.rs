//! String-id newtypes for what the Graph API returns, so a Page id cannot be passed where a
//! user id is expected. They are made with [`messaging_core::define_id!`], the one id macro of
//! this crate family, which platform crates use for their own ids too.

messaging_core::define_id! {
    /// The id of a Facebook Page (`/me/accounts` returns these).
    pub struct PageId;
}

messaging_core::define_id! {
    /// The id of a Facebook user as your app sees it (app-scoped).
    pub struct UserId;
}

messaging_core::define_id! {
    /// The id of a Meta app, shown in the App Dashboard; the OAuth
    /// `client_id`.
    pub struct AppId;
}

messaging_core::define_id! {
    /// The id of an Instagram professional account linked to a Page
    /// (`instagram_business_account`).
    pub struct InstagramBusinessAccountId;
}
