use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::message::Recipient;
use super::validation::{self, ValidationError};

/// What a sender action shows or does.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SenderActionKind {
    /// `typing_on`: the typing bubble, for up to 20 seconds or until the next message.
    TypingOn,
    /// `typing_off`: hides the typing bubble.
    TypingOff,
    /// `mark_seen`: marks the person's last message as seen.
    MarkSeen,
    /// `react` (Instagram): reacts to the message `mid` with `reaction` (such as `love`).
    React {
        /// The message reacted to.
        mid: String,
        /// The reaction.
        reaction: String,
    },
    /// `unreact` (Instagram): removes the reaction from the message `mid`.
    Unreact {
        /// The message.
        mid: String,
    },
}

/// A sender action request (`sender_action`), sent on its own, without a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SenderAction {
    recipient: Recipient,
    action: SenderActionKind,
}

impl SenderAction {
    /// `action` shown to `recipient`.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] when the recipient or a message id is blank.
    pub fn new(
        recipient: impl Into<Recipient>,
        action: SenderActionKind,
    ) -> Result<Self, ValidationError> {
        let recipient = recipient.into();
        if let Recipient::Id(id) = &recipient {
            validation::not_blank(id, || "recipient.id".to_owned())?;
        }
        match &action {
            SenderActionKind::React { mid, reaction } => {
                validation::not_blank(mid, || "payload.message_id".to_owned())?;
                validation::not_blank(reaction, || "payload.reaction".to_owned())?;
            }
            SenderActionKind::Unreact { mid } => {
                validation::not_blank(mid, || "payload.message_id".to_owned())?;
            }
            _ => {}
        }
        Ok(Self { recipient, action })
    }

    /// The action.
    pub fn action(&self) -> &SenderActionKind {
        &self.action
    }
}

impl Serialize for SenderAction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Payload<'a> {
            message_id: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            reaction: Option<&'a str>,
        }

        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("recipient", &self.recipient)?;
        let (name, payload) = match &self.action {
            SenderActionKind::TypingOn => ("typing_on", None),
            SenderActionKind::TypingOff => ("typing_off", None),
            SenderActionKind::MarkSeen => ("mark_seen", None),
            SenderActionKind::React { mid, reaction } => (
                "react",
                Some(Payload {
                    message_id: mid,
                    reaction: Some(reaction),
                }),
            ),
            SenderActionKind::Unreact { mid } => (
                "unreact",
                Some(Payload {
                    message_id: mid,
                    reaction: None,
                }),
            ),
        };
        map.serialize_entry("sender_action", name)?;
        if let Some(payload) = payload {
            map.serialize_entry("payload", &payload)?;
        }
        map.end()
    }
}
