use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::Limits;
use super::template::Template;
use super::validation::{self, Problem, ValidationError};

/// The kind of a media attachment (`attachment.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaKind {
    /// `image`: JPEG, PNG or GIF.
    Image,
    /// `video`.
    Video,
    /// `audio`.
    Audio,
    /// `file`: any other file, shown for download.
    File,
}

impl MediaKind {
    /// The kind as Meta spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::File => "file",
        }
    }
}

/// Where a media attachment's content comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaSource {
    /// A public URL Meta fetches; with `is_reusable`, Meta answers with an `attachment_id`
    /// to send the same file again without uploading it.
    Url {
        /// The file's URL.
        url: String,
        /// Whether to keep the file for reuse.
        is_reusable: bool,
    },
    /// A file uploaded before (Attachment Upload API) or saved from an earlier send.
    AttachmentId(String),
}

/// The `message.attachment` of a Send API message.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Attachment {
    /// An image, video, audio clip or file.
    Media {
        /// What it is.
        kind: MediaKind,
        /// Where it comes from.
        source: MediaSource,
    },
    /// A structured message: generic (carousel), button or media template.
    Template(Template),
    /// An attachment of a type this module does not model (such as Instagram's `like_heart`
    /// sticker): `type` and, when given, `payload`, sent as they are.
    Other {
        /// The `type`.
        kind: String,
        /// The `payload`, if any.
        payload: Option<Value>,
    },
}

impl Attachment {
    /// A media attachment fetched from `url`.
    pub fn url(kind: MediaKind, url: impl Into<String>) -> Self {
        Self::Media {
            kind,
            source: MediaSource::Url {
                url: url.into(),
                is_reusable: false,
            },
        }
    }

    /// A media attachment fetched from `url` and kept by Meta for reuse: the send's answer
    /// carries its `attachment_id`.
    pub fn reusable_url(kind: MediaKind, url: impl Into<String>) -> Self {
        Self::Media {
            kind,
            source: MediaSource::Url {
                url: url.into(),
                is_reusable: true,
            },
        }
    }

    /// A media attachment uploaded before.
    pub fn attachment_id(kind: MediaKind, id: impl Into<String>) -> Self {
        Self::Media {
            kind,
            source: MediaSource::AttachmentId(id.into()),
        }
    }

    pub(crate) fn check(&self, limits: &Limits, field: &str) -> Result<(), ValidationError> {
        match self {
            Self::Media { source, .. } => match source {
                MediaSource::Url { url, .. } => {
                    validation::http_url(url, || format!("{field}.payload.url"))
                }
                MediaSource::AttachmentId(id) if id.trim().is_empty() => Err(ValidationError::new(
                    format!("{field}.payload.attachment_id"),
                    Problem::Empty,
                )),
                MediaSource::AttachmentId(_) => Ok(()),
            },
            Self::Template(template) => template.check(limits, &format!("{field}.payload")),
            Self::Other { kind, .. } if kind.trim().is_empty() => Err(ValidationError::new(
                format!("{field}.type"),
                Problem::Empty,
            )),
            Self::Other { .. } => Ok(()),
        }
    }
}

/// `{"type": …, "payload": {…}}`.
impl Serialize for Attachment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Self::Media { kind, source } => {
                map.serialize_entry("type", kind.as_str())?;
                map.serialize_entry("payload", &MediaPayload(source))?;
            }
            Self::Template(template) => {
                map.serialize_entry("type", "template")?;
                map.serialize_entry("payload", template)?;
            }
            Self::Other { kind, payload } => {
                map.serialize_entry("type", kind)?;
                if let Some(payload) = payload {
                    map.serialize_entry("payload", payload)?;
                }
            }
        }
        map.end()
    }
}

struct MediaPayload<'a>(&'a MediaSource);

impl Serialize for MediaPayload<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self.0 {
            MediaSource::Url { url, is_reusable } => {
                map.serialize_entry("url", url)?;
                if *is_reusable {
                    map.serialize_entry("is_reusable", &true)?;
                }
            }
            MediaSource::AttachmentId(id) => map.serialize_entry("attachment_id", id)?,
        }
        map.end()
    }
}
