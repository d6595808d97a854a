use serde::ser::{Serialize, SerializeMap, Serializer};

use super::validate;
use crate::ValidationProblem;
use crate::limits::Limit;
use crate::{Error, MediaId};

/// Where the media of a message comes from: an uploaded asset or a public URL.
///
/// Meta recommends uploading (`id`); with `link`, WhatsApp downloads the file from your server
/// when it sends the message. A message carries exactly one of the two.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaSource {
    /// An asset uploaded through the media endpoint, sent as `id`.
    Id(MediaId),
    /// A public HTTP or HTTPS URL, sent as `link`.
    Link(String),
}

impl MediaSource {
    /// An uploaded asset.
    pub fn id(id: impl Into<MediaId>) -> Self {
        Self::Id(id.into())
    }

    /// A file on a public HTTP(S) server.
    pub fn link(url: impl Into<String>) -> Self {
        Self::Link(url.into())
    }

    /// The id must not be blank; the link must be an `http://` or `https://` URL, the only
    /// schemes Meta fetches.
    pub(super) fn validate(&self, field: impl Fn() -> String) -> Result<(), Error> {
        match self {
            Self::Id(id) => validate::not_blank(id.as_str(), || format!("{}.id", field())),
            Self::Link(url) => {
                validate::not_blank(url, || format!("{}.link", field()))?;
                let scheme = url.split_once("://").map(|(scheme, _)| scheme);
                if scheme.is_some_and(|s| {
                    s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https")
                }) {
                    Ok(())
                } else {
                    validate::fail(
                        || format!("{}.link", field()),
                        ValidationProblem::Invalid("not an http:// or https:// URL"),
                    )
                }
            }
        }
    }
}

impl From<MediaId> for MediaSource {
    fn from(id: MediaId) -> Self {
        Self::Id(id)
    }
}

/// `{"id": …}` or `{"link": …}`, also flattened into media objects.
impl Serialize for MediaSource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        match self {
            Self::Id(id) => map.serialize_entry("id", id)?,
            Self::Link(url) => map.serialize_entry("link", url)?,
        }
        map.end()
    }
}

/// The media object of an image, video, audio, document or sticker message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct MediaBody {
    #[serde(flatten)]
    pub(crate) source: MediaSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) voice: Option<bool>,
}

impl MediaBody {
    pub(crate) fn new(source: MediaSource) -> Self {
        Self {
            source,
            caption: None,
            filename: None,
            voice: None,
        }
    }

    /// Checks the source, and the caption and file name when the builder of `kind` set them.
    pub(crate) fn check(&self, kind: &'static str) -> Result<(), Error> {
        self.source.validate(|| kind.to_owned())?;
        validate::optional(self.caption.as_deref(), Limit::Caption, || {
            format!("{kind}.caption")
        })?;
        if let Some(filename) = &self.filename {
            validate::not_blank(filename, || format!("{kind}.filename"))?;
        }
        Ok(())
    }
}
