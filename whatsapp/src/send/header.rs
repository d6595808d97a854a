use serde::ser::{Serialize, SerializeMap, Serializer};

use super::media_source::MediaSource;
use super::validate;
use crate::Error;
use crate::limits::Limit;

/// The header of a reply-buttons or call-to-action URL message: a short text or one media
/// asset shown above the body.
///
/// List and Flow messages take a text header only, so their builders take a string instead.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Header {
    /// A text header: at most [`HEADER_TEXT_MAX_CHARS`](crate::limits::HEADER_TEXT_MAX_CHARS)
    /// characters.
    Text(String),
    /// An image header.
    Image(MediaSource),
    /// A video header.
    Video(MediaSource),
    /// A document header.
    Document(MediaSource),
}

impl Header {
    /// A text header.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// An image header from an uploaded asset or a public URL.
    pub fn image(media: impl Into<MediaSource>) -> Self {
        Self::Image(media.into())
    }

    /// A video header from an uploaded asset or a public URL.
    pub fn video(media: impl Into<MediaSource>) -> Self {
        Self::Video(media.into())
    }

    /// A document header from an uploaded asset or a public URL.
    pub fn document(media: impl Into<MediaSource>) -> Self {
        Self::Document(media.into())
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Image(_) => "image",
            Self::Video(_) => "video",
            Self::Document(_) => "document",
        }
    }

    pub(super) fn validate(&self) -> Result<(), Error> {
        match self {
            Self::Text(text) => validate::required(text, Limit::HeaderText, || {
                "interactive.header.text".to_owned()
            }),
            Self::Image(media) | Self::Video(media) | Self::Document(media) => {
                media.validate(|| format!("interactive.header.{}", self.kind()))
            }
        }
    }
}

/// `{"type": "text", "text": …}` or `{"type": "image", "image": {"id" | "link": …}}`.
impl Serialize for Header {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        let kind = self.kind();
        map.serialize_entry("type", kind)?;
        match self {
            Self::Text(text) => map.serialize_entry(kind, text)?,
            Self::Image(media) | Self::Video(media) | Self::Document(media) => {
                map.serialize_entry(kind, media)?;
            }
        }
        map.end()
    }
}
