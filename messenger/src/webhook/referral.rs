use serde::Deserialize;
use serde_json::Value;

use super::lenient::opt_id;

/// How a person came to the conversation (`referral`, webhook field `messaging_referrals`; also
/// inside a [`Postback`](super::Postback) that starts a conversation).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Referral {
    /// The `ref` parameter of the m.me link, ad or plugin.
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    /// Where the person came from, such as `SHORTLINK` or `ADS`, as Meta spells it.
    #[serde(default)]
    pub source: Option<String>,
    /// The referral type, such as `OPEN_THREAD`, as Meta spells it.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The ad, for referrals from ads.
    #[serde(default, deserialize_with = "opt_id")]
    pub ad_id: Option<String>,
    /// The ad's details (`ad_title`, `photo_url`, `video_url`, `post_id`, `product_id`, …), as
    /// sent.
    #[serde(default)]
    pub ads_context_data: Option<Value>,
    /// The URI of the site that sent the person, when Meta gives it.
    #[serde(default)]
    pub referer_uri: Option<String>,
}
