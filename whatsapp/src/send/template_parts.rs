use serde::ser::{Serialize, SerializeMap, Serializer};

use super::location::LocationObject;
use super::media_source::{MediaBody, MediaSource};
use crate::model;

/// A value for one variable of a template's header or body.
///
/// Templates created with positional variables (`{{1}}`) take parameters in order; templates
/// created with named variables (`{{first_name}}`) need every parameter [`named`](Self::named).
/// One message cannot mix the two.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Parameter {
    pub(super) name: Option<String>,
    pub(super) value: ParameterValue,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum ParameterValue {
    Text(String),
    Currency {
        fallback_value: String,
        code: String,
        amount_1000: i64,
    },
    DateTime {
        fallback_value: String,
    },
}

impl Parameter {
    /// A text value (`type: text`).
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            name: None,
            value: ParameterValue::Text(text.into()),
        }
    }

    /// An amount of money (`type: currency`): `amount_1000` is the amount times 1000 (`$10.99`
    /// is `10990`), `code` an ISO 4217 currency code such as `USD`, and `fallback_value` the
    /// text shown where WhatsApp cannot format the amount.
    pub fn currency(
        fallback_value: impl Into<String>,
        code: impl Into<String>,
        amount_1000: i64,
    ) -> Self {
        Self {
            name: None,
            value: ParameterValue::Currency {
                fallback_value: fallback_value.into(),
                code: code.into(),
                amount_1000,
            },
        }
    }

    /// A date and time (`type: date_time`), shown as `fallback_value` (the Cloud API always
    /// uses the fallback text).
    pub fn date_time(fallback_value: impl Into<String>) -> Self {
        Self {
            name: None,
            value: ParameterValue::DateTime {
                fallback_value: fallback_value.into(),
            },
        }
    }

    /// Fills the named variable `name` (`parameter_name`) instead of the next positional one.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// `{"type": "text", "parameter_name"?: …, "text": …}` and the same for `currency` and
/// `date_time`.
impl Serialize for Parameter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Currency<'a> {
            fallback_value: &'a str,
            code: &'a str,
            amount_1000: i64,
        }

        #[derive(serde::Serialize)]
        struct DateTime<'a> {
            fallback_value: &'a str,
        }

        let mut map = serializer.serialize_map(None)?;
        match &self.value {
            ParameterValue::Text(_) => map.serialize_entry("type", "text")?,
            ParameterValue::Currency { .. } => map.serialize_entry("type", "currency")?,
            ParameterValue::DateTime { .. } => map.serialize_entry("type", "date_time")?,
        }
        if let Some(name) = &self.name {
            map.serialize_entry("parameter_name", name)?;
        }
        match &self.value {
            ParameterValue::Text(text) => map.serialize_entry("text", text)?,
            ParameterValue::Currency {
                fallback_value,
                code,
                amount_1000,
            } => map.serialize_entry(
                "currency",
                &Currency {
                    fallback_value,
                    code,
                    amount_1000: *amount_1000,
                },
            )?,
            ParameterValue::DateTime { fallback_value } => {
                map.serialize_entry("date_time", &DateTime { fallback_value })?;
            }
        }
        map.end()
    }
}

/// The value for a template's header: a text variable, or the media or location of a media or
/// location header.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateHeader {
    pub(super) value: HeaderValue,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum HeaderValue {
    Text(Parameter),
    Image(MediaBody),
    Video(MediaBody),
    Document(MediaBody),
    Location(model::Location),
}

impl TemplateHeader {
    /// The header's text variable: at most
    /// [`TEMPLATE_HEADER_TEXT_PARAMETER_MAX_CHARS`](crate::limits::TEMPLATE_HEADER_TEXT_PARAMETER_MAX_CHARS)
    /// characters. Use [`Parameter::named`] through [`TemplateHeader::parameter`] for a
    /// template with named variables.
    pub fn text(text: impl Into<String>) -> Self {
        Self::parameter(Parameter::text(text))
    }

    /// The header's variable as a [`Parameter`], for a named one.
    pub fn parameter(parameter: Parameter) -> Self {
        Self {
            value: HeaderValue::Text(parameter),
        }
    }

    /// The image of an image header.
    pub fn image(media: impl Into<MediaSource>) -> Self {
        Self {
            value: HeaderValue::Image(MediaBody::new(media.into())),
        }
    }

