use serde::Deserialize;

use crate::MediaId;

/// A media asset in an `image`, `audio`, `video`, `document` or `sticker` message.
///
/// The fields specific to one type are `None` for the others.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Media {
    /// The media id, to download the asset through the media endpoint.
    #[serde(default)]
    pub id: Option<MediaId>,
    /// The MIME type, such as `image/jpeg`.
    #[serde(default)]
    pub mime_type: Option<String>,
    /// The SHA-256 hash of the file, to check a download.
    #[serde(default)]
    pub sha256: Option<String>,
    /// A download URL, in payloads that include one; it still needs the access token.
    #[serde(default)]
    pub url: Option<String>,
    /// The caption (image, video, document).
    #[serde(default)]
    pub caption: Option<String>,
    /// The file name (document).
    #[serde(default)]
    pub filename: Option<String>,
    /// The audio is a voice note recorded in WhatsApp, not an audio file (audio).
    #[serde(default)]
    pub voice: Option<bool>,
    /// The sticker is animated (sticker).
    #[serde(default)]
    pub animated: Option<bool>,
}
