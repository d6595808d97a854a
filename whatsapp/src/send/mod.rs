//! Outgoing messages: typed bodies for `POST /{phone-number-id}/messages`, exactly as Meta
//! documents them, checked against every documented limit before they can exist.
//!
//! Each kind of message has a builder that takes the required parts in its constructor, the
//! optional ones through setters, and checks everything in `build()`. Only `build()` (and
//! [`MarkRead::build`]) can produce the bodies a client sends, so a message that breaks one of
//! Meta's rules is caught here, with a typed [`ValidationError`](crate::ValidationError), and
//! never costs a request.
//!
//! | message | builder |
//! |---|---|
//! | text | [`Text`] |
//! | image, video, audio (or voice), document, sticker | [`Image`], [`Video`], [`Audio`], [`Document`], [`Sticker`] |
//! | location | [`Location`] |
//! | contact cards | [`Contacts`] |
//! | reply buttons, list, call-to-action URL, Flow, location request | [`Interactive`]: [`ReplyButtons`], [`List`], [`CtaUrl`], [`FlowMessage`], [`LocationRequest`] |
//! | reaction (or its removal) | [`Reaction`] |
//! | template | [`Template`] |
//! | mark as read, typing indicator | [`MarkRead`] |
//!
//! Every message goes to a [`Recipient`]: a phone number (`to`) or a business-scoped user id
//! (`recipient`). Every builder takes `reply_to` to quote an earlier message (`context`).
//!
//! Lengths are counted in characters as explained in [`limits`](crate::limits).

/// Adds the `reply_to` setter to a builder that has an `envelope` field.
macro_rules! reply_to_setter {
    () => {
        /// Sends the message as a reply that quotes `message_id` (`context.message_id`).
        pub fn reply_to(mut self, message_id: impl Into<crate::Wamid>) -> Self {
            self.envelope.reply_to = Some(message_id.into());
            self
        }
    };
}

/// Defines a media message builder (image, video, audio, document, sticker): the struct, its
/// constructor, `reply_to` and `build`, which checks the source and whatever optional parts the
/// builder's own setters filled in. `$kind` is Meta's `type`, `$content` the body's variant.
macro_rules! media_message {
    ($(#[$meta:meta])* pub struct $name:ident => $kind:literal, $content:ident;) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name {
            envelope: super::outgoing::Envelope,
            media: super::media_source::MediaBody,
        }

        impl $name {
            #[doc = concat!("A ", $kind, " message from an uploaded asset or a public URL.")]
            pub fn new(
                to: impl Into<super::recipient::Recipient>,
                media: impl Into<super::media_source::MediaSource>,
            ) -> Self {
                Self {
                    envelope: super::outgoing::Envelope::new(to),
                    media: super::media_source::MediaBody::new(media.into()),
                }
            }

            reply_to_setter!();

            /// Checks the message against Meta's rules and returns the body to send.
            pub fn build(self) -> Result<super::outgoing::OutgoingMessage, crate::Error> {
                self.media.check($kind)?;
                self.envelope
                    .seal(super::outgoing::Content::$content(self.media))
            }
        }
    };
}

/// Adds the `caption` setter to a media message builder.
macro_rules! caption_setter {
    ($noun:literal) => {
        #[doc = concat!(
                            "Text shown under the ", $noun, ": at most ",
                            "[`CAPTION_MAX_CHARS`](crate::limits::CAPTION_MAX_CHARS) characters."
                        )]
        pub fn caption(mut self, caption: impl Into<String>) -> Self {
            self.media.caption = Some(caption.into());
            self
        }
    };
}

mod audio;
mod contacts;
mod cta_url;
mod document;
mod flow;
mod header;
mod image;
mod interactive;
mod list;
mod location;
mod location_request;
mod mark_read;
mod media_source;
mod outgoing;
mod reaction;
mod recipient;
mod reply_buttons;
mod sticker;
mod template;
mod template_parts;
mod text;
use crate::validation as validate;
mod video;

pub use audio::Audio;
pub use contacts::Contacts;
pub use cta_url::CtaUrl;
pub use document::Document;
pub use flow::{FlowMessage, FlowMode, FlowRef};
pub use header::Header;
pub use image::Image;
pub use interactive::Interactive;
pub use list::{List, Row, Section};
pub use location::Location;
pub use location_request::LocationRequest;
pub use mark_read::{MarkRead, ReadReceipt};
pub use media_source::MediaSource;
pub use outgoing::OutgoingMessage;
pub use reaction::Reaction;
pub use recipient::Recipient;
pub use reply_buttons::{Button, ReplyButtons};
pub use sticker::Sticker;
pub use template::Template;
pub use template_parts::{Parameter, TemplateButton, TemplateHeader};
pub use text::Text;
pub use video::Video;
