//! The typed reason a request failed validation, and the checks every builder and `validate()`
//! shares.

use std::collections::HashSet;
use std::error::Error as StdError;
use std::fmt;

use crate::limits::Limit;
use crate::{Error, ErrorKind};

/// Which field of a request breaks which of Meta's documented rules, and how.
///
/// Outgoing messages (the builders of [`send`](crate::send)) and management requests (template
/// creation, business profile update, media upload, app subscription in
/// [`model`](crate::model)) both fail with an [`Error`] of kind [`ErrorKind::Validation`]; this
/// detail is its [`source`](std::error::Error::source), most easily read with
/// [`Error::validation`].
///
/// ```
/// use metabiz_whatsapp::ValidationProblem;
/// use metabiz_whatsapp::model::{CreateTemplate, TemplateCategory, TemplateComponent};
///
/// let template = CreateTemplate::new("Order-Update", "en_US", TemplateCategory::Utility)
///     .component(TemplateComponent::body("Your order has shipped."));
/// let error = template.validate().unwrap_err();
/// let detail = error.validation().unwrap();
/// assert_eq!(detail.field(), "name");
/// assert!(matches!(detail.problem(), ValidationProblem::InvalidCharacters { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    field: String,
    problem: ValidationProblem,
    limit: Option<Limit>,
}

/// What is wrong with the field a [`ValidationError`] names.
///
/// Lengths are counted in characters (Unicode scalar values), sizes in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidationProblem {
    /// A required value (or list) is empty, or only whitespace.
    Empty,
    /// A required value is absent.
    Missing,
    /// The text has more characters than Meta allows.
    TooLong {
        /// The most characters Meta allows.
        max: usize,
        /// The characters the value has.
        actual: usize,
    },
    /// The list has more items (buttons, rows, components, websites) than Meta allows.
    TooMany {
        /// The most items Meta allows.
        max: usize,
        /// The items there are.
        actual: usize,
    },
    /// A file is larger than Meta accepts for its media type.
    TooLarge {
        /// The largest size Meta accepts, in bytes.
        max: u64,
        /// The file's size, in bytes.
        actual: u64,
    },
    /// The value repeats an earlier one where Meta requires unique values.
    Duplicate,
    /// A number outside the range Meta accepts (coordinates, button indexes).
    OutOfRange,
    /// The value does not have the format Meta requires; the text says which.
    Invalid(&'static str),
    /// The value contains characters Meta does not allow there.
    InvalidCharacters {
        /// The characters that are allowed.
        allowed: &'static str,
    },
    /// A parameter placeholder (`{{1}}`, `{{first_name}}`) has no example value; Meta rejects
    /// templates whose parameters lack examples.
    MissingExample {
        /// The placeholder's name or number, without braces.
        parameter: String,
    },
    /// The value must be an absolute `http://` or `https://` URL.
    NotHttpUrl,
    /// Meta does not accept this MIME type for any media category.
    UnsupportedMimeType {
        /// The MIME type as given.
        mime_type: String,
    },
}

impl ValidationError {
    fn new(field: String, problem: ValidationProblem, limit: Option<Limit>) -> Self {
        Self {
            field,
            problem,
            limit,
        }
    }

    /// The offending field as a path into the request body, such as
    /// `interactive.action.buttons[1].reply.title` or `components[2].buttons[0].text`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with the field.
    pub fn problem(&self) -> &ValidationProblem {
        &self.problem
    }

    /// The named limit of [`limits`](crate::limits) an outgoing message broke, for
    /// [`ValidationProblem::TooLong`] and [`ValidationProblem::TooMany`]. Management requests
    /// state their limits as plain constants, so this is `None` for them.
    pub fn limit(&self) -> Option<Limit> {
        self.limit
    }

    /// The actual length or count, for [`ValidationProblem::TooLong`] and
    /// [`ValidationProblem::TooMany`].
    pub fn actual(&self) -> Option<usize> {
        match self.problem {
            ValidationProblem::TooLong { actual, .. }
            | ValidationProblem::TooMany { actual, .. } => Some(actual),
            _ => None,
        }
    }

    /// The largest length or count allowed, for [`ValidationProblem::TooLong`] and
    /// [`ValidationProblem::TooMany`].
    pub fn max(&self) -> Option<usize> {
        match self.problem {
            ValidationProblem::TooLong { max, .. } | ValidationProblem::TooMany { max, .. } => {
                Some(max)
            }
            _ => None,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.problem)
    }
}

impl StdError for ValidationError {}

impl fmt::Display for ValidationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("is empty"),
            Self::Missing => f.write_str("is required"),
            Self::TooLong { max, actual } => {
                write!(f, "has {actual} characters, more than the {max} allowed")
            }
            Self::TooMany { max, actual } => {
                write!(f, "has {actual} items, more than the {max} allowed")
            }
            Self::TooLarge { max, actual } => {
                write!(f, "is {actual} bytes, more than the {max} allowed")
            }
            Self::Duplicate => f.write_str("repeats a value that must be unique"),
            Self::OutOfRange => f.write_str("is out of range"),
            Self::Invalid(reason) => write!(f, "is invalid: {reason}"),
            Self::InvalidCharacters { allowed } => write!(f, "may only contain {allowed}"),
            Self::MissingExample { parameter } => {
                write!(f, "parameter {{{{{parameter}}}}} has no example value")
            }
            Self::NotHttpUrl => f.write_str("must start with http:// or https://"),
            Self::UnsupportedMimeType { mime_type } => {
                write!(f, "MIME type {mime_type:?} is not accepted by WhatsApp")
            }
        }
    }
}

