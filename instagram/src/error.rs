use std::error::Error as StdError;
use std::fmt;

/// Why a call into this crate failed.
///
/// Inspect [`Error::kind`] to decide what to do; the underlying cause, when there is one, is
/// available through [`std::error::Error::source`].
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// The category of an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The webhook body is not JSON (or was cut short).
    InvalidJson,
    /// The body is JSON for another Meta object (such as `page` or
    /// `whatsapp_business_account`), not `instagram`: it was probably sent to the wrong
    /// endpoint.
    UnexpectedObject,
    /// The body is JSON but does not have the shape of an Instagram webhook: a required field
    /// is missing or has the wrong type (for example an id or a `mid` that is not a string).
    InvalidPayload,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(
        kind: ErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ErrorKind::InvalidJson => "webhook body is not valid JSON",
            ErrorKind::UnexpectedObject => "webhook body is not an instagram notification",
            ErrorKind::InvalidPayload => "webhook body does not match the Instagram webhook format",
        })
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}
