use std::fmt;
use std::sync::Arc;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::messages_value::{WireMessageEchoesValue, WireMessagesValue};
use super::raw_body::RawBody;
use super::{
    AccountUpdate, ChangeField, MessageContent, MessageEchoesValue, MessagesValue,
    TemplateCategoryUpdate, TemplateQualityUpdate, TemplateStatusUpdate,
};

/// One change of an [`Entry`](super::Entry): a webhook `field` and its `value`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Change {
    /// The subscribed field, which decides the shape of [`Change::value`].
    pub field: ChangeField,
    /// The field's payload.
    pub value: ChangeValue,
    raw_value: RawChangeValue,
}

/// The payload of a [`Change`], typed for the fields this crate models.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ChangeValue {
    /// For [`ChangeField::Messages`].
    Messages(MessagesValue),
    /// For [`ChangeField::SmbMessageEchoes`].
    MessageEchoes(MessageEchoesValue),
    /// For [`ChangeField::MessageTemplateStatusUpdate`].
    TemplateStatusUpdate(TemplateStatusUpdate),
    /// For [`ChangeField::MessageTemplateQualityUpdate`].
    TemplateQualityUpdate(TemplateQualityUpdate),
    /// For [`ChangeField::TemplateCategoryUpdate`].
    TemplateCategoryUpdate(TemplateCategoryUpdate),
    /// For [`ChangeField::AccountUpdate`].
    AccountUpdate(AccountUpdate),
    /// Any other field, including fields Meta adds later, and a field above whose value has
    /// a shape this version cannot read: the `value` as sent.
    Other(Value),
}

/// Where the text of a change's `value` is kept.
#[derive(Clone)]
enum RawChangeValue {
    /// Captured while the change was parsed: `value` came before `field`, so its text had to
    /// be held until the field said how to parse it.
    Captured(Box<RawValue>),
    /// Cut out of the body the first time it is asked for, after a one-pass parse of the
    /// whole body (see `single_pass.rs`): most users never ask.
    InBody {
        body: Arc<RawBody>,
        entry: usize,
        change: usize,
    },
}

impl Change {
    /// A change parsed in one pass from `body`, the `change`th of its `entry`th entry.
    pub(super) fn in_body(
        field: ChangeField,
        value: ChangeValue,
        body: Arc<RawBody>,
        entry: usize,
        change: usize,
    ) -> Self {
        Self {
            field,
            value,
            raw_value: RawChangeValue::InBody {
                body,
                entry,
                change,
            },
        }
    }

    /// The change's `value` exactly as Meta sent it, escapes included: for logging or storing
    /// the original alongside the typed form.
    pub fn value_json(&self) -> &str {
        self.raw_value.text()
    }

    /// The items of the value as raw JSON, to give events of items this crate does not model
    /// their original JSON. Parsed again on demand: such items are rare.
    pub(super) fn raw_items(&self) -> RawItems<'_> {
        serde_json::from_str(self.value_json()).unwrap_or_default()
    }
}

impl PartialEq for Change {
    fn eq(&self, other: &Self) -> bool {
        self.field == other.field
            && self.value == other.value
            && self.value_json() == other.value_json()
    }
}

impl RawChangeValue {
    fn text(&self) -> &str {
        match self {
            Self::Captured(raw) => raw.get(),
            // The body was parsed whole before this change existed, so its value is there.
            Self::InBody {
                body,
                entry,
                change,
            } => body.value(*entry, *change).unwrap_or("null"),
        }
    }
}

impl fmt::Debug for RawChangeValue {
    /// As `serde_json`'s `RawValue` shows itself, whichever way the text is kept.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawValue")
            .field(&format_args!("{}", self.text()))
            .finish()
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
            raw_value: RawChangeValue::Captured(wire.value),
        })
    }
}

fn parse_value(field: &ChangeField, json: &str) -> Result<ChangeValue, serde_json::Error> {
    let mut value = match field {
        ChangeField::Messages => {
            ChangeValue::Messages(MessagesValue::from(serde_json::from_str::<
                WireMessagesValue,
            >(json)?))
        }
        ChangeField::SmbMessageEchoes => {
            ChangeValue::MessageEchoes(MessageEchoesValue::from(serde_json::from_str::<
                WireMessageEchoesValue,
            >(json)?))
        }
        ChangeField::MessageTemplateStatusUpdate => {
            return Ok(typed_or_raw(json, ChangeValue::TemplateStatusUpdate));
        }
        ChangeField::MessageTemplateQualityUpdate => {
            return Ok(typed_or_raw(json, ChangeValue::TemplateQualityUpdate));
        }
        ChangeField::TemplateCategoryUpdate => {
            return Ok(typed_or_raw(json, ChangeValue::TemplateCategoryUpdate));
        }
        ChangeField::AccountUpdate => {
            return Ok(typed_or_raw(json, ChangeValue::AccountUpdate));
        }
        _ => return serde_json::from_str(json).map(ChangeValue::Other),
    };
    fill_unknown_raw(&mut value, || json)?;
    Ok(value)
}

/// The typed value of a management field, or its JSON when Meta changed the shape: these
/// notifications are informational, so a new shape must never cost the rest of the body.
/// (The value's text is valid JSON: the envelope's parse checked it.)
fn typed_or_raw<T: serde::de::DeserializeOwned>(
    json: &str,
    typed: fn(T) -> ChangeValue,
) -> ChangeValue {
    serde_json::from_str(json).map_or_else(
        |_| ChangeValue::Other(serde_json::from_str(json).unwrap_or(Value::Null)),
        typed,
    )
}

/// Gives each message of unknown content the JSON of its message, taken from the value's
/// text (asked for only when there is such a message).
pub(super) fn fill_unknown_raw<'j>(
    value: &mut ChangeValue,
    json: impl FnOnce() -> &'j str,
) -> Result<(), serde_json::Error> {
    match value {
        ChangeValue::Messages(value) => fill_contents(
            &mut value.messages,
            |message| &mut message.content,
            || Ok(serde_json::from_str::<RawItems<'j>>(json())?.messages),
        ),
        ChangeValue::MessageEchoes(value) => fill_contents(
            &mut value.message_echoes,
            |echo| &mut echo.content,
            || Ok(serde_json::from_str::<RawItems<'j>>(json())?.message_echoes),
        ),
        ChangeValue::TemplateStatusUpdate(_)
        | ChangeValue::TemplateQualityUpdate(_)
        | ChangeValue::TemplateCategoryUpdate(_)
        | ChangeValue::AccountUpdate(_)
        | ChangeValue::Other(_) => Ok(()),
    }
}

/// `raws` gives the same array as raw JSON, so the positions match.
fn fill_contents<'j, T>(
    messages: &mut [T],
    content: fn(&mut T) -> &mut MessageContent,
    raws: impl FnOnce() -> Result<Vec<&'j RawValue>, serde_json::Error>,
) -> Result<(), serde_json::Error> {
    if !messages
        .iter_mut()
        .any(|message| is_unknown(content(message)))
    {
        return Ok(());
    }
    let raws = raws()?;
    for (message, raw_item) in messages.iter_mut().zip(raws) {
        if let MessageContent::Unknown { raw, .. } = content(message) {
            *raw = serde_json::from_str(raw_item.get())?;
        }
    }
    Ok(())
}

fn is_unknown(content: &MessageContent) -> bool {
    matches!(content, MessageContent::Unknown { .. })
}
