use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use meta_graph::ErrorClass;

use crate::ValidationError;

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
///
/// The kinds from [`OutsideWindow`](ErrorKind::OutsideWindow) on come from a call to the Graph
/// API made by [`WhatsAppClient`](crate::WhatsAppClient); [`Error::graph`] then gives Meta's
/// error (code, `fbtrace_id`, usage headers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The webhook body is not JSON (or was cut short).
    InvalidJson,
    /// The body is JSON for another Meta object (such as `page` or `instagram`), not
    /// `whatsapp_business_account`: it was probably sent to the wrong endpoint.
    UnexpectedObject,
    /// The body is JSON but does not have the shape of a WhatsApp webhook: a required field is
    /// missing or has the wrong type (for example an id that is not a string).
    InvalidPayload,
    /// A request breaks one of Meta's documented rules (a limit, a required field, a format), so
    /// it was never sent: an outgoing message of [`send`](crate::send) was not built, or a
    /// management request of [`model`](crate::model) (template creation, business profile
    /// update, media upload, app subscription) failed its `validate()`. [`Error::validation`]
    /// says which field and why.
    Validation,
    /// Meta refused a free-form message because more than 24 hours have passed since the user
    /// last wrote (error 131047). Send an approved template message instead.
    OutsideWindow,
    /// Meta rejected the call for going over a rate limit (such as 130429 or 131056, too many
    /// messages to one user) before acting on it: wait, then send again. `retry_after` is how
    /// long Meta asked to wait, when it said.
    Throttled {
        /// Meta's `Retry-After` or business-use-case regain time, when given.
        retry_after: Option<Duration>,
    },
    /// The message may or may not have been delivered: the connection failed after the request
    /// was written, or Meta answered with a server error. It was not retried, because the Cloud
    /// API takes no idempotency key and a retry could deliver it twice. Check (for example for a
    /// status webhook) before sending again.
    Ambiguous,
    /// The access token is expired, revoked or invalid (error 190): get a new one.
    Unauthorized,
    /// Meta accepted the call but answered with a body this crate cannot read, such as a send
    /// response without a message id. For a send, the message was probably accepted: do not
    /// send it again blindly.
    UnexpectedResponse,
    /// A downloaded media file does not match the size or SHA-256 Meta reported for it: it
    /// was cut short or altered. The source, a [`MediaMismatch`](crate::MediaMismatch), says
    /// which.
    MediaMismatch,
    /// A local file could not be read (a media upload from a path); the source is the
    /// [`std::io::Error`].
    Io,
    /// Any other failure of the Graph API call: a missing permission, an invalid parameter, a
    /// recipient that cannot receive the message, a connection that could not be opened.
    /// [`Error::graph`] says which.
    Api,
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

    /// Sorts a Graph API failure into the kind a WhatsApp sender acts on, keeping it as the
    /// source.
    pub(crate) fn graph_failure(error: meta_graph::Error) -> Self {
        // Ambiguity wins over the class: whatever Meta's code, the message may have gone out.
        let kind = if error.kind() == meta_graph::ErrorKind::Ambiguous {
            ErrorKind::Ambiguous
        } else {
            match error.class() {
                Some(ErrorClass::OutsideWindow) => ErrorKind::OutsideWindow,
                Some(ErrorClass::Throttled) => ErrorKind::Throttled {
                    retry_after: error.retry_after(),
                },
                Some(ErrorClass::TokenInvalid(_)) => ErrorKind::Unauthorized,
                _ => match error.kind() {
                    meta_graph::ErrorKind::Decode | meta_graph::ErrorKind::UnexpectedResponse => {
                        ErrorKind::UnexpectedResponse
                    }
                    _ => ErrorKind::Api,
                },
            }
        };
        Self::with_source(kind, error)
    }

    pub(crate) fn into_source(self) -> Option<Box<dyn StdError + Send + Sync>> {
        self.source
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Which field broke which rule, and how, for an error of kind [`ErrorKind::Validation`]
    /// (from an outgoing message or a management request alike); `None` for other kinds.
    pub fn validation(&self) -> Option<&ValidationError> {
        self.source.as_deref()?.downcast_ref()
    }

    /// The Graph API error behind a failed call of [`WhatsAppClient`](crate::WhatsAppClient):
    /// Meta's code and message ([`meta_graph::Error::api_error`]), HTTP status, usage headers.
    /// `None` for errors that did not come from a Graph API call.
    pub fn graph(&self) -> Option<&meta_graph::Error> {
        self.source.as_deref()?.downcast_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ErrorKind::InvalidJson => "webhook body is not valid JSON",
            ErrorKind::UnexpectedObject => {
                "webhook body is not a whatsapp_business_account notification"
            }
            ErrorKind::InvalidPayload => "webhook body does not match the WhatsApp webhook format",
            ErrorKind::Validation => "request breaks a WhatsApp Cloud API rule",
            ErrorKind::OutsideWindow => {
                "outside the 24-hour customer service window: send a template message"
            }
            ErrorKind::Throttled { .. } => "rate limited by the WhatsApp Cloud API",
            ErrorKind::Ambiguous => "the message may have been delivered; it was not retried",
            ErrorKind::Unauthorized => "the access token is invalid or expired",
            ErrorKind::UnexpectedResponse => {
                "the WhatsApp Cloud API answered with an unexpected response"
            }
            ErrorKind::MediaMismatch => {
                "the downloaded media does not match the size or hash Meta reported"
            }
            ErrorKind::Io => "a local file could not be read",
            ErrorKind::Api => "the WhatsApp Cloud API call failed",
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
