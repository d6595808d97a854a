use serde::Deserialize;

use super::Referral;
use crate::Mid;

/// A person tapped a postback button, the Get Started button or a persistent menu item
/// (`postback`, webhook field `messaging_postbacks`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Postback {
    /// The id of the message the tap created.
    #[serde(default)]
    pub mid: Option<Mid>,
    /// The button's title.
    #[serde(default)]
    pub title: Option<String>,
    /// The button's developer-defined payload; only sent to the app that sent the button, so
    /// absent in `standby` items.
    #[serde(default)]
    pub payload: Option<String>,
    /// How the person entered the conversation, for taps that start one (m.me link, ad, …).
    #[serde(default)]
    pub referral: Option<Referral>,
}
