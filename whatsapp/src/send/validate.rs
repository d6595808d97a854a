//! The typed reason a message failed validation, and the checks the builders share.

use std::collections::HashSet;
use std::error::Error as StdError;
use std::fmt;

use crate::limits::Limit;
use crate::{Error, ErrorKind};

/// Why a message was rejected before sending: which field, and what is wrong with it.
///
/// Reach it from an [`Error`] of kind [`ErrorKind::Validation`] through [`Error::validation`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    field: String,
    problem: Problem,
}

/// What is wrong with the field a [`ValidationError`] names.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A required value (or list) is empty, or only whitespace.
    Empty,
    /// The text has more characters (Unicode scalar values) than `limit` allows.
    TooLong {
        /// The limit broken.
        limit: Limit,
        /// The text's length in characters.
        actual: usize,
    },
    /// The list has more items than `limit` allows.
    TooMany {
        /// The limit broken.
        limit: Limit,
        /// The number of items.
        actual: usize,
    },
    /// The value repeats an earlier one where Meta requires unique values.
    Duplicate,
    /// A number outside the range Meta accepts (coordinates, button indexes).
    OutOfRange,
    /// The value does not have the format Meta requires; the text says which.
    Invalid(&'static str),
}

impl ValidationError {
    pub(crate) fn new(field: String, problem: Problem) -> Self {
        Self { field, problem }
    }

    /// The offending field as a path into the request body, such as
    /// `interactive.action.buttons[1].reply.title`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with the field.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// The limit broken, for [`Problem::TooLong`] and [`Problem::TooMany`].
    pub fn limit(&self) -> Option<Limit> {
        match self.problem {
            Problem::TooLong { limit, .. } | Problem::TooMany { limit, .. } => Some(limit),
            _ => None,
        }
    }

    /// The actual length or count, for [`Problem::TooLong`] and [`Problem::TooMany`].
    pub fn actual(&self) -> Option<usize> {
        match self.problem {
            Problem::TooLong { actual, .. } | Problem::TooMany { actual, .. } => Some(actual),
            _ => None,
        }
    }

    /// The largest length or count allowed, for [`Problem::TooLong`] and [`Problem::TooMany`].
    pub fn max(&self) -> Option<usize> {
        self.limit().map(Limit::max)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match &self.problem {
            Problem::Empty => write!(f, "{field} is empty"),
            Problem::TooLong { limit, actual } => write!(
                f,
                "{field} has {actual} characters, more than the {} allowed",
                limit.max()
            ),
            Problem::TooMany { limit, actual } => write!(
                f,
                "{field} has {actual} items, more than the {} allowed",
                limit.max()
            ),
            Problem::Duplicate => write!(f, "{field} repeats a value that must be unique"),
            Problem::OutOfRange => write!(f, "{field} is out of range"),
            Problem::Invalid(reason) => write!(f, "{field} is invalid: {reason}"),
        }
    }
}

impl StdError for ValidationError {}

/// Fails with `problem` at the field `field` builds (built only on failure).
pub(super) fn fail<T>(field: impl FnOnce() -> String, problem: Problem) -> Result<T, Error> {
    Err(Error::with_source(
        ErrorKind::Validation,
        ValidationError::new(field(), problem),
    ))
}

/// A required text: not blank, and at most `limit` characters.
pub(super) fn required(
    value: &str,
    limit: Limit,
    field: impl FnOnce() -> String,
) -> Result<(), Error> {
    if value.trim().is_empty() {
        return fail(field, Problem::Empty);
    }
    max_chars(value, limit, field)
}

/// An optional text: when set, checked like [`required`] (setting an empty value is a mistake,
/// and Meta rejects empty header, footer and title objects).
pub(super) fn optional(
    value: Option<&str>,
    limit: Limit,
    field: impl FnOnce() -> String,
) -> Result<(), Error> {
    value.map_or(Ok(()), |value| required(value, limit, field))
}

/// At most `limit` characters, counted as Unicode scalar values.
pub(super) fn max_chars(
    value: &str,
    limit: Limit,
    field: impl FnOnce() -> String,
) -> Result<(), Error> {
    // Every scalar value takes at least one byte, so short strings need no counting.
    if value.len() <= limit.max() {
        return Ok(());
    }
    let actual = value.chars().count();
    if actual > limit.max() {
        return fail(field, Problem::TooLong { limit, actual });
    }
    Ok(())
}

/// A value without a documented length: only not blank.
pub(super) fn not_blank(value: &str, field: impl FnOnce() -> String) -> Result<(), Error> {
    if value.trim().is_empty() {
        return fail(field, Problem::Empty);
    }
    Ok(())
}

/// A list with at least one and at most `limit` items.
pub(super) fn count(len: usize, limit: Limit, field: impl FnOnce() -> String) -> Result<(), Error> {
    if len == 0 {
        return fail(field, Problem::Empty);
    }
    if len > limit.max() {
        return fail(field, Problem::TooMany { limit, actual: len });
    }
    Ok(())
}

/// Remembers values that must be unique within one message.
pub(super) struct Unique<'a>(HashSet<&'a str>);

impl<'a> Unique<'a> {
    pub(super) fn new() -> Self {
        Self(HashSet::new())
    }

    /// Fails when `value` was seen before.
    pub(super) fn check(
        &mut self,
        value: &'a str,
        field: impl FnOnce() -> String,
    ) -> Result<(), Error> {
        if self.0.insert(value) {
            Ok(())
        } else {
            fail(field, Problem::Duplicate)
        }
    }
}