/// The path of the field at fault. Builders pass a closure so the path is only formatted on
/// failure; fixed paths can be given as text.
pub(crate) trait FieldPath {
    fn path(self) -> String;
}

impl FieldPath for &str {
    fn path(self) -> String {
        self.to_owned()
    }
}

impl FieldPath for String {
    fn path(self) -> String {
        self
    }
}

impl FieldPath for &String {
    fn path(self) -> String {
        self.clone()
    }
}

impl<F: FnOnce() -> String> FieldPath for F {
    fn path(self) -> String {
        self()
    }
}

/// The largest length or count allowed: a named [`Limit`] of an outgoing message, or a plain
/// constant of a management request.
#[derive(Clone, Copy)]
pub(crate) struct Max {
    max: usize,
    limit: Option<Limit>,
}

impl From<Limit> for Max {
    fn from(limit: Limit) -> Self {
        Self {
            max: limit.max(),
            limit: Some(limit),
        }
    }
}

impl From<usize> for Max {
    fn from(max: usize) -> Self {
        Self { max, limit: None }
    }
}

/// The validation error for `problem` at `field`.
pub(crate) fn invalid(field: impl FieldPath, problem: ValidationProblem) -> Error {
    invalid_with(field.path(), problem, None)
}

fn invalid_with(field: String, problem: ValidationProblem, limit: Option<Limit>) -> Error {
    Error::with_source(
        ErrorKind::Validation,
        ValidationError::new(field, problem, limit),
    )
}

/// Fails with `problem` at `field`.
pub(crate) fn fail<T>(field: impl FieldPath, problem: ValidationProblem) -> Result<T, Error> {
    Err(invalid(field, problem))
}

/// A required text: not blank, and at most `max` characters.
pub(crate) fn required(
    value: &str,
    max: impl Into<Max>,
    field: impl FieldPath,
) -> Result<(), Error> {
    if value.trim().is_empty() {
        return fail(field, ValidationProblem::Empty);
    }
    max_chars(value, max, field)
}

/// An optional text: when set, checked like [`required`] (setting an empty value is a mistake,
/// and Meta rejects empty header, footer and title objects).
pub(crate) fn optional(
    value: Option<&str>,
    max: impl Into<Max>,
    field: impl FieldPath,
) -> Result<(), Error> {
    value.map_or(Ok(()), |value| required(value, max, field))
}

/// At most `max` characters, counted as Unicode scalar values.
pub(crate) fn max_chars(
    value: &str,
    max: impl Into<Max>,
    field: impl FieldPath,
) -> Result<(), Error> {
    let Max { max, limit } = max.into();
    // Every scalar value takes at least one byte, so short strings need no counting.
    if value.len() <= max {
        return Ok(());
    }
    let actual = value.chars().count();
    if actual > max {
        return Err(invalid_with(
            field.path(),
            ValidationProblem::TooLong { max, actual },
            limit,
        ));
    }
    Ok(())
}

/// A value without a documented length: only not blank.
pub(crate) fn not_blank(value: &str, field: impl FieldPath) -> Result<(), Error> {
    if value.trim().is_empty() {
        return fail(field, ValidationProblem::Empty);
    }
    Ok(())
}

/// A list with at least one and at most `max` items.
pub(crate) fn count(len: usize, max: impl Into<Max>, field: impl FieldPath) -> Result<(), Error> {
    if len == 0 {
        return fail(field, ValidationProblem::Empty);
    }
    max_items(len, max, field)
}

/// A list with at most `max` items (possibly none).
pub(crate) fn max_items(
    len: usize,
    max: impl Into<Max>,
    field: impl FieldPath,
) -> Result<(), Error> {
    let Max { max, limit } = max.into();
    if len > max {
        return Err(invalid_with(
            field.path(),
            ValidationProblem::TooMany { max, actual: len },
            limit,
        ));
    }
    Ok(())
}

/// An absolute `http://` or `https://` URL (scheme in any letter case).
pub(crate) fn http_url(value: &str, field: impl FieldPath) -> Result<(), Error> {
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        fail(field, ValidationProblem::NotHttpUrl)
    }
}

/// Remembers values that must be unique within one request.
pub(crate) struct Unique<'a>(HashSet<&'a str>);

impl<'a> Unique<'a> {
    pub(crate) fn new() -> Self {
        Self(HashSet::new())
    }

    /// Fails when `value` was seen before.
    pub(crate) fn check(&mut self, value: &'a str, field: impl FieldPath) -> Result<(), Error> {
        if self.0.insert(value) {
            Ok(())
        } else {
            fail(field, ValidationProblem::Duplicate)
        }
    }
}
