//! Instagram user profiles, as the account may see them.

use meta_graph::ErrorClass;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::InstagramClient;
use crate::{Error, ErrorKind, Igsid};

/// A profile field to ask for (`GET /{igsid}?fields=…`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserProfileField {
    /// `name`.
    Name,
    /// `username`.
    Username,
    /// `profile_pic`: a URL that expires.
    ProfilePic,
    /// `follower_count`.
    FollowerCount,
    /// `is_user_follow_business`.
    IsUserFollowBusiness,
    /// `is_business_follow_user`.
    IsBusinessFollowUser,
    /// `is_verified_user`.
    IsVerifiedUser,
    /// Another field, by Meta's name.
    Other(String),
}

impl UserProfileField {
    /// Every field this type names.
    pub const ALL: [Self; 7] = [
        Self::Name,
        Self::Username,
        Self::ProfilePic,
        Self::FollowerCount,
        Self::IsUserFollowBusiness,
        Self::IsBusinessFollowUser,
        Self::IsVerifiedUser,
    ];

    /// The field as Meta spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Name => "name",
            Self::Username => "username",
            Self::ProfilePic => "profile_pic",
            Self::FollowerCount => "follower_count",
            Self::IsUserFollowBusiness => "is_user_follow_business",
            Self::IsBusinessFollowUser => "is_business_follow_user",
            Self::IsVerifiedUser => "is_verified_user",
            Self::Other(name) => name,
        }
    }
}

/// What Instagram shares about a person who messaged the account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserProfile {
    /// The IGSID.
    #[serde(default)]
    pub id: Option<Igsid>,
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `username`.
    #[serde(default)]
    pub username: Option<String>,
    /// `profile_pic`.
    #[serde(default)]
    pub profile_pic: Option<String>,
    /// `follower_count`.
    #[serde(default)]
    pub follower_count: Option<u64>,
    /// `is_user_follow_business`.
    #[serde(default)]
    pub is_user_follow_business: Option<bool>,
    /// `is_business_follow_user`.
    #[serde(default)]
    pub is_business_follow_user: Option<bool>,
    /// `is_verified_user`.
    #[serde(default)]
    pub is_verified_user: Option<bool>,
    /// Other fields asked for, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl InstagramClient {
    /// Fetches `fields` of a person's profile with `GET /{igsid}`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ProfileUnavailable`] when Meta will not share it (the person has not
    /// messaged the account, or the app lacks the permission); the Graph kinds otherwise.
    pub async fn user_profile(
        &self,
        igsid: &Igsid,
        fields: &[UserProfileField],
    ) -> Result<UserProfile, Error> {
        let fields: Vec<&str> = fields.iter().map(UserProfileField::as_str).collect();
        self.graph
            .get(igsid.as_str())
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
