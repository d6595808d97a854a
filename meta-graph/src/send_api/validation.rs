use std::fmt;

/// A request that breaks one of Meta's documented rules, so it was never sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationError {
    field: String,
    problem: Problem,
}

/// What is wrong with a field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A required value or list is empty, or only whitespace.
    Empty,
    /// The text has more characters (Unicode scalar values) than Meta allows.
    TooLong {
        /// The most characters allowed.
        max: usize,
        /// The characters the value has.
        actual: usize,
    },
    /// The list has more items than Meta allows.
    TooMany {
        /// The most items allowed.
        max: usize,
        /// The items there are.
        actual: usize,
    },
    /// The value must be an absolute `http://` or `https://` URL.
    NotHttpUrl,
    /// The combination is not allowed; the text says why.
    NotAllowed(&'static str),
}

impl ValidationError {
    /// An error for `field` (a path into the request body) with `problem`, for the checks a
    /// product crate adds on top of these.
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }

    /// The offending field as a path into the request body, such as
    /// `message.quick_replies[2].title`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match &self.problem {
            Problem::Empty => write!(f, "`{field}` is empty"),
            Problem::TooLong { max, actual } => {
                write!(
                    f,
                    "`{field}` has {actual} characters, at most {max} are allowed"
                )
            }
            Problem::TooMany { max, actual } => {
                write!(f, "`{field}` has {actual} items, at most {max} are allowed")
            }
            Problem::NotHttpUrl => write!(f, "`{field}` is not an http(s) URL"),
            Problem::NotAllowed(why) => write!(f, "`{field}`: {why}"),
        }
    }
}

impl std::error::Error for ValidationError {}

/// Checks shared by the builders; `field` is built only on failure.
pub(crate) fn text(
    value: &str,
    max: usize,
    field: impl FnOnce() -> String,
) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(field(), Problem::Empty));
    }
    max_chars(value, max, field)
}

pub(crate) fn max_chars(
    value: &str,
    max: usize,
    field: impl FnOnce() -> String,
) -> Result<(), ValidationError> {
    // Counting stops one past the limit: a huge value costs no more than a short one.
    let actual = value.chars().take(max + 1).count();
    if actual > max {
        let actual = value.chars().count();
        return Err(ValidationError::new(
            field(),
            Problem::TooLong { max, actual },
        ));
    }
    Ok(())
}

pub(crate) fn count(
    actual: usize,
    max: usize,
    field: impl FnOnce() -> String,
) -> Result<(), ValidationError> {
    if actual > max {
        return Err(ValidationError::new(
            field(),
            Problem::TooMany { max, actual },
        ));
    }
    Ok(())
}

pub(crate) fn http_url(value: &str, field: impl FnOnce() -> String) -> Result<(), ValidationError> {
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
        _ => Err(ValidationError::new(field(), Problem::NotHttpUrl)),
    }
}

pub(crate) fn not_blank(
    value: &str,
    field: impl FnOnce() -> String,
) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(field(), Problem::Empty));
    }
    Ok(())
}
