use serde::{Deserialize, Serialize};

/// Where Meta delivers a phone number's webhooks (`webhook_configuration`): the override
/// set on the number, on its WhatsApp Business Account, and the app's own callback URL.
///
/// Meta uses the first that is set, in that order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookConfiguration {
    /// The callback URL set on the phone number itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The callback URL set on the WhatsApp Business Account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp_business_account: Option<String>,
    /// The app's callback URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
}

impl WebhookConfiguration {
    /// The URL Meta sends this number's webhooks to: the number's override, else the
    /// account's, else the app's.
    pub fn effective_url(&self) -> Option<&str> {
        self.phone_number
            .as_deref()
            .or(self.whatsapp_business_account.as_deref())
            .or(self.application.as_deref())
    }
}
