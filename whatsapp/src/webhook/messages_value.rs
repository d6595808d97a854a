use serde::Deserialize;

use super::message::{deserialize_echoes, deserialize_messages};
use super::{Contact, Message, MessageEcho, Metadata, ReportedError, Status};

/// The value of a `messages` change: incoming messages, status updates of sent messages and
/// errors, for one business phone number.
///
/// A single value may hold many messages and statuses at once; read every one of them.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct MessagesValue {
    /// Always `whatsapp`.
    pub messaging_product: Option<String>,
    /// The business phone number the messages were sent to or from.
    pub metadata: Option<Metadata>,
    /// The users involved: senders of [`MessagesValue::messages`], or recipients in status
    /// updates.
    pub contacts: Vec<Contact>,
    /// Messages from users.
    pub messages: Vec<Message>,
    /// Status updates of messages the business sent.
    pub statuses: Vec<Status>,
    /// Errors not tied to one message.
    pub errors: Vec<ReportedError>,
}

/// The value of an `smb_message_echoes` change.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct MessageEchoesValue {
    /// Always `whatsapp`.
    pub messaging_product: Option<String>,
    /// The business phone number the messages were sent from.
    pub metadata: Option<Metadata>,
    /// The messages the business sent.
    pub message_echoes: Vec<MessageEcho>,
}

#[derive(Deserialize)]
pub(super) struct WireMessagesValue {
    #[serde(default)]
    messaging_product: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    contacts: Vec<Contact>,
    #[serde(default, deserialize_with = "deserialize_messages")]
    messages: Vec<Message>,
    #[serde(default)]
    statuses: Vec<Status>,
    #[serde(default)]
    errors: Vec<ReportedError>,
}

impl From<WireMessagesValue> for MessagesValue {
    fn from(wire: WireMessagesValue) -> Self {
        Self {
            messaging_product: wire.messaging_product,
            metadata: wire.metadata,
            contacts: wire.contacts,
            messages: wire.messages,
            statuses: wire.statuses,
            errors: wire.errors,
        }
    }
}

#[derive(Deserialize)]
pub(super) struct WireMessageEchoesValue {
    #[serde(default)]
    messaging_product: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default, deserialize_with = "deserialize_echoes")]
    message_echoes: Vec<MessageEcho>,
}

impl From<WireMessageEchoesValue> for MessageEchoesValue {
    fn from(wire: WireMessageEchoesValue) -> Self {
        Self {
            messaging_product: wire.messaging_product,
            metadata: wire.metadata,
            message_echoes: wire.message_echoes,
        }
    }
}
