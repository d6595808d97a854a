use super::media_source::{MediaBody, MediaSource};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate;
use crate::Error;
use crate::limits::Limit;

/// A document message (`type: document`): a file the user taps to download (text, PDF,
/// Microsoft Office formats; up to 100 MB), with an optional caption and file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    envelope: Envelope,
    media: MediaBody,
}

impl Document {
    /// A document from an uploaded asset or a public URL.
    pub fn new(to: impl Into<Recipient>, media: impl Into<MediaSource>) -> Self {
        Self {
            envelope: Envelope::new(to),
            media: MediaBody::new(media.into()),
        }
    }

    /// Text shown under the document: at most
    /// [`CAPTION_MAX_CHARS`](crate::limits::CAPTION_MAX_CHARS) characters.
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.media.caption = Some(caption.into());
        self
    }

    /// The file name shown to the user, with its extension, from which WhatsApp picks the file
    /// icon (`filename`).
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.media.filename = Some(filename.into());
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        self.media.source.validate(|| "document".to_owned())?;
        validate::optional(self.media.caption.as_deref(), Limit::Caption, || {
            "document.caption".to_owned()
        })?;
        if let Some(filename) = &self.media.filename {
            validate::not_blank(filename, || "document.filename".to_owned())?;
        }
        self.envelope.seal(Content::Document(self.media))
    }
}
