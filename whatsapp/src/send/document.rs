media_message! {
    /// A document message (`type: document`): a file the user taps to download (text, PDF,
    /// Microsoft Office formats; up to 100 MB), with an optional caption and file name.
    pub struct Document => "document", Document;
}

impl Document {
    caption_setter!("document");

    /// The file name shown to the user, with its extension, from which WhatsApp picks the file
    /// icon (`filename`).
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.media.filename = Some(filename.into());
        self
    }
}
