use serde::de::{Deserialize, Deserializer};
use serde_json::Value;

use super::ChangeField;

/// One `changes[]` item of an [`Entry`](super::Entry): an update of a non-messaging field
/// (`comments`, `live_comments`, `mentions`, `story_insights`, …), `{"field", "value"}`.
///
/// Kept exactly as sent, whatever its shape, and read through [`Change::field`] and
/// [`Change::value`].
#[derive(Clone, Debug, PartialEq)]
pub struct Change(Value);

impl Change {
    /// The webhook field, when `field` is a string.
    pub fn field(&self) -> Option<ChangeField> {
        self.0.get("field")?.as_str().map(ChangeField::from)
    }

    /// The change's `value`, as sent.
    pub fn value(&self) -> Option<&Value> {
        self.0.get("value")
    }

    /// The whole change, exactly as sent.
    pub fn json(&self) -> &Value {
        &self.0
    }

    /// Unwraps the change's JSON.
    pub fn into_json(self) -> Value {
        self.0
    }
}

impl<'de> Deserialize<'de> for Change {
    /// Accepts any JSON value, so that a reshaped change never fails a batch.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self)
    }
}
