use serde::Deserialize;
use serde_json::{Map, Value};

use super::Coordinates;
use super::lenient::opt_id;
use crate::AttachmentId;

/// The `payload` of a message [`Attachment`](super::Attachment).
///
/// The fields Meta documents across attachment types are typed; everything else (a template's
/// `template_type` and `elements`, fields Meta adds later) is kept in
/// [`other`](AttachmentPayload::other).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AttachmentPayload {
    /// Where the media can be downloaded.
    #[serde(default)]
    pub url: Option<String>,
    /// The sticker, for stickers; Meta sends it as a number, kept here as a string.
    #[serde(default, deserialize_with = "opt_id")]
    pub sticker_id: Option<String>,
    /// The attachment's id, which the Send API can reuse.
    #[serde(default, deserialize_with = "opt_id")]
    pub attachment_id: Option<AttachmentId>,
    /// The point of a `location` attachment.
    #[serde(default)]
    pub coordinates: Option<Coordinates>,
    /// Every other field, exactly as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