    /// The video of a video header.
    pub fn video(media: impl Into<MediaSource>) -> Self {
        Self {
            value: HeaderValue::Video(MediaBody::new(media.into())),
        }
    }

    /// The document of a document header.
    pub fn document(media: impl Into<MediaSource>) -> Self {
        Self {
            value: HeaderValue::Document(MediaBody::new(media.into())),
        }
    }

    /// The document of a document header, shown with `filename`.
    pub fn document_with_filename(
        media: impl Into<MediaSource>,
        filename: impl Into<String>,
    ) -> Self {
        let mut document = MediaBody::new(media.into());
        document.filename = Some(filename.into());
        Self {
            value: HeaderValue::Document(document),
        }
    }

    /// The place of a location header; its `url`, if set, is not sent.
    pub fn location(location: model::Location) -> Self {
        Self {
            value: HeaderValue::Location(location),
        }
    }

    /// Meta's parameter `type` for this header.
    pub(super) fn kind(&self) -> &'static str {
        match &self.value {
            HeaderValue::Text(_) => "text",
            HeaderValue::Image(_) => "image",
            HeaderValue::Video(_) => "video",
            HeaderValue::Document(_) => "document",
            HeaderValue::Location(_) => "location",
        }
    }
}

/// The header's single parameter: a [`Parameter`], or `{"type": "image", "image": {…}}` and
/// the like.
impl Serialize for TemplateHeader {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let kind = self.kind();
        let media = match &self.value {
            HeaderValue::Text(parameter) => return parameter.serialize(serializer),
            HeaderValue::Location(location) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", kind)?;
                map.serialize_entry(kind, &LocationObject::from(location))?;
                return map.end();
            }
            HeaderValue::Image(media)
            | HeaderValue::Video(media)
            | HeaderValue::Document(media) => media,
        };
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("type", kind)?;
        map.serialize_entry(kind, media)?;
        map.end()
    }
}

/// The value for one of a template's buttons, at its zero-based `index` among the template's
/// buttons.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TemplateButton {
    pub(super) index: usize,
    pub(super) value: ButtonValue,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum ButtonValue {
    QuickReply(String),
    Url(String),
    CopyCode(String),
}

impl TemplateButton {
    /// The `payload` a quick-reply button sends back in the `button` webhook when tapped.
    pub fn quick_reply(index: usize, payload: impl Into<String>) -> Self {
        Self {
            index,
            value: ButtonValue::QuickReply(payload.into()),
        }
    }

    /// The suffix appended to a URL button's URL, for templates whose URL ends in a variable.
    pub fn url(index: usize, suffix: impl Into<String>) -> Self {
        Self {
            index,
            value: ButtonValue::Url(suffix.into()),
        }
    }

    /// The code a copy-code button copies: alphanumeric, at most
    /// [`TEMPLATE_COUPON_CODE_MAX_CHARS`](crate::limits::TEMPLATE_COUPON_CODE_MAX_CHARS)
    /// characters.
    pub fn copy_code(index: usize, coupon_code: impl Into<String>) -> Self {
        Self {
            index,
            value: ButtonValue::CopyCode(coupon_code.into()),
        }
    }

    /// The text value of the button's single parameter.
    pub(super) fn text(&self) -> &str {
        match &self.value {
            ButtonValue::QuickReply(text)
            | ButtonValue::Url(text)
            | ButtonValue::CopyCode(text) => text,
        }
    }
}

/// `{"type": "button", "sub_type": …, "index": "<n>", "parameters": [{…}]}`.
impl Serialize for TemplateButton {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Single<'a>(&'static str, &'a str);

        impl Serialize for Single<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", self.0)?;
                map.serialize_entry(self.0, self.1)?;
                map.end()
            }
        }

        let (sub_type, parameter) = match &self.value {
            ButtonValue::QuickReply(payload) => ("quick_reply", Single("payload", payload)),
            ButtonValue::Url(text) => ("url", Single("text", text)),
            ButtonValue::CopyCode(code) => ("copy_code", Single("coupon_code", code)),
        };
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("type", "button")?;
        map.serialize_entry("sub_type", sub_type)?;
        // Meta's examples send the index as a string.
        map.serialize_entry("index", &self.index.to_string())?;
        map.serialize_entry("parameters", &[parameter])?;
        map.end()
    }
}
