use serde::{Deserialize, Serialize};

/// What an [`Attachment`] is, in the normalized vocabulary shared by all platforms.
///
/// The set is part of the JSON contract. A platform type with no counterpart here maps to
/// [`AttachmentKind::Other`]; the platform crate's typed payload keeps the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AttachmentKind {
    /// A picture.
    Image,
    /// A video.
    Video,
    /// Audio, including voice notes.
    Audio,
    /// A file (WhatsApp calls it a `document`).
    File,
    /// A sticker.
    Sticker,
    /// A shared location.
    Location,
    /// Shared contact cards.
    Contacts,
    /// A shared post, reel or link.
    Share,
    /// An Instagram story that mentions the business.
    StoryMention,
    /// A Messenger `fallback` attachment (a link Meta could not render otherwise).
    Fallback,
    /// Anything else, including types Meta adds later.
    #[serde(other)]
    Other,
}

/// A piece of media or structured content carried by a message.
///
/// Serialized as `{"type", "url", "media_id"}`; either reference may be null.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Attachment {
    /// What the attachment is.
    #[serde(rename = "type")]
    pub kind: AttachmentKind,
    /// A URL where the content can be fetched, when the platform gives one.
    pub url: Option<String>,
    /// The platform's id for the media (WhatsApp media id, Messenger `attachment_id`).
    pub media_id: Option<String>,
}

impl Attachment {
    /// An attachment of `kind` with neither URL nor media id.
    pub fn new(kind: AttachmentKind) -> Self {
        Self {
            kind,
            url: None,
            media_id: None,
        }
    }

    /// Sets the URL.
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Sets the media id.
    pub fn with_media_id(mut self, media_id: impl Into<String>) -> Self {
        self.media_id = Some(media_id.into());
        self
    }
}
