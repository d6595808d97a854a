use serde::{Deserialize, Serialize};

use crate::{AttachmentKind, AttachmentSource};

/// An attachment to send with [`Platform::send_attachment`](crate::Platform::send_attachment).
///
/// Platforms differ in what they accept: WhatsApp takes a caption for images, videos and
/// documents and a file name for documents; Messenger and Instagram take neither. A platform
/// that cannot honour a field or a kind returns an error rather than dropping it silently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutgoingAttachment {
    /// What the attachment is.
    pub kind: AttachmentKind,
    /// Where its content comes from.
    pub source: AttachmentSource,
    /// Text shown with the attachment.
    pub caption: Option<String>,
    /// The file name shown to the recipient, for files.
    pub filename: Option<String>,
}

impl OutgoingAttachment {
    /// An attachment of `kind` taken from `source`, without caption or file name.
    pub fn new(kind: AttachmentKind, source: AttachmentSource) -> Self {
        Self {
            kind,
            source,
            caption: None,
            filename: None,
        }
    }

    /// An attachment of `kind` that Meta fetches from a public `url`.
    pub fn from_url(kind: AttachmentKind, url: impl Into<String>) -> Self {
        Self::new(kind, AttachmentSource::Url(url.into()))
    }

    /// An attachment of `kind` uploaded beforehand as `media_id`.
    pub fn from_media_id(kind: AttachmentKind, media_id: impl Into<String>) -> Self {
        Self::new(kind, AttachmentSource::MediaId(media_id.into()))
    }

    /// Sets the caption.
    pub fn with_caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// Sets the file name.
    pub fn with_filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }
}
