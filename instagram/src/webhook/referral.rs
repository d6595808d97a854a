use serde::Deserialize;
use serde_json::Value;

use super::Product;
use super::lenient::opt_id;

/// How a person came to the conversation: an `ig.me` link with a `ref` parameter in an existing
/// conversation (the `referral` item, webhook field `messaging_referral`), or, inside a
/// [`Message`](super::Message), a click-to-Instagram-Direct ad or an Instagram Shops product.
///
/// The string fields are as Meta sent them; the documented values are noted, but they are not
/// closed sets.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Referral {
    /// The `ref` parameter of the `ig.me` link, or the ad's, when set.
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    /// Where the person came from, such as `ADS` or the `ig.me` link's source.
    #[serde(default)]
    pub source: Option<String>,
    /// The referral type, such as `OPEN_THREAD`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The ad, for referrals from ads (Meta's sample shows it unquoted).
    #[serde(default, deserialize_with = "opt_id")]
    pub ad_id: Option<String>,
    /// The ad's details (`ad_title`, `photo_url`, `video_url`, …), as sent.
    #[serde(default)]
    pub ads_context_data: Option<Value>,
    /// The product, when the person wrote from an Instagram Shops product page.
    #[serde(default)]
    pub product: Option<Product>,
}
