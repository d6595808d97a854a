use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::{
    AppRoles, Delivery, Message, MessageEdit, MessagingEvent, Optin, Party, PassThreadControl,
    Postback, Reaction, Read, Referral, RequestThreadControl, TakeThreadControl, Timestamp,
};

/// One `messaging[]` or `standby[]` item of an [`Entry`](super::Entry): who, when, and one
/// event.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Messaging {
    /// Who caused the event: the person, or the page for echoes.
    pub sender: Option<Party>,
    /// Who it was addressed to: the page, or the person for echoes.
    pub recipient: Option<Party>,
    /// When it happened, in Unix milliseconds.
    pub timestamp: Option<Timestamp>,
    /// What happened.
    pub event: MessagingEvent,
    /// The item's JSON, for the events the normalized model reports as `other`.
    raw: Option<Value>,
}

impl Messaging {
    /// The whole item exactly as Meta sent it, for the events the normalized model has no kind
    /// for (`message_edit`, `referral`, `optin`, the handover events and unknown items);
    /// `None` for messages, postbacks, receipts and reactions.
    pub fn raw(&self) -> Option<&Value> {
        match &self.event {
            MessagingEvent::Unknown(raw) => Some(raw),
            _ => self.raw.as_ref(),
        }
    }

    /// Reads one item from its JSON text.
    fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        /// Every key an item may carry. An item has one event key; should Meta ever send more,
        /// the first in this order wins.
        #[derive(serde::Deserialize)]
        struct Fields {
            #[serde(default)]
            sender: Option<Party>,
            #[serde(default)]
            recipient: Option<Party>,
            #[serde(default)]
            timestamp: Option<Timestamp>,
            #[serde(default)]
            message: Option<Message>,
            #[serde(default)]
            message_edit: Option<MessageEdit>,
            #[serde(default)]
            postback: Option<Postback>,
            #[serde(default)]
            reaction: Option<Reaction>,
            #[serde(default)]
            read: Option<Read>,
            #[serde(default)]
            delivery: Option<Delivery>,
            #[serde(default)]
            referral: Option<Referral>,
            #[serde(default)]
            optin: Option<Optin>,
            #[serde(default)]
            pass_thread_control: Option<PassThreadControl>,
            #[serde(default)]
            take_thread_control: Option<TakeThreadControl>,
            #[serde(default)]
            request_thread_control: Option<RequestThreadControl>,
            #[serde(default)]
            app_roles: Option<AppRoles>,
        }

        let fields: Fields = serde_json::from_str(json)?;
        let (event, keeps_raw) = if let Some(message) = fields.message {
            (MessagingEvent::Message(message), false)
        } else if let Some(edit) = fields.message_edit {
            (MessagingEvent::MessageEdit(edit), true)
        } else if let Some(postback) = fields.postback {
            (MessagingEvent::Postback(postback), false)
        } else if let Some(reaction) = fields.reaction {
            (MessagingEvent::Reaction(reaction), false)
        } else if let Some(read) = fields.read {
            (MessagingEvent::Read(read), false)
        } else if let Some(delivery) = fields.delivery {
            (MessagingEvent::Delivery(delivery), false)
        } else if let Some(referral) = fields.referral {
            (MessagingEvent::Referral(referral), true)
        } else if let Some(optin) = fields.optin {
            (MessagingEvent::Optin(optin), true)
        } else if let Some(pass) = fields.pass_thread_control {
            (MessagingEvent::PassThreadControl(pass), true)
        } else if let Some(take) = fields.take_thread_control {
            (MessagingEvent::TakeThreadControl(take), true)
        } else if let Some(request) = fields.request_thread_control {
            (MessagingEvent::RequestThreadControl(request), true)
        } else if let Some(roles) = fields.app_roles {
            (MessagingEvent::AppRoles(roles), true)
        } else {
            (MessagingEvent::Unknown(serde_json::from_str(json)?), false)
        };
        // Only items reported as `other` pay for a second parse into a tree.
        let raw = if keeps_raw {
            Some(serde_json::from_str(json)?)
        } else {
            None
        };
        Ok(Self {
            sender: fields.sender,
            recipient: fields.recipient,
            timestamp: fields.timestamp,
            event,
            raw,
        })
    }
}

impl<'de> Deserialize<'de> for Messaging {
    /// Reads the item as raw JSON text first, so the items that need it keep their JSON exactly
    /// as sent, including keys this version does not know. Needs `serde_json`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Self::from_json(raw.get()).map_err(de::Error::custom)
    }
}
