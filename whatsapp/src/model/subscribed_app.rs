use serde::{Deserialize, Serialize};

use super::WhatsAppBusinessApiData;

/// One app subscribed to a WhatsApp Business Account's webhooks, as listed by
/// `GET /{waba-id}/subscribed_apps`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscribedApp {
    /// The app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp_business_api_data: Option<WhatsAppBusinessApiData>,
    /// The callback URL that replaces the app's for this account, when one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_callback_uri: Option<String>,
}

impl SubscribedApp {
    /// The app id, when Meta sent one.
    pub fn app_id(&self) -> Option<&str> {
        self.whatsapp_business_api_data.as_ref()?.id.as_deref()
    }
}
