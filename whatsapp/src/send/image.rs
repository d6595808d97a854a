use super::media_source::{MediaBody, MediaSource};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate;
use crate::Error;
use crate::limits::Limit;

/// An image message (`type: image`): one JPEG or PNG image (8-bit RGB or RGBA, up to 5 MB)
/// with an optional caption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    envelope: Envelope,
    media: MediaBody,
}

impl Image {
    /// An image from an uploaded asset or a public URL.
    pub fn new(to: impl Into<Recipient>, media: impl Into<MediaSource>) -> Self {
        Self {
            envelope: Envelope::new(to),
            media: MediaBody::new(media.into()),
        }
    }

    /// Text shown under the image: at most
    /// [`CAPTION_MAX_CHARS`](crate::limits::CAPTION_MAX_CHARS) characters.
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.media.caption = Some(caption.into());
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        self.media.source.validate(|| "image".to_owned())?;
        validate::optional(self.media.caption.as_deref(), Limit::Caption, || {
            "image.caption".to_owned()
        })?;
        self.envelope.seal(Content::Image(self.media))
    }
}
