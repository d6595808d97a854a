use super::media_source::{MediaBody, MediaSource};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use crate::Error;

/// A sticker message (`type: sticker`): a WebP sticker (static up to 100 KB, animated up to
/// 500 KB). Stickers take no caption, so this builder has none.
///
/// ```compile_fail
/// # use metabiz_whatsapp::{MediaId, WaId};
/// # use metabiz_whatsapp::send::Sticker;
/// Sticker::new(WaId::new("16505551234"), MediaId::new("1")).caption("Hi");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sticker {
    envelope: Envelope,
    media: MediaBody,
}

impl Sticker {
    /// A sticker from an uploaded asset or a public URL.
    pub fn new(to: impl Into<Recipient>, media: impl Into<MediaSource>) -> Self {
        Self {
            envelope: Envelope::new(to),
            media: MediaBody::new(media.into()),
        }
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        self.media.source.validate(|| "sticker".to_owned())?;
        self.envelope.seal(Content::Sticker(self.media))
    }
}
