use super::media_source::{MediaBody, MediaSource};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use crate::Error;

/// An audio message (`type: audio`): a basic audio file, or a voice message.
///
/// Audio messages take no caption, so this builder has none. A voice message
/// ([`voice`](Self::voice)) shows the business's profile picture and a microphone, downloads
/// automatically and can be transcribed; Meta requires an Ogg file with the OPUS codec for it,
/// and shows a play icon only for files of 512 KB or less.
///
/// ```compile_fail
/// # use metabiz_whatsapp::{MediaId, WaId};
/// # use metabiz_whatsapp::send::Audio;
/// // Meta does not show captions on audio: there is no setter for one.
/// Audio::new(WaId::new("16505551234"), MediaId::new("1")).caption("Listen");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audio {
    envelope: Envelope,
    media: MediaBody,
}

impl Audio {
    /// An audio file from an uploaded asset or a public URL (AAC, AMR, MP3, M4A or Ogg/OPUS, up
    /// to 16 MB).
    pub fn new(to: impl Into<Recipient>, media: impl Into<MediaSource>) -> Self {
        Self {
            envelope: Envelope::new(to),
            media: MediaBody::new(media.into()),
        }
    }

    /// Sends the audio as a voice message (`voice: true`) instead of a basic audio file.
    pub fn voice(mut self, voice: bool) -> Self {
        self.media.voice = Some(voice);
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        self.media.source.validate(|| "audio".to_owned())?;
        self.envelope.seal(Content::Audio(self.media))
    }
}
