use serde::{Deserialize, Serialize};

use super::{
    AccountMode, CodeVerificationStatus, MessagingLimitTier, NameStatus, PhoneNumberStatus,
    PlatformType, QualityRating, Throughput, WebhookConfiguration,
};
use crate::PhoneNumberId;

/// A business phone number, as `GET /{waba-id}/phone_numbers` lists it and
/// `GET /{phone-number-id}` returns it.
///
/// The Graph API returns only the fields asked for, and by default only a few, so
/// everything but the id is optional; request [`DEFAULT_FIELDS`](Self::DEFAULT_FIELDS) to
/// fill in all of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessPhoneNumber {
    /// The phone number id, used to send messages.
    pub id: PhoneNumberId,
    /// The number as displayed, such as `+1 631-555-5555`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_phone_number: Option<String>,
    /// The approved display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_name: Option<String>,
    /// Whether the number passed code verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_verification_status: Option<CodeVerificationStatus>,
    /// The quality rating from recent user feedback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_rating: Option<QualityRating>,
    /// The API that serves the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_type: Option<PlatformType>,
    /// The throughput level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<Throughput>,
    /// The review status of the display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_status: Option<NameStatus>,
    /// The review status of a requested new display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_name_status: Option<NameStatus>,
    /// How many users the business may start conversations with per 24 hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_limit_tier: Option<MessagingLimitTier>,
    /// Whether the number has Official Business Account status (a blue check mark).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_official_business_account: Option<bool>,
    /// Whether two-step verification (a PIN) is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_pin_enabled: Option<bool>,
    /// When the number finished onboarding, as the Graph API writes times
    /// (`2023-08-22T19:05:41+0000`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_onboarded_time: Option<String>,
    /// Where the number's webhooks go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_configuration: Option<WebhookConfiguration>,
    /// The connection status; only `CONNECTED` numbers can message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PhoneNumberStatus>,
    /// Test or production number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_mode: Option<AccountMode>,
}

impl BusinessPhoneNumber {
    /// The `fields` to request so that every field of this type is filled in.
    pub const DEFAULT_FIELDS: &'static str = "id,display_phone_number,verified_name,\
        code_verification_status,quality_rating,platform_type,throughput,name_status,\
        new_name_status,messaging_limit_tier,is_official_business_account,is_pin_enabled,\
        last_onboarded_time,webhook_configuration,status,account_mode";

    /// Whether the number can send and receive messages through the API.
    pub fn is_connected(&self) -> bool {
        self.status == Some(PhoneNumberStatus::Connected)
    }
}
