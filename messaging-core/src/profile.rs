use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{PlatformKind, UserId};

/// What a platform can tell about a person, from Messenger's or Instagram's User Profile API.
///
/// The common fields are typed; anything else the platform returns and the app is allowed to
/// read (Instagram `follower_count`, `is_verified_user`, `is_user_follow_business`; Messenger
/// `first_name`, `last_name`, `locale`, …) is kept in [`UserProfile::extra`] under Meta's
/// name. Meta only answers for people who messaged the business first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserProfile {
    /// The platform of the profile.
    pub platform: PlatformKind,
    /// The person's PSID, IGSID or WhatsApp user id.
    pub id: UserId,
    /// The display name; `None` when not set or not shared.
    pub name: Option<String>,
    /// The Instagram username.
    pub username: Option<String>,
    /// A URL of the profile picture. Meta's URLs expire after a few days: download the
    /// picture rather than storing the URL.
    pub profile_pic: Option<String>,
    /// Other fields, as Meta named and typed them.
    pub extra: Map<String, Value>,
}

impl UserProfile {
    /// A profile with nothing but the id.
    pub fn new(platform: PlatformKind, id: impl Into<UserId>) -> Self {
        Self {
            platform,
            id: id.into(),
            name: None,
            username: None,
            profile_pic: None,
            extra: Map::new(),
        }
    }

    /// Sets the display name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the username.
    pub fn with_username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Sets the profile picture URL.
    pub fn with_profile_pic(mut self, profile_pic: impl Into<String>) -> Self {
        self.profile_pic = Some(profile_pic.into());
        self
    }

    /// Adds a platform-specific field under Meta's name.
    pub fn with_extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}
