use serde::{Deserialize, Serialize};

use super::lenient;
use crate::MediaId;

/// What `GET /{media-id}` returns: a short-lived download URL and the file's metadata.
///
/// The URL is valid for about five minutes and must be fetched with the access token in the
/// `Authorization` header; ask again for a fresh one when it has expired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaInfo {
    /// The media id that was asked for.
    pub id: MediaId,
    /// The download URL.
    pub url: String,
    /// The file's MIME type, such as `image/jpeg`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The SHA-256 hash of the file, to check a download against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The file's size in bytes. Meta's examples show it both as a number and as a string
    /// (`"303833"`); both are read.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub file_size: Option<u64>,
    /// Always `whatsapp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
}
