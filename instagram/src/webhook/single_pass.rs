//! The fast path of [`WebhookPayload::from_slice`]: the whole body in one pass, straight into
//! the typed items.
//!
//! The general path ([`Messaging`]'s `Deserialize`) first cuts each item out of the body as
//! raw JSON text and then parses that text again, so that it can fall back to keeping a
//! misshapen item whole. Here every item is read in its typed shape as the body is scanned.
//! Only the items the normalized model reports as `other` need their JSON: when a body has
//! any, its text, checked once, is scanned a second time to cut out just those. Anything
//! unusual (invalid UTF-8, an item or id of an unexpected shape, another object) returns
//! `None` and goes down the general path, which then decides, and reports any error, exactly
//! as it would have without this one.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::item_fields::deserialize_items;
use super::lenient::null_as_default;
use super::{Change, Entry, Messaging, OBJECT, Timestamp, WebhookPayload};
use crate::InstagramAccountId;

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    object: Cow<'a, str>,
    #[serde(default)]
    entry: Vec<WireEntry>,
}

/// [`Entry`] with its items read in one pass; the same keys and defaults.
#[derive(Deserialize)]
struct WireEntry {
    id: InstagramAccountId,
    #[serde(default, deserialize_with = "super::timestamp::lenient")]
    time: Option<Timestamp>,
    #[serde(default, deserialize_with = "deserialize_items")]
    messaging: Vec<Messaging>,
    #[serde(default, deserialize_with = "deserialize_items")]
    standby: Vec<Messaging>,
    #[serde(default, deserialize_with = "null_as_default")]
    changes: Vec<Change>,
}

/// The payload, or `None` to leave the body to the general path.
pub(super) fn parse(body: &[u8]) -> Option<WebhookPayload> {
    // Checked whole here (fast for ASCII), so that no string needs checking on its own and
    // invalid UTF-8 anywhere is left to the general path, which reports it.
    let text = std::str::from_utf8(body).ok()?;
    let envelope: Envelope<'_> = serde_json::from_str(text).ok()?;
    if envelope.object != OBJECT {
        return None;
    }
    let mut entries: Vec<Entry> = envelope
        .entry
        .into_iter()
        .map(|entry| Entry {
            id: entry.id,
            time: entry.time,
            messaging: entry.messaging,
            standby: entry.standby,
            changes: entry.changes,
        })
        .collect();
    let keeps_raw = entries.iter().any(|entry| {
        entry
            .messaging
            .iter()
            .chain(&entry.standby)
            .any(Messaging::keeps_raw)
    });
    if keeps_raw {
        fill_raw(text, &mut entries)?;
    }
    Some(WebhookPayload { entry: entries })
}

/// Gives every item that keeps its JSON the JSON cut out of the body; `None` if an item cannot
/// be kept (nested too deeply for a tree), which the general path then reports.
fn fill_raw(text: &str, entries: &mut [Entry]) -> Option<()> {
    #[derive(Deserialize)]
    struct Located<'a> {
        #[serde(borrow, default)]
        entry: Vec<EntryItems<'a>>,
    }

    #[derive(Deserialize)]
    struct EntryItems<'a> {
        #[serde(borrow, default, deserialize_with = "null_as_default")]
        messaging: Vec<&'a RawValue>,
        #[serde(borrow, default, deserialize_with = "null_as_default")]
        standby: Vec<&'a RawValue>,
    }

    // The body was read whole already, so this only finds where each item is.
    let located: Located<'_> = serde_json::from_str(text).ok()?;
    for (entry, raw) in entries.iter_mut().zip(&located.entry) {
        for (items, raw) in [
            (&mut entry.messaging, &raw.messaging),
            (&mut entry.standby, &raw.standby),
        ] {
            for (item, raw) in items.iter_mut().zip(raw) {
                if item.keeps_raw() {
                    item.set_raw(serde_json::from_str(raw.get()).ok()?);
                }
            }
        }
    }
    Some(())
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
    /// path returns, down to each kept item's JSON.
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
        let mut declined = Vec::new();
        for (name, body) in fixtures() {
            if !assert_agrees(&name, &body) {
                declined.push(name);
            }
        }
        // Only the reshaped batch and the other object go down the general path.
        assert_eq!(declined, ["drifted.json", "wrong_object.json"]);
    }

    #[test]
    fn the_benchmark_bodies_take_the_fast_path() {
        for path in ["benches/data/single.json", "benches/data/batch100.json"] {
            assert!(assert_agrees(path, &body(path)), "{path}");
        }
    }

    #[test]
    fn bad_input_is_left_to_the_general_path() {
        assert!(parse(b"{\"object\":\"page\",\"entry\":[]}").is_none());
        assert!(parse(b"{\"object\":\"instagram\",\"entry\":[").is_none());
        // Invalid UTF-8 inside a text: the general path rejects it, so one pass must not
        // accept it.
        let mut text = body("tests/fixtures/text.json");
        let at = text.windows(6).position(|w| w == b"Lisbon");
        text[at.expect("the fixture's text")] = 0xff;
        assert!(parse(&text).is_none());
        assert!(WebhookPayload::from_slice(&text).is_err());
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
