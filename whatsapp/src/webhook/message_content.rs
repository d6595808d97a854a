use serde_json::Value;

use super::{Button, Interactive, Media, Order, Reaction, System, Text, Unsupported};
use crate::model::{ContactCard, Location};

/// What a message carries, by its `type`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MessageContent {
    /// `text`.
    Text(Text),
    /// `image`.
    Image(Media),
    /// `audio`, including voice notes ([`Media::voice`]).
    Audio(Media),
    /// `video`.
    Video(Media),
    /// `document`, a file.
    Document(Media),
    /// `sticker`.
    Sticker(Media),
    /// `location`.
    Location(Location),
    /// `contacts`: one or more contact cards.
    Contacts(Vec<ContactCard>),
    /// `interactive`: an answer to a button, list or Flow message.
    Interactive(Interactive),
    /// `button`: a tap on a template's quick-reply button.
    Button(Button),
    /// `reaction`.
    Reaction(Reaction),
    /// `order`.
    Order(Order),
    /// `system`: a notice about the user, such as a number change.
    System(System),
    /// `unsupported`: a message the Cloud API cannot show the business.
    Unsupported(Unsupported),
    /// `request_welcome`: the user opened a chat with the business for the first time.
    RequestWelcome,
    /// A type this version does not know, or a known type whose content is missing or of an
    /// unknown kind (such as a new `interactive` answer).
    Unknown {
        /// The message's `type` as sent; empty when the message had none.
        message_type: String,
        /// The whole message object, exactly as Meta sent it.
        raw: Value,
    },
}

impl MessageContent {
    /// The message `type` as Meta spells it, such as `text` or `image`.
    pub fn message_type(&self) -> &str {
        match self {
            Self::Text(_) => "text",
            Self::Image(_) => "image",
            Self::Audio(_) => "audio",
            Self::Video(_) => "video",
            Self::Document(_) => "document",
            Self::Sticker(_) => "sticker",
            Self::Location(_) => "location",
            Self::Contacts(_) => "contacts",
            Self::Interactive(_) => "interactive",
            Self::Button(_) => "button",
            Self::Reaction(_) => "reaction",
            Self::Order(_) => "order",
            Self::System(_) => "system",
            Self::Unsupported(_) => "unsupported",
            Self::RequestWelcome => "request_welcome",
            Self::Unknown { message_type, .. } => message_type,
        }
    }
}
