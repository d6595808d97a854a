use serde::Deserialize;

use crate::Mid;

/// A person tapped an icebreaker or a generic template button (`postback`, webhook field
/// `messaging_postbacks`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Postback {
    /// The id of the message the tap created (Graph API v11.0 and later).
    #[serde(default)]
    pub mid: Option<Mid>,
    /// The icebreaker's or button's title.
    #[serde(default)]
    pub title: Option<String>,
    /// The developer-defined payload of the option chosen.
    #[serde(default)]
    pub payload: Option<String>,
}
