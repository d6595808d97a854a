use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use crate::id::{AppId, InstagramBusinessAccountId, PageId, UserId};
use crate::secret::AccessToken;
use crate::timestamp::{lenient_i64, unix_seconds};

/// A token returned by `/oauth/access_token`.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct AccessTokenResponse {
    /// The new token.
    pub access_token: AccessToken,
    /// Usually `bearer`.
    #[serde(default)]
    pub token_type: Option<String>,
    /// How long the token lives (about 60 days for long-lived user
    /// tokens); absent for tokens that do not expire on a timer.
    #[serde(default, deserialize_with = "seconds_opt")]
    pub expires_in: Option<Duration>,
}

fn seconds_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    #[derive(Deserialize)]
    struct Seconds(#[serde(deserialize_with = "lenient_i64")] i64);
    Ok(Option::<Seconds>::deserialize(deserializer)?
        .and_then(|s| u64::try_from(s.0).ok())
        .map(Duration::from_secs))
}

/// A Page the user can act on, from `/me/accounts`.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct PageAccount {
    /// The Page id.
    pub id: PageId,
    /// The Page name.
    #[serde(default)]
    pub name: Option<String>,
    /// The Page access token, present when the user granted the needed
    /// permissions.
    #[serde(default)]
    pub access_token: Option<AccessToken>,
    /// The Page's main category, such as `Blogger`.
    #[serde(default)]
    pub category: Option<String>,
    /// What the user may do on the Page.
    #[serde(default)]
    pub tasks: Vec<PageTask>,
}

/// A task a user may perform on a Page.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
#[non_exhaustive]
pub enum PageTask {
    /// `ANALYZE`: view insights.
    Analyze,
    /// `ADVERTISE`: create ads.
    Advertise,
    /// `MESSAGING`: send and receive messages as the Page.
    Messaging,
    /// `MODERATE`: respond to and delete comments.
    Moderate,
    /// `CREATE_CONTENT`: publish as the Page.
    CreateContent,
    /// `MANAGE`: full control, including roles.
    Manage,
    /// A task this version does not know, as Meta spelled it.
    Unknown(String),
}

impl PageTask {
    /// Meta's spelling, such as `MESSAGING`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Analyze => "ANALYZE",
            Self::Advertise => "ADVERTISE",
            Self::Messaging => "MESSAGING",
            Self::Moderate => "MODERATE",
            Self::CreateContent => "CREATE_CONTENT",
            Self::Manage => "MANAGE",
            Self::Unknown(other) => other,
        }
    }
}

impl From<String> for PageTask {
    fn from(value: String) -> Self {
        match value.as_str() {
            "ANALYZE" => Self::Analyze,
            "ADVERTISE" => Self::Advertise,
            "MESSAGING" => Self::Messaging,
            "MODERATE" => Self::Moderate,
            "CREATE_CONTENT" => Self::CreateContent,
            "MANAGE" => Self::Manage,
            _ => Self::Unknown(value),
        }
    }
}

impl From<PageTask> for String {
    fn from(value: PageTask) -> Self {
        match value {
            PageTask::Unknown(other) => other,
            known => known.as_str().to_owned(),
        }
    }
}

/// The Instagram professional account linked to a Page.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct InstagramBusinessAccount {
    /// The account id, used as the Instagram messaging sender.
    pub id: InstagramBusinessAccountId,
    /// The account's username, when requested and available.
    #[serde(default)]
    pub username: Option<String>,
}

/// What `debug_token` says about a token.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TokenInfo {
    /// The app the token belongs to.
    #[serde(default)]
    pub app_id: Option<AppId>,
    /// The kind of token.
    #[serde(default, rename = "type")]
    pub token_type: Option<TokenType>,
    /// The app's name.
    #[serde(default)]
    pub application: Option<String>,
    /// Whether the token can be used now.
    #[serde(default)]
    pub is_valid: bool,
    /// When the token expires.
    #[serde(default)]
    pub expires_at: Option<Expiry>,
    /// When the app loses access to the user's data unless the user logs in
    /// again (about 90 days after the last login).
    #[serde(default)]
    pub data_access_expires_at: Option<Expiry>,
    /// When the token was issued.
    #[serde(default, with = "unix_seconds::option")]
    pub issued_at: Option<OffsetDateTime>,
    /// The permissions granted.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Permissions granted only for some objects (for example
    /// `pages_messaging` for some Pages).
    #[serde(default)]
    pub granular_scopes: Vec<GranularScope>,
    /// The user the token acts for.
    #[serde(default)]
    pub user_id: Option<UserId>,
    /// For Page tokens, the Page the token acts for.
    #[serde(default)]
    pub profile_id: Option<String>,
    /// Why the token is not valid, when it is not.
    #[serde(default)]
    pub error: Option<TokenInfoError>,
}

/// The kind of token `debug_token` reports.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
#[non_exhaustive]
pub enum TokenType {
    /// `USER`: acts for a person.
    User,
    /// `PAGE`: acts for a Page.
    Page,
    /// `APP`: acts for the app itself.
    App,
    /// A kind this version does not know, as Meta spelled it.
    Unknown(String),
}

impl From<String> for TokenType {
    fn from(value: String) -> Self {
        match value.as_str() {
            "USER" => Self::User,
            "PAGE" => Self::Page,
            "APP" => Self::App,
            _ => Self::Unknown(value),
        }
    }
}

impl From<TokenType> for String {
    fn from(value: TokenType) -> Self {
        match value {
            TokenType::User => "USER".to_owned(),
            TokenType::Page => "PAGE".to_owned(),
            TokenType::App => "APP".to_owned(),
            TokenType::Unknown(other) => other,
        }
    }
}

/// When something expires; Meta writes `0` for "never".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expiry {
    /// It does not expire on a timer (it can still be revoked).
    Never,
    /// It expires at this time.
    At(OffsetDateTime),
}

impl Expiry {
    /// Whether it has expired at `now`.
    pub fn is_expired_at(self, now: OffsetDateTime) -> bool {
        match self {
            Self::Never => false,
            Self::At(at) => at <= now,
        }
    }
}

impl<'de> Deserialize<'de> for Expiry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match lenient_i64(deserializer)? {
            0 => Ok(Self::Never),
            seconds => OffsetDateTime::from_unix_timestamp(seconds)
                .map(Self::At)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// A permission granted for some objects only.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GranularScope {
    /// The permission, such as `pages_messaging`.
    pub scope: String,
    /// The ids it applies to; absent when it applies to all.
    #[serde(default)]
    pub target_ids: Vec<String>,
}

/// Why `debug_token` considers a token invalid.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TokenInfoError {
    /// The error code, such as `190`.
    #[serde(default)]
    pub code: Option<i64>,
    /// Meta's description.
    #[serde(default)]
    pub message: Option<String>,
    /// The subcode, such as `463` (expired).
    #[serde(default)]
    pub subcode: Option<i64>,
}
