use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::Coordinates;
use super::lenient::OptId;
use crate::AttachmentId;

/// The `payload` of a message [`Attachment`](super::Attachment).
///
/// The fields Meta documents across attachment types are typed; everything else (a template's
/// `template_type` and `elements`, fields Meta adds later) is kept in
/// [`other`](AttachmentPayload::other).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct AttachmentPayload {
    /// Where the media can be downloaded.
    pub url: Option<String>,
    /// The sticker, for stickers; Meta sends it as a number, kept here as a string.
    pub sticker_id: Option<String>,
    /// The attachment's id, which the Send API can reuse.
    pub attachment_id: Option<AttachmentId>,
    /// The point of a `location` attachment.
    pub coordinates: Option<Coordinates>,
    /// Every other field, exactly as sent.
    pub other: Map<String, Value>,
}

/// A key of a payload; the typed ones are matched without allocating.
enum Key {
    Url,
    StickerId,
    AttachmentId,
    Coordinates,
    Other(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a payload key")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key, E> {
                Ok(match value {
                    "url" => Key::Url,
                    "sticker_id" => Key::StickerId,
                    "attachment_id" => Key::AttachmentId,
                    "coordinates" => Key::Coordinates,
                    other => Key::Other(other.to_owned()),
                })
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Written out rather than derived with `#[serde(flatten)]`, which buffers every payload in
/// an intermediate tree before reading it: the same fields, one pass.
impl<'de> Deserialize<'de> for AttachmentPayload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PayloadVisitor;

        impl<'de> Visitor<'de> for PayloadVisitor {
            type Value = AttachmentPayload;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an attachment payload object")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<AttachmentPayload, A::Error> {
                let mut payload = AttachmentPayload {
                    url: None,
                    sticker_id: None,
                    attachment_id: None,
                    coordinates: None,
                    other: Map::new(),
                };
                // The typed keys already read, to refuse a repeated one as a derive would.
                let mut seen = [false; 4];
                while let Some(key) = map.next_key::<Key>()? {
                    let (index, name) = match &key {
                        Key::Url => (0, "url"),
                        Key::StickerId => (1, "sticker_id"),
                        Key::AttachmentId => (2, "attachment_id"),
                        Key::Coordinates => (3, "coordinates"),
                        Key::Other(_) => (usize::MAX, ""),
                    };
                    if let Some(seen) = seen.get_mut(index) {
                        if *seen {
                            return Err(de::Error::duplicate_field(name));
                        }
                        *seen = true;
                    }
                    match key {
                        Key::Url => payload.url = map.next_value()?,
                        Key::StickerId => {
                            payload.sticker_id = map.next_value::<OptId<String>>()?.0;
                        }
                        Key::AttachmentId => {
                            payload.attachment_id = map.next_value::<OptId<AttachmentId>>()?.0;
                        }
                        Key::Coordinates => payload.coordinates = map.next_value()?,
                        Key::Other(key) => {
                            payload.other.insert(key, map.next_value()?);
                        }
                    }
                }
                Ok(payload)
            }
        }

        deserializer.deserialize_map(PayloadVisitor)
    }
}
