use serde::Deserialize;

/// The ad or post a user came from (`messages[].referral`), sent with the first message after
/// a user taps a Click to WhatsApp ad.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Referral {
    /// The URL of the ad or post.
    #[serde(default)]
    pub source_url: Option<String>,
    /// The id of the ad or post.
    #[serde(default)]
    pub source_id: Option<String>,
    /// `ad` or `post`.
    #[serde(default)]
    pub source_type: Option<String>,
    /// The ad's headline.
    #[serde(default)]
    pub headline: Option<String>,
    /// The ad's body text.
    #[serde(default)]
    pub body: Option<String>,
    /// `image` or `video`.
    #[serde(default)]
    pub media_type: Option<String>,
    /// The ad image, when `media_type` is `image`.
    #[serde(default)]
    pub image_url: Option<String>,
    /// The ad video, when `media_type` is `video`.
    #[serde(default)]
    pub video_url: Option<String>,
    /// The video's thumbnail.
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    /// The click id, to report conversions to Meta.
    #[serde(default)]
    pub ctwa_clid: Option<String>,
}
