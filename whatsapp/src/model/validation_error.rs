use std::error::Error as StdError;
use std::fmt;

use super::ValidationProblem;
use crate::{Error, ErrorKind};

/// Which field of a management request (template creation, business profile update, media
/// upload, app subscription) breaks which of Meta's documented limits.
///
/// Validation methods such as [`CreateTemplate::validate`](super::CreateTemplate::validate)
/// return a crate [`Error`] of kind [`ErrorKind::Validation`]; this detail is its
/// [`source`](std::error::Error::source), most easily read with
/// [`Error::model_validation`]. (Outgoing messages report theirs through
/// [`Error::validation`] instead.)
///
/// ```
/// use metabiz_whatsapp::model::{CreateTemplate, TemplateCategory, TemplateComponent, ValidationProblem};
///
/// let template = CreateTemplate::new("Order-Update", "en_US", TemplateCategory::Utility)
///     .component(TemplateComponent::body("Your order has shipped."));
/// let error = template.validate().unwrap_err();
/// let detail = error.model_validation().unwrap();
/// assert_eq!(detail.field(), "name");
/// assert!(matches!(detail.problem(), ValidationProblem::InvalidCharacters { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    field: String,
    problem: ValidationProblem,
}

impl ValidationError {
    pub(crate) fn new(field: impl Into<String>, problem: ValidationProblem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }

    /// The offending field, as a path into the JSON body: `name`,
    /// `components[2].buttons[0].text`, `websites[1]`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &ValidationProblem {
        &self.problem
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.problem)
    }
}

impl StdError for ValidationError {}

impl From<ValidationError> for Error {
    fn from(detail: ValidationError) -> Self {
        Error::with_source(ErrorKind::Validation, detail)
    }
}

impl Error {
    /// Which field broke which limit, when this error comes from validating a management
    /// request of [`model`](crate::model).
    pub fn model_validation(&self) -> Option<&ValidationError> {
        StdError::source(self)?.downcast_ref()
    }
}

/// Fails when `value` has more than `max` characters.
pub(crate) fn check_max_chars(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    // Only count when the byte length could exceed the limit: most values are short ASCII.
    if value.len() <= max {
        return Ok(());
    }
    let actual = value.chars().count();
    if actual > max {
        return Err(ValidationError::new(
            field,
            ValidationProblem::TooLong { max, actual },
        ));
    }
    Ok(())
}

/// Fails when `value` is empty or has more than `max` characters.
pub(crate) fn check_text(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::new(field, ValidationProblem::Empty));
    }
    check_max_chars(field, value, max)
}

/// Fails when there are more than `max` items.
pub(crate) fn check_max_items(
    field: &str,
    actual: usize,
    max: usize,
) -> Result<(), ValidationError> {
    if actual > max {
        return Err(ValidationError::new(
            field,
            ValidationProblem::TooMany { max, actual },
        ));
    }
    Ok(())
}

/// Fails unless `value` starts with `http://` or `https://` (in any letter case).
pub(crate) fn check_http_url(field: &str, value: &str) -> Result<(), ValidationError> {
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        Err(ValidationError::new(field, ValidationProblem::NotHttpUrl))
    }
}
