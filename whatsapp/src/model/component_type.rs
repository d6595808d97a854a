string_enum! {
    /// The `type` of a [`TemplateComponent`](super::TemplateComponent).
    pub enum ComponentType {
        /// The optional header: text, media or a location.
        Header = "HEADER",
        /// The body text, the one required component.
        Body = "BODY",
        /// The optional footer line.
        Footer = "FOOTER",
        /// The buttons.
        Buttons = "BUTTONS",
        /// A carousel of cards (marketing templates).
        Carousel = "CAROUSEL",
        /// A limited-time offer with an expiry (marketing templates).
        LimitedTimeOffer = "LIMITED_TIME_OFFER",
    }
}
