use serde::Deserialize;

use super::{AttachmentPayload, AttachmentType};

/// One of a message's `attachments[]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Attachment {
    /// What the attachment is; a type Meta adds later is kept in
    /// [`AttachmentType::Unknown`].
    #[serde(rename = "type")]
    pub kind: AttachmentType,
    /// The media and its details; absent for disappearing media.
    #[serde(default)]
    pub payload: Option<AttachmentPayload>,
}

impl Attachment {
    /// The payload's `url`.
    pub fn url(&self) -> Option<&str> {
        self.payload.as_ref()?.url.as_deref()
    }

    /// The payload's `ig_post_media_id`.
    pub fn ig_post_media_id(&self) -> Option<&str> {
        self.payload.as_ref()?.ig_post_media_id.as_deref()
    }
}
