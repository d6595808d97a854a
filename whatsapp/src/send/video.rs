use super::media_source::{MediaBody, MediaSource};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate;
use crate::Error;
use crate::limits::Limit;

/// A video message (`type: video`): an MP4 or 3GPP video (H.264 with AAC audio, up to 16 MB)
/// with an optional caption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Video {
    envelope: Envelope,
    media: MediaBody,
}

impl Video {
    /// A video from an uploaded asset or a public URL.
    pub fn new(to: impl Into<Recipient>, media: impl Into<MediaSource>) -> Self {
        Self {
            envelope: Envelope::new(to),
            media: MediaBody::new(media.into()),
        }
    }

    /// Text shown under the video: at most
    /// [`CAPTION_MAX_CHARS`](crate::limits::CAPTION_MAX_CHARS) characters.
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.media.caption = Some(caption.into());
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        self.media.source.validate(|| "video".to_owned())?;
        validate::optional(self.media.caption.as_deref(), Limit::Caption, || {
            "video.caption".to_owned()
        })?;
        self.envelope.seal(Content::Video(self.media))
    }
}
