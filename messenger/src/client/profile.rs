//! The User Profile API.

use meta_graph::ErrorClass;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::MessengerClient;
use crate::{Error, ErrorKind, Psid};

/// A profile field to ask for. `first_name`, `last_name` and `profile_pic` need only the
/// person's consent (given by starting the conversation); the others also need the app to be
/// approved for them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserProfileField {
    /// `first_name`.
    FirstName,
    /// `last_name`.
    LastName,
    /// `name`.
    Name,
    /// `profile_pic`: a URL that expires after a few days.
    ProfilePic,
    /// `locale`, such as `en_US` (needs approval).
    Locale,
    /// `timezone`, as an offset from UTC in hours (needs approval).
    Timezone,
    /// `gender` (needs approval).
    Gender,
    /// Another field, by Meta's name.
    Other(String),
}

impl UserProfileField {
    /// The fields that need no extra approval.
    pub const DEFAULT: [Self; 3] = [Self::FirstName, Self::LastName, Self::ProfilePic];

    /// The field as Meta spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Name => "name",
            Self::ProfilePic => "profile_pic",
            Self::Locale => "locale",
            Self::Timezone => "timezone",
            Self::Gender => "gender",
            Self::Other(name) => name,
        }
    }
}

/// What the User Profile API shares about a person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserProfile {
    /// The PSID.
    pub id: Psid,
    /// `first_name`.
    #[serde(default)]
    pub first_name: Option<String>,
    /// `last_name`.
    #[serde(default)]
    pub last_name: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `profile_pic`.
    #[serde(default)]
    pub profile_pic: Option<String>,
    /// `locale`.
    #[serde(default)]
    pub locale: Option<String>,
    /// `timezone`, hours from UTC (may be fractional).
    #[serde(default)]
    pub timezone: Option<f64>,
    /// `gender`.
    #[serde(default)]
    pub gender: Option<String>,
    /// Other fields asked for, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UserProfile {
    /// `name`, or the first and last names joined, when Meta shared any.
    pub fn display_name(&self) -> Option<String> {
        if let Some(name) = &self.name {
            return Some(name.clone());
        }
        match (&self.first_name, &self.last_name) {
            (Some(first), Some(last)) => Some(format!("{first} {last}")),
            (Some(one), None) | (None, Some(one)) => Some(one.clone()),
            (None, None) => None,
        }
    }
}

impl MessengerClient {
    /// Fetches `fields` of a person's profile with `GET /{psid}` (use
    /// [`UserProfileField::DEFAULT`] for the ones that need no approval).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ProfileUnavailable`] when Meta will not share the profile: the person has
    /// not consented (for example they came through a plugin and never wrote), or the app
    /// lacks a field's approval (Meta answers with an invalid-parameter or permission error);
    /// the Graph kinds of [`send`](Self::send) otherwise.
    pub async fn user_profile(
        &self,
        psid: &Psid,
        fields: &[UserProfileField],
    ) -> Result<UserProfile, Error> {
        let fields: Vec<&str> = fields.iter().map(UserProfileField::as_str).collect();
        self.graph
            .get(psid.as_str())
            .token(&self.token)
            .throttle(&self.throttle)
            .fields(fields)
            .send()
            .await
            .map_err(|error| {
                let unavailable = error
                    .api_error()
                    .is_some_and(|api| api.code() == 100 || api.class() == ErrorClass::Permission);
                if unavailable {
                    Error::with_source(ErrorKind::ProfileUnavailable, error)
                } else {
                    Error::graph_failure(error)
                }
            })
    }
}
