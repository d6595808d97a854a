use serde::{Deserialize, Serialize};

/// Where the content of an [`OutgoingAttachment`](crate::OutgoingAttachment) comes from.
///
/// Serialized as `{"url": "…"}` or `{"media_id": "…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AttachmentSource {
    /// A public HTTPS URL Meta fetches the content from.
    Url(String),
    /// Content uploaded to the platform beforehand: a WhatsApp media id (valid 30 days after
    /// upload) or a Messenger or Instagram `attachment_id`.
    MediaId(String),
}
