use serde::{Deserialize, Serialize};

use super::BusinessProfile;

/// The body of `GET /{phone-number-id}/whatsapp_business_profile`: Meta wraps the one
/// profile in a `data` list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessProfileResponse {
    /// The profiles; one for a phone number.
    #[serde(default)]
    pub data: Vec<BusinessProfile>,
}

impl BusinessProfileResponse {
    /// The profile, when Meta returned one.
    pub fn profile(&self) -> Option<&BusinessProfile> {
        self.data.first()
    }

    /// Takes the profile out, when Meta returned one.
    pub fn into_profile(self) -> Option<BusinessProfile> {
        self.data.into_iter().next()
    }
}
