use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::messages_value::{WireMessageEchoesValue, WireMessagesValue};
use super::{ChangeField, MessageContent, MessageEchoesValue, MessagesValue};

/// One change of an [`Entry`](super::Entry): a webhook `field` and its `value`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Change {
    /// The subscribed field, which decides the shape of [`Change::value`].
    pub field: ChangeField,
    /// The field's payload.
    pub value: ChangeValue,
    raw_value: Box<RawValue>,
}

/// The payload of a [`Change`], typed for the fields this crate models.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ChangeValue {
    /// For [`ChangeField::Messages`].
    Messages(MessagesValue),
    /// For [`ChangeField::SmbMessageEchoes`].
    MessageEchoes(MessageEchoesValue),
    /// Any other field, including fields Meta adds later: the `value` as sent.
    Other(Value),
}

impl Change {
    /// The change's `value` exactly as Meta sent it, escapes included: for logging or storing
    /// the original alongside the typed form.
    pub fn value_json(&self) -> &str {
        self.raw_value.get()
    }

    /// The items of the value as raw JSON, to give events of items this crate does not model
    /// their original JSON. Parsed again on demand: such items are rare.
    pub(super) fn raw_items(&self) -> RawItems<'_> {
        serde_json::from_str(self.raw_value.get()).unwrap_or_default()
    }
}

impl PartialEq for Change {
    fn eq(&self, other: &Self) -> bool {
        self.field == other.field
            && self.value == other.value
            && self.raw_value.get() == other.raw_value.get()
    }
}

/// The arrays of a `messages` or `smb_message_echoes` value, each item left as raw JSON.
#[derive(Default, Deserialize)]
pub(super) struct RawItems<'a> {
    #[serde(borrow, default)]
    pub(super) messages: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    pub(super) statuses: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    pub(super) errors: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    pub(super) message_echoes: Vec<&'a RawValue>,
}

impl<'de> Deserialize<'de> for Change {
    /// Meta writes `value` before `field`, so the value cannot be parsed until the field is
    /// known. It is held as raw JSON text (a fast scan, no tree of `Value`s) and then parsed
    /// once into its typed form.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct WireChange {
            field: ChangeField,
            value: Box<RawValue>,
        }

        let wire = WireChange::deserialize(deserializer)?;
        let value = parse_value(&wire.field, wire.value.get()).map_err(D::Error::custom)?;
        Ok(Self {
            field: wire.field,
            value,
            raw_value: wire.value,
        })
    }
}

fn parse_value(field: &ChangeField, json: &str) -> Result<ChangeValue, serde_json::Error> {
    match field {
        ChangeField::Messages => {
            let mut value = MessagesValue::from(serde_json::from_str::<WireMessagesValue>(json)?);
            if value.messages.iter().any(|m| is_unknown(&m.content)) {
                let items: RawItems<'_> = serde_json::from_str(json)?;
                let contents = value.messages.iter_mut().map(|m| &mut m.content);
                fill_unknown_raw(contents, &items.messages)?;
            }
            Ok(ChangeValue::Messages(value))
        }
        ChangeField::SmbMessageEchoes => {
            let mut value =
                MessageEchoesValue::from(serde_json::from_str::<WireMessageEchoesValue>(json)?);
            if value.message_echoes.iter().any(|m| is_unknown(&m.content)) {
                let items: RawItems<'_> = serde_json::from_str(json)?;
                let contents = value.message_echoes.iter_mut().map(|m| &mut m.content);
                fill_unknown_raw(contents, &items.message_echoes)?;
            }
            Ok(ChangeValue::MessageEchoes(value))
        }
        _ => serde_json::from_str(json).map(ChangeValue::Other),
    }
}

fn is_unknown(content: &MessageContent) -> bool {
    matches!(content, MessageContent::Unknown { .. })
}

/// Gives each `Unknown` content the JSON of its message; `raws` is the same array as raw
/// JSON, so the positions match.
fn fill_unknown_raw<'a>(
    contents: impl Iterator<Item = &'a mut MessageContent>,
    raws: &[&RawValue],
) -> Result<(), serde_json::Error> {
    for (content, raw_item) in contents.zip(raws) {
        if let MessageContent::Unknown { raw, .. } = content {
            *raw = serde_json::from_str(raw_item.get())?;
        }
    }
    Ok(())
}
