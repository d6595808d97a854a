use serde::{Deserialize, Serialize};

use super::Vertical;

/// A phone number's business profile, as `GET /{phone-number-id}/whatsapp_business_profile`
/// returns it inside [`BusinessProfileResponse`](super::BusinessProfileResponse).
///
/// Users see it when they tap the business's name in a chat. Only the fields asked for are
/// returned; [`FIELDS`](Self::FIELDS) asks for all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessProfile {
    /// The "About" text, under the profile picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// The business's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The business's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The contact email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The URL of the profile picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_picture_url: Option<String>,
    /// The business's websites (at most two).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub websites: Vec<String>,
    /// The industry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vertical: Option<Vertical>,
    /// Always `whatsapp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
}

impl BusinessProfile {
    /// The `fields` to request so that every field of this type is filled in.
    pub const FIELDS: &'static str =
        "about,address,description,email,profile_picture_url,websites,vertical";
}
