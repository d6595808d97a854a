use serde::Deserialize;

use crate::PhoneNumberId;

/// Which business phone number a `messages` or `smb_message_echoes` change is about.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Metadata {
    /// The business number as users see it, such as `15550783881`.
    #[serde(default)]
    pub display_phone_number: Option<String>,
    /// The id to send replies from.
    pub phone_number_id: PhoneNumberId,
}
