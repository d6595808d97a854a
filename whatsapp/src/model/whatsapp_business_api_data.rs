use serde::{Deserialize, Serialize};

use super::lenient;

/// The app a [`SubscribedApp`](super::SubscribedApp) entry names
/// (`whatsapp_business_api_data`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WhatsAppBusinessApiData {
    /// The app id. Kept as a string whether Meta sends a string or a number.
    #[serde(
        default,
        deserialize_with = "lenient::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// The app's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A link to the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}
