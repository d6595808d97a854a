use serde::{Deserialize, Serialize};

use super::SubscribedApp;

/// The body of `GET /{waba-id}/subscribed_apps`: the apps that receive the account's
/// webhooks.
///
/// An app that is not listed receives no webhooks for the account, whatever its dashboard
/// says; check with [`contains_app`](Self::contains_app) and subscribe again
/// (`POST /{waba-id}/subscribed_apps`) when it is missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscribedApps {
    /// The subscribed apps.
    #[serde(default)]
    pub data: Vec<SubscribedApp>,
}

impl SubscribedApps {
    /// Whether the app `app_id` is subscribed.
    pub fn contains_app(&self, app_id: &str) -> bool {
        self.find(app_id).is_some()
    }

    /// The subscription of the app `app_id`, to read its callback override.
    pub fn find(&self, app_id: &str) -> Option<&SubscribedApp> {
        self.data.iter().find(|app| app.app_id() == Some(app_id))
    }
}
