media_message! {
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
    pub struct Audio => "audio", Audio;
}

impl Audio {
    /// Sends the audio as a voice message (`voice: true`) instead of a basic audio file.
    pub fn voice(mut self, voice: bool) -> Self {
        self.media.voice = Some(voice);
        self
    }
}
