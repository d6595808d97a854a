use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use meta_graph::ErrorClass;
use meta_graph::send_api::{ValidationError, WindowClosed};

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
/// API made by [`InstagramClient`](crate::InstagramClient); [`Error::graph`] then gives Meta's
/// error (code, subcode, `fbtrace_id`, usage headers).
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
    /// A request breaks one of Meta's documented rules (a limit, a required field, a format),
    /// so it was never sent. [`Error::validation`] says which field and why.
    Validation,
    /// The reply-window policy refused the send before any request: the person never wrote,
    /// or the window (and, for automated messages, any tag's) is closed.
    /// [`Error::window_closed`] says which.
    WindowClosed,
    /// Meta refused the message as sent outside the allowed window (error 10 with subcode
    /// 2534022 or 2018278): a human agent may still answer with the `HUMAN_AGENT` tag within
    /// 7 days; otherwise wait for the person to write.
    OutsideWindow,
    /// Meta rejected the call for going over a rate limit (such as 613, or the account's usage
    /// at 100 %) before acting on it: wait, then send again. `retry_after` is how long Meta
    /// asked to wait, when it said.
    Throttled {
        /// Meta's `Retry-After` or business-use-case regain time, when given.
        retry_after: Option<Duration>,
    },
    /// The message may or may not have been delivered: the connection failed after the request
    /// was written, or Meta answered with a server error. It was not retried, because the Send
    /// API takes no idempotency key. Reconcile through the echo webhook before sending again.
    Ambiguous,
    /// The token (Page token or Instagram user token) is expired, revoked or invalid (error
    /// 190): get a new one, or refresh an Instagram Login token before its 60 days run out.
    Unauthorized,
    /// The token lacks a permission or the app a feature (codes 10, 200–299), such as
    /// `instagram_manage_messages` or `instagram_business_manage_messages`.
    PermissionDenied,
    /// The person's profile is not available to this app: they have not started a
    /// conversation in a way that grants profile access, or the app lacks the feature.
    ProfileUnavailable,
    /// Meta accepted the call but answered with a body this crate cannot read, such as a send
    /// response without a message id. For a send, the message was probably accepted: do not
    /// send it again blindly.
    UnexpectedResponse,
    /// Any other failure of the Graph API call: an invalid parameter, a recipient that cannot
    /// receive the message, a connection that could not be opened. [`Error::graph`] says which.
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

    /// Sorts a Graph API failure into the kind an Instagram sender acts on, keeping it as the
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
                Some(ErrorClass::Permission) => ErrorKind::PermissionDenied,
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

    /// Which field broke which rule, for an error of kind [`ErrorKind::Validation`].
    pub fn validation(&self) -> Option<&ValidationError> {
        self.source.as_deref()?.downcast_ref()
    }

    /// Why the reply-window policy refused, for an error of kind [`ErrorKind::WindowClosed`].
    pub fn window_closed(&self) -> Option<&WindowClosed> {
        self.source.as_deref()?.downcast_ref()
    }

    /// The Graph API error behind a failed call: Meta's code and message
    /// ([`meta_graph::Error::api_error`]), HTTP status, usage headers. `None` for errors that
    /// did not come from a Graph API call.
    pub fn graph(&self) -> Option<&meta_graph::Error> {
        self.source.as_deref()?.downcast_ref()
    }
}

impl From<ValidationError> for Error {
    fn from(error: ValidationError) -> Self {
        Self::with_source(ErrorKind::Validation, error)
    }
}

impl From<WindowClosed> for Error {
    fn from(error: WindowClosed) -> Self {
        Self::with_source(ErrorKind::WindowClosed, error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ErrorKind::InvalidJson => "webhook body is not valid JSON",
            ErrorKind::UnexpectedObject => "webhook body is not an instagram notification",
            ErrorKind::InvalidPayload => "webhook body does not match the Instagram webhook format",
            ErrorKind::Validation => "request breaks an Instagram Messaging rule",
            ErrorKind::WindowClosed => "the reply window does not allow this message",
            ErrorKind::OutsideWindow => "Meta refused the message as outside the allowed window",
            ErrorKind::Throttled { .. } => "rate limited by the Instagram API",
            ErrorKind::Ambiguous => "the message may have been delivered; it was not retried",
            ErrorKind::Unauthorized => "the access token is invalid or expired",
            ErrorKind::PermissionDenied => "the token or app lacks a permission for this call",
            ErrorKind::ProfileUnavailable => "the person's profile is not available to this app",
            ErrorKind::UnexpectedResponse => {
                "the Instagram API answered with an unexpected response"
            }
            ErrorKind::Api => "the Instagram API call failed",
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
