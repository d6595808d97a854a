use std::fmt;
use std::time::Duration;

use crate::PlatformKind;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from a [`Platform`](crate::Platform).
///
/// Branch on [`Error::kind`]. The display text says what went wrong at this level only; the
/// lower-level cause (a Graph API error, a JSON error, a reason given as text) is reached
/// through [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
#[error("{kind}")]
pub struct Error {
    kind: ErrorKind,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// An error of `kind` with no underlying cause.
    pub fn new(kind: ErrorKind) -> Self {
        Self { kind, source: None }
    }

    /// An error of `kind` caused by `source`: another error, or a `&str` or `String` that
    /// explains (for example which field of a webhook was not a string).
    pub fn with_source(
        kind: ErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// `platform` cannot do `operation` at all (for example WhatsApp has no conversation list).
    pub fn unsupported(platform: PlatformKind, operation: &'static str) -> Self {
        Self::new(ErrorKind::Unsupported {
            platform,
            operation,
        })
    }

    /// What went wrong, and so what to do about it.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Splits the error into its kind and cause.
    pub fn into_parts(
        self,
    ) -> (
        ErrorKind,
        Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) {
        (self.kind, self.source)
    }

    /// Whether the same call may succeed if made again later: see [`ErrorKind::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }

    /// How long Meta asked to wait, for [`ErrorKind::Throttled`] errors that say.
    pub fn retry_after(&self) -> Option<Duration> {
        match self.kind {
            ErrorKind::Throttled { retry_after } => retry_after,
            _ => None,
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self::new(kind)
    }
}

/// What went wrong, in terms of what the caller should do next.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The platform cannot do this operation at all. Returned instead of an empty success, so
    /// that "nothing there" and "cannot ask" stay distinct.
    Unsupported {
        /// The platform that lacks the operation.
        platform: PlatformKind,
        /// The operation, named after the [`Platform`](crate::Platform) method.
        operation: &'static str,
    },
    /// Input from outside is malformed: a webhook body that is not JSON, whose `object` is not
    /// this platform's, or whose ids are not strings. Retrying cannot help.
    InvalidInput,
    /// An outgoing message breaks one of Meta's limits (text length, attachment kind, …);
    /// nothing was sent.
    Validation,
    /// The access token is invalid, expired or revoked (Graph error 190 and kin): the account
    /// must be reconnected.
    Unauthorized,
    /// The token is valid but lacks a permission or the app lacks an access level needed here.
    PermissionDenied,
    /// Meta throttled the call. Wait, then retry.
    Throttled {
        /// How long to wait, when Meta said.
        retry_after: Option<Duration>,
    },
    /// The messaging window with this person is closed: WhatsApp needs an approved template,
    /// Messenger and Instagram a message tag.
    OutsideWindow,
    /// A send may or may not have reached Meta (for example the connection dropped after the
    /// request was written). It was not retried, because no Send API takes an idempotency key
    /// and a retry could deliver the message twice; reconcile through webhooks instead.
    Ambiguous,
    /// The user, message, conversation or media does not exist or is not visible to this
    /// account.
    NotFound,
    /// The request did not complete and certainly had no effect (connection refused, DNS, a
    /// read that timed out); a send whose fate is unknown is [`ErrorKind::Ambiguous`] instead.
    Transport,
    /// Meta answered with an error this list does not classify; the source holds its details.
    Api,
    /// Anything else.
    Other,
}

impl ErrorKind {
    /// Whether the same call may succeed if made again later without changes: true for
    /// [`ErrorKind::Throttled`] (after the wait) and [`ErrorKind::Transport`].
    ///
    /// [`ErrorKind::Ambiguous`] is false on purpose: retrying it risks a duplicate message.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Throttled { .. } | Self::Transport)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unsupported {
                platform,
                operation,
            } => write!(f, "{platform} does not support {operation}"),
            Self::InvalidInput => f.write_str("invalid input"),
            Self::Validation => f.write_str("the message breaks a platform limit"),
            Self::Unauthorized => {
                f.write_str("the access token is invalid or expired; reconnect the account")
            }
            Self::PermissionDenied => f.write_str("permission denied"),
            Self::Throttled {
                retry_after: Some(wait),
            } => write!(f, "throttled by Meta; retry in {} s", wait.as_secs()),
            Self::Throttled { retry_after: None } => f.write_str("throttled by Meta"),
            Self::OutsideWindow => {
                f.write_str("the messaging window is closed; a template or message tag is needed")
            }
            Self::Ambiguous => {
                f.write_str("the message may have been sent; not retried to avoid a duplicate")
            }
            Self::NotFound => f.write_str("not found"),
            Self::Transport => f.write_str("the request did not complete"),
            Self::Api => f.write_str("the platform returned an error"),
            Self::Other => f.write_str("unexpected error"),
        }
    }
}
