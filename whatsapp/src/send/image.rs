media_message! {
    /// An image message (`type: image`): one JPEG or PNG image (8-bit RGB or RGBA, up to 5 MB)
    /// with an optional caption.
    pub struct Image => "image", Image;
}

impl Image {
    caption_setter!("image");
}
