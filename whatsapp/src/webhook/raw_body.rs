//! The text of a whole webhook body, kept so that a change parsed in one pass can still give
//! the exact text of its `value` ([`Change::value_json`](super::Change::value_json)).

use std::ops::Range;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;

pub(super) struct RawBody {
    text: Box<str>,
    /// Where each change's value sits in `text`, by entry and then by change; found the first
    /// time one is asked for.
    values: OnceLock<Vec<Vec<Range<usize>>>>,
}

impl RawBody {
    pub(super) fn new(text: &str) -> Self {
        Self {
            text: text.into(),
            values: OnceLock::new(),
        }
    }

    /// The text of the `change`th change's value in the `entry`th entry.
    pub(super) fn value(&self, entry: usize, change: usize) -> Option<&str> {
        let values = self.values.get_or_init(|| locate_values(&self.text));
        self.text.get(values.get(entry)?.get(change)?.clone())
    }
}

/// Scans the body once more, keeping only where each `value` is. The body was already parsed
/// whole, so this does not fail; if it did, no value would be found.
fn locate_values(text: &str) -> Vec<Vec<Range<usize>>> {
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow, default)]
        entry: Vec<EntryValues<'a>>,
    }

    #[derive(Deserialize)]
    struct EntryValues<'a> {
        #[serde(borrow, default)]
        changes: Vec<ChangeValueText<'a>>,
    }

    #[derive(Deserialize)]
    struct ChangeValueText<'a> {
        #[serde(borrow)]
        value: &'a RawValue,
    }

    let Ok(envelope) = serde_json::from_str::<Envelope<'_>>(text) else {
        return Vec::new();
    };
    let start = text.as_ptr().addr();
    envelope
        .entry
        .iter()
        .map(|entry| {
            entry
                .changes
                .iter()
                .map(|change| {
                    // The raw value borrows from `text`, so its address gives its offset.
                    let json = change.value.get();
                    let offset = json.as_ptr().addr().wrapping_sub(start);
                    offset..offset.wrapping_add(json.len())
                })
                .collect()
        })
        .collect()
}
