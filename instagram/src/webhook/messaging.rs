use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::item_fields::ItemFields;
use super::{MessagingEvent, Party, Timestamp};

/// One `messaging[]` or `standby[]` item of an [`Entry`](super::Entry): who, when, and one
/// event.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Messaging {
    /// Who caused the event: the person, or the business's account for echoes.
    pub sender: Option<Party>,
    /// Who it was addressed to: the business's account, or the person for echoes.
    pub recipient: Option<Party>,
    /// When it happened, in Unix milliseconds.
    pub timestamp: Option<Timestamp>,
    /// What happened.
    pub event: MessagingEvent,
    /// The item's JSON, for the events the normalized model reports as `other`.
    raw: Option<Value>,
}

impl Messaging {
    pub(super) fn new(
        sender: Option<Party>,
        recipient: Option<Party>,
        timestamp: Option<Timestamp>,
        event: MessagingEvent,
    ) -> Self {
        Self {
            sender,
            recipient,
            timestamp,
            event,
            raw: None,
        }
    }

    /// Whether the item's event is one the normalized model reports as `other`, so that the
    /// item keeps its JSON ([`Messaging::set_raw`]).
    pub(super) fn keeps_raw(&self) -> bool {
        match &self.event {
            MessagingEvent::Message(message) => message.is_deleted || message.is_unsupported,
            MessagingEvent::Postback(_) | MessagingEvent::Reaction(_) | MessagingEvent::Read(_) => {
                false
            }
            _ => true,
        }
    }

    /// Gives the item its JSON: the event itself for an unknown item, a copy beside the typed
    /// event otherwise.
    pub(super) fn set_raw(&mut self, raw: Value) {
        match &mut self.event {
            MessagingEvent::Unknown(unknown) => *unknown = raw,
            _ => self.raw = Some(raw),
        }
    }

    /// The whole item exactly as Meta sent it, for the events the normalized model has no kind
    /// for (deleted and unsupported messages, referrals, handover events, unknown items and
    /// items of a shape this version does not expect); `None` for messages, echoes, postbacks,
    /// reactions and reads.
    pub fn raw(&self) -> Option<&Value> {
        match &self.event {
            MessagingEvent::Unknown(raw) => Some(raw),
            _ => self.raw.as_ref(),
        }
    }

    /// [`Messaging::raw`], taken out of the item.
    pub(super) fn take_raw(&mut self) -> Option<Value> {
        if let MessagingEvent::Unknown(raw) = &mut self.event {
            Some(raw.take())
        } else {
            self.raw.take()
        }
    }

    /// Reads one item from its JSON text: in its typed form when it has the shape this version
    /// expects, and otherwise as [`MessagingEvent::Unknown`] with the whole item, so that one
    /// reshaped item never fails the batch. Fails only for what the contract needs: a sender,
    /// recipient or message id that is not a string (a number may already have lost digits),
    /// or an item nested too deeply to be kept as a JSON tree.
    pub(super) fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        if let Ok(ItemFields(mut item)) = serde_json::from_str::<ItemFields>(json) {
            // Only the items reported as `other` pay for a second parse, into a tree.
            if item.keeps_raw() {
                item.set_raw(serde_json::from_str(json)?);
            }
            return Ok(item);
        }
        let item: Value = serde_json::from_str(json)?;
        if let Some(field) = id_not_a_string(&item) {
            return Err(de::Error::custom(format_args!("`{field}` is not a string")));
        }
        Ok(Self::misshapen(item))
    }

    /// An item whose typed form could not be read: [`MessagingEvent::Unknown`], with the
    /// sender, recipient and timestamp taken from it where they have their usual shape.
    fn misshapen(item: Value) -> Self {
        let sender = item
            .get("sender")
            .and_then(|party| Party::deserialize(party).ok());
        let recipient = item
            .get("recipient")
            .and_then(|party| Party::deserialize(party).ok());
        let timestamp = item
            .get("timestamp")
            .and_then(|timestamp| Timestamp::deserialize(timestamp).ok());
        Self::new(sender, recipient, timestamp, MessagingEvent::Unknown(item))
    }
}

/// The first id the contract needs as a string that is something else, by its path in the
/// item; `None` when every one is a string, `null` or absent. Only objects are looked into: an
/// event that is not even an object makes the item `other`, not an error.
fn id_not_a_string(item: &Value) -> Option<&'static str> {
    fn object(value: Option<&Value>) -> Option<&Value> {
        value.filter(|value| value.is_object())
    }
    fn string_or_absent(value: Option<&Value>) -> bool {
        matches!(value, None | Some(Value::Null | Value::String(_)))
    }

    let ids = [
        ("sender", "id", "sender.id"),
        ("recipient", "id", "recipient.id"),
        ("message", "mid", "message.mid"),
        ("postback", "mid", "postback.mid"),
        ("reaction", "mid", "reaction.mid"),
        ("read", "mid", "read.mid"),
    ];
    for (parent, key, path) in ids {
        if object(item.get(parent)).is_some_and(|parent| !string_or_absent(parent.get(key))) {
            return Some(path);
        }
    }
    let reply_to = object(item.get("message")).and_then(|message| object(message.get("reply_to")));
    if reply_to.is_some_and(|reply_to| !string_or_absent(reply_to.get("mid"))) {
        return Some("message.reply_to.mid");
    }
    None
}

impl<'de> Deserialize<'de> for Messaging {
    /// Reads the item as raw JSON text first, so the items that need it keep their JSON exactly
    /// as sent, including keys this version does not know, and an item of an unexpected shape
    /// is kept whole. Needs `serde_json`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Self::from_json(raw.get()).map_err(de::Error::custom)
    }
}
