use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::lenient::OptId;

/// The `payload` of a message [`Attachment`](super::Attachment).
///
/// The fields Meta documents are typed; everything else (fields of attachment types Meta adds
/// later, say) is kept in [`other`](AttachmentPayload::other).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct AttachmentPayload {
    /// Where the media can be fetched: a CDN URL for media and story mentions, a link for
    /// shares.
    pub url: Option<String>,
    /// The caption of a shared post or reel.
    pub title: Option<String>,
    /// The shared post's media id (`ig_post`, and the `share` sent beside it).
    pub ig_post_media_id: Option<String>,
    /// Every other field, exactly as sent.
    pub other: Map<String, Value>,
}

/// A key of a payload; the typed ones are matched without allocating.
enum Key {
    Url,
    Title,
    IgPostMediaId,
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
                    "title" => Key::Title,
                    "ig_post_media_id" => Key::IgPostMediaId,
                    other => Key::Other(other.to_owned()),
                })
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Written out rather than derived with `#[serde(flatten)]`, which buffers every payload in an
/// intermediate tree before reading it: the same fields, one pass.
impl<'de> Deserialize<'de> for AttachmentPayload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PayloadVisitor)
    }
}

struct PayloadVisitor;

impl<'de> Visitor<'de> for PayloadVisitor {
    type Value = AttachmentPayload;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an attachment payload object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttachmentPayload, A::Error> {
        // Each typed key at most once, as a derived struct would insist.
        let mut seen = 0_u8;
        let mut first = |bit: u8, name: &'static str| {
            if seen & bit == 0 {
                seen |= bit;
                Ok(())
            } else {
                Err(de::Error::duplicate_field(name))
            }
        };
        let mut url = None;
        let mut title = None;
        let mut ig_post_media_id = None;
        let mut other = Map::new();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Url => {
                    first(1, "url")?;
                    url = map.next_value()?;
                }
                Key::Title => {
                    first(2, "title")?;
                    title = map.next_value()?;
                }
                Key::IgPostMediaId => {
                    first(4, "ig_post_media_id")?;
                    ig_post_media_id = map.next_value::<OptId<String>>()?.0;
                }
                Key::Other(key) => {
                    other.insert(key, map.next_value()?);
                }
            }
        }
        Ok(AttachmentPayload {
            url,
            title,
            ig_post_media_id,
            other,
        })
    }
}
