use serde::Deserialize;

use super::Timestamp;

/// A person opted in to marketing messages or tapped a Send to Messenger plugin (`optin`,
/// webhook field `messaging_optins`).
///
/// Every field is as Meta sent it; the values documented for the string fields are noted, but
/// they are not closed sets.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Optin {
    /// The kind of opt-in, such as `notification_messages`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The plugin's `data-ref`, for Send to Messenger opt-ins.
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    /// The checkbox plugin's reference for a person who has no PSID yet.
    #[serde(default)]
    pub user_ref: Option<String>,
    /// The developer's additional information.
    #[serde(default)]
    pub payload: Option<String>,
    /// The title shown in the opt-in template.
    #[serde(default)]
    pub title: Option<String>,
    /// The token to send marketing messages to this person with.
    #[serde(default)]
    pub notification_messages_token: Option<String>,
    /// How often the person agreed to hear from the page, such as `DAILY`, `WEEKLY` or
    /// `MONTHLY`.
    #[serde(default)]
    pub notification_messages_frequency: Option<String>,
    /// The person's timezone.
    #[serde(default)]
    pub notification_messages_timezone: Option<String>,
    /// When the token expires.
    #[serde(default)]
    pub token_expiry_timestamp: Option<Timestamp>,
    /// Whether the token is new or refreshed.
    #[serde(default)]
    pub user_token_status: Option<String>,
    /// Present when the person stopped or resumed notifications, such as `STOP NOTIFICATIONS`.
    #[serde(default)]
    pub notification_messages_status: Option<String>,
}
