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
    /// The media and its details; absent for some `fallback` attachments.
    #[serde(default)]
    pub payload: Option<AttachmentPayload>,
    /// The title of a `fallback` (or shared) attachment.
    #[serde(default)]
    pub title: Option<String>,
    /// The link of a `fallback` (or shared) attachment.
    #[serde(default)]
    pub url: Option<String>,
}

impl Attachment {
    /// The download or link URL: the payload's `url`, else the attachment's own.
    pub fn any_url(&self) -> Option<&str> {
        self.payload
            .as_ref()
            .and_then(|payload| payload.url.as_deref())
            .or(self.url.as_deref())
    }

    /// The payload's `sticker_id`, for stickers.
    pub fn sticker_id(&self) -> Option<&str> {
        self.payload.as_ref()?.sticker_id.as_deref()
    }
}
