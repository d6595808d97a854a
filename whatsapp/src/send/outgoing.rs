use serde::ser::{Serialize, SerializeMap, Serializer};

use super::contacts::ContactsBody;
use super::interactive::InteractiveBody;
use super::location::LocationObject;
use super::media_source::MediaBody;
use super::reaction::ReactionBody;
use super::recipient::Recipient;
use super::template::TemplateBody;
use super::text::TextBody;
use super::validate;
use crate::model::Location;
use crate::{Error, Wamid};

/// A message that passed validation, ready to be sent as the JSON body of
/// `POST /{phone-number-id}/messages`.
///
/// Only the builders of [`send`](super) create it, after checking every documented limit, so
/// holding one means the body is well-formed. Serialize it (it implements
/// [`serde::Serialize`]) to get the request body.
#[derive(Clone, Debug, PartialEq)]
pub struct OutgoingMessage {
    recipient: Recipient,
    reply_to: Option<Wamid>,
    content: Content,
}

impl OutgoingMessage {
    /// Who the message goes to.
    pub fn recipient(&self) -> &Recipient {
        &self.recipient
    }

    /// The message this one replies to, if any.
    pub fn reply_to(&self) -> Option<&Wamid> {
        self.reply_to.as_ref()
    }

    /// Meta's message `type`: `text`, `image`, `video`, `audio`, `document`, `sticker`,
    /// `location`, `contacts`, `interactive`, `reaction` or `template`.
    pub fn kind(&self) -> &'static str {
        match &self.content {
            Content::Text(_) => "text",
            Content::Image(_) => "image",
            Content::Video(_) => "video",
            Content::Audio(_) => "audio",
            Content::Document(_) => "document",
            Content::Sticker(_) => "sticker",
            Content::Location(_) => "location",
            Content::Contacts(_) => "contacts",
            Content::Interactive(_) => "interactive",
            Content::Reaction(_) => "reaction",
            Content::Template(_) => "template",
        }
    }
}

/// `{"messaging_product", "recipient_type", "to" | "recipient", "type", <type>: {…},
/// "context"?}`.
impl Serialize for OutgoingMessage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("messaging_product", "whatsapp")?;
        map.serialize_entry("recipient_type", "individual")?;
        map.serialize_entry(self.recipient.key(), self.recipient.as_str())?;
        let kind = self.kind();
        map.serialize_entry("type", kind)?;
        match &self.content {
            Content::Text(body) => map.serialize_entry(kind, body)?,
            Content::Image(body)
            | Content::Video(body)
            | Content::Audio(body)
            | Content::Document(body)
            | Content::Sticker(body) => map.serialize_entry(kind, body)?,
            Content::Location(body) => map.serialize_entry(kind, &LocationObject::from(body))?,
            Content::Contacts(body) => map.serialize_entry(kind, body)?,
            Content::Interactive(body) => map.serialize_entry(kind, body)?,
            Content::Reaction(body) => map.serialize_entry(kind, body)?,
            Content::Template(body) => map.serialize_entry(kind, body)?,
        }
        if let Some(message_id) = &self.reply_to {
            map.serialize_entry("context", &Context { message_id })?;
        }
        map.end()
    }
}

#[derive(serde::Serialize)]
struct Context<'a> {
    message_id: &'a Wamid,
}

/// The part under the key named by `type`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Content {
    Text(TextBody),
    Image(MediaBody),
    Video(MediaBody),
    Audio(MediaBody),
    Document(MediaBody),
    Sticker(MediaBody),
    Location(Location),
    Contacts(ContactsBody),
    Interactive(InteractiveBody),
    Reaction(ReactionBody),
    Template(TemplateBody),
}

/// What every message has besides its content: the recipient and the quoted message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Envelope {
    pub(crate) to: Recipient,
    pub(crate) reply_to: Option<Wamid>,
}

impl Envelope {
    pub(crate) fn new(to: impl Into<Recipient>) -> Self {
        Self {
            to: to.into(),
            reply_to: None,
        }
    }

    /// Checks the recipient and the quoted message id, then wraps the (already checked)
    /// content: the only way to make an [`OutgoingMessage`].
    pub(crate) fn seal(self, content: Content) -> Result<OutgoingMessage, Error> {
        validate::not_blank(self.to.as_str(), || self.to.key().to_owned())?;
        if let Some(message_id) = &self.reply_to {
            validate::not_blank(message_id.as_str(), || "context.message_id".to_owned())?;
        }
        Ok(OutgoingMessage {
            recipient: self.to,
            reply_to: self.reply_to,
            content,
        })
    }
}
