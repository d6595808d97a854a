//! The fast path of [`WebhookPayload::from_slice`]: the whole body in one pass, for the bodies
//! Meta sends by the million (UTF-8, every change a `messages` or `smb_message_echoes`
//! change).
//!
//! Meta writes a change's `value` before its `field`, so the general path
//! ([`Change`]'s `Deserialize`) first scans the value as raw JSON text and then parses that text
//! again. Here the value is parsed at once with the keys of both typed values, and the field
//! then says which of them it is. Anything else (another field, invalid input, an unusual
//! shape) returns `None` and goes down the general path, which then decides, and reports any
//! error, exactly as it would have without this one.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize;

use super::change::fill_unknown_raw;
use super::message::{deserialize_echoes, deserialize_messages};
use super::raw_body::RawBody;
use super::{
    Change, ChangeField, ChangeValue, Contact, Entry, Message, MessageEcho, MessageEchoesValue,
    MessagesValue, Metadata, OBJECT, ReportedError, Status, Timestamp, WebhookPayload,
};
use crate::WabaId;

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    object: Cow<'a, str>,
    #[serde(default)]
    entry: Vec<WireEntry>,
}

/// [`Entry`] with its changes parsed in one pass; the same keys and defaults.
#[derive(Deserialize)]
struct WireEntry {
    id: WabaId,
    #[serde(default)]
    time: Option<Timestamp>,
    #[serde(default)]
    changes: Vec<WireChange>,
}

#[derive(Deserialize)]
struct WireChange {
    field: ChangeField,
    value: AnyValue,
}

/// The keys of a `messages` value and of an `smb_message_echoes` value together, so the value
/// can be parsed before its field is known. Each field ignores the other's keys, as the
/// general path does.
#[derive(Deserialize)]
struct AnyValue {
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
    #[serde(default, deserialize_with = "deserialize_echoes")]
    message_echoes: Vec<MessageEcho>,
}

impl AnyValue {
    /// The typed value for `field`, `None` for the fields the general path handles.
    fn into_value(self, field: &ChangeField) -> Option<ChangeValue> {
        match field {
            ChangeField::Messages => Some(ChangeValue::Messages(MessagesValue {
                messaging_product: self.messaging_product,
                metadata: self.metadata,
                contacts: self.contacts,
                messages: self.messages,
                statuses: self.statuses,
                errors: self.errors,
            })),
            ChangeField::SmbMessageEchoes => Some(ChangeValue::MessageEchoes(MessageEchoesValue {
                messaging_product: self.messaging_product,
                metadata: self.metadata,
                message_echoes: self.message_echoes,
            })),
            _ => None,
        }
    }
}

/// The payload, or `None` to leave the body to the general path.
pub(super) fn parse(body: &[u8]) -> Option<WebhookPayload> {
    // Checked whole here (fast for ASCII), so that no string needs checking on its own and
    // invalid UTF-8 anywhere is left to the general path, which rejects it inside a `value`.
    let text = std::str::from_utf8(body).ok()?;
    let envelope: Envelope<'_> = serde_json::from_str(text).ok()?;
    if envelope.object != OBJECT {
        return None;
    }
    let raw_body = Arc::new(RawBody::new(text));
    let mut entries = Vec::with_capacity(envelope.entry.len());
    for (entry_index, entry) in envelope.entry.into_iter().enumerate() {
        let mut changes = Vec::with_capacity(entry.changes.len());
        for (change_index, change) in entry.changes.into_iter().enumerate() {
            let mut value = change.value.into_value(&change.field)?;
            fill_unknown_raw(&mut value, || {
                raw_body.value(entry_index, change_index).unwrap_or("null")
            })
            .ok()?;
            changes.push(Change::in_body(
                change.field,
                value,
                Arc::clone(&raw_body),
                entry_index,
                change_index,
            ));
        }
        entries.push(Entry {
            id: entry.id,
            time: entry.time,
            changes,
        });
    }
    Some(WebhookPayload { entry: entries })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::parse;
    use crate::webhook::WebhookPayload;

    fn body(path: &str) -> Vec<u8> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read(&path).unwrap_or_else(|err| panic!("reading {}: {err}", path.display()))
    }

    fn fixtures() -> Vec<(String, Vec<u8>)> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("the fixtures folder")
            .map(|entry| entry.expect("a fixture").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|path| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&path).expect("a readable fixture"))
            })
            .collect()
    }

    /// The one-pass parse may decline a body, but what it returns must be what the general
    /// path returns, down to each value's raw text (`Change`'s `PartialEq` compares it).
    fn assert_agrees(name: &str, body: &[u8]) -> bool {
        let Some(fast) = parse(body) else {
            return false;
        };
        match WebhookPayload::from_slice_general(body) {
            Ok(general) => assert_eq!(fast, general, "{name}"),
            Err(err) => panic!("{name}: one pass parsed what the general path rejects: {err:?}"),
        }
        true
    }

    #[test]
    fn every_fixture_parses_the_same_in_one_pass() {
        let mut taken = Vec::new();
        for (name, body) in fixtures() {
            if assert_agrees(&name, &body) {
                taken.push(name);
            }
        }
        // The common bodies must take the fast path, or the benchmark measures the wrong one.
        for name in [
            "text.json",
            "escaped_text.json",
            "statuses_sent_delivered_read.json",
            "smb_message_echoes.json",
            "unknown_type.json",
            "system.json",
        ] {
            assert!(taken.iter().any(|taken| taken == name), "{name} not taken");
        }
    }

    #[test]
    fn the_benchmark_bodies_take_the_fast_path() {
        for path in ["benches/data/single.json", "benches/data/batch100.json"] {
            assert!(assert_agrees(path, &body(path)), "{path}");
        }
    }

    #[test]
    fn other_fields_and_bad_input_are_left_to_the_general_path() {
        assert!(parse(&body("tests/fixtures/unknown_field_calls.json")).is_none());
        assert!(parse(b"{\"object\":\"page\",\"entry\":[]}").is_none());
        assert!(parse(b"{\"object\":\"whatsapp_business_account\",\"entry\":[").is_none());
        // Invalid UTF-8 inside a value: the general path rejects it, so one pass must not
        // accept it.
        let mut text = body("tests/fixtures/text.json");
        let at = text.windows(7).position(|w| w == b"another");
        text[at.expect("the fixture's text")] = 0xff;
        assert!(parse(&text).is_none());
    }

    proptest! {
        #[test]
        fn corrupted_bodies_agree(
            fixture in 0usize..64,
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ) {
            let fixtures = fixtures();
            let (name, mut body) = fixtures[fixture % fixtures.len()].clone();
            for (at, byte) in edits {
                let at = at.index(body.len());
                body[at] = byte;
            }
            assert_agrees(&name, &body);
        }
    }
}
