media_message! {
    /// A video message (`type: video`): an MP4 or 3GPP video (H.264 with AAC audio, up to 16 MB)
    /// with an optional caption.
    pub struct Video => "video", Video;
}

impl Video {
    caption_setter!("video");
}
