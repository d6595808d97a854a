string_enum! {
    /// The `format` of a template header.
    pub enum HeaderFormat {
        /// Text of at most 60 characters, with at most one parameter.
        Text = "TEXT",
        /// An image, given at creation by an uploaded asset handle.
        Image = "IMAGE",
        /// A video, given at creation by an uploaded asset handle.
        Video = "VIDEO",
        /// A document such as a PDF, given at creation by an uploaded asset handle.
        Document = "DOCUMENT",
        /// A map location, supplied when the template is sent (utility and marketing only).
        Location = "LOCATION",
        /// An animated GIF (Marketing Messages API only).
        Gif = "GIF",
        /// A catalog product.
        Product = "PRODUCT",
    }
}
