use serde::Deserialize;

use super::lenient::opt_id;

/// The business's story a person replied to (`message.reply_to.story`).
///
/// Stories expire after 24 hours: the URL stops working then.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Story {
    /// The story's CDN URL.
    #[serde(default)]
    pub url: Option<String>,
    /// The story's media id.
    #[serde(default, deserialize_with = "opt_id")]
    pub id: Option<String>,
}
