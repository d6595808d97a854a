//! The crate's one error type.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use http::StatusCode;

use crate::api_error::{ErrorClass, GraphApiError};
use crate::usage::Usage;

/// At most this many bytes of an unexpected response body are kept.
pub(crate) const BODY_SNIPPET_CAP: usize = 2048;

/// Everything that can go wrong with a Graph API call.
///
/// Inspect [`kind`](Error::kind) first; then [`api_error`](Error::api_error)
/// for Meta's error body, [`usage`](Error::usage) for rate-limit headers and
/// [`retry_after`](Error::retry_after) for how long Meta asked to wait.
/// `Display` is one short line and never contains a token, a secret or the
/// request URL; the cause is available through
/// [`source`](std::error::Error::source).
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
    context: Option<Box<Context>>,
}

#[derive(Debug, Default)]
struct Context {
    status: Option<StatusCode>,
    api: Option<GraphApiError>,
    usage: Usage,
    retry_after: Option<Duration>,
    body: Option<String>,
}

/// The kind of an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client was built with invalid settings (base URL, API version,
    /// user agent…).
    Config,
    /// The request was rejected before sending: a path that tries to leave
    /// the API root, a reserved query parameter, a body that would not
    /// serialize, a token that is not a valid header value.
    InvalidRequest,
    /// No response was received, and either Meta certainly did not act on
    /// the request (the connection could not be opened) or the request is a
    /// read that kept failing through its retries.
    Transport,
    /// A request that changes something may or may not have been carried
    /// out: it timed out after being written, the connection dropped before
    /// the response, Meta answered 5xx without an error body, or reported a
    /// transient error. It was not retried, because no Send API takes an
    /// idempotency key and a retry could deliver a message twice. Check
    /// before sending again. [`Error::api_error`] is set when Meta sent an
    /// error body.
    Ambiguous,
    /// The Graph API returned an error body; see [`Error::api_error`].
    Api,
    /// A non-success status without a Graph error body (for example an HTML
    /// page from a proxy); see [`Error::status`] and [`Error::body`].
    UnexpectedResponse,
    /// A success response whose body did not match the expected type; see
    /// [`Error::body`].
    Decode,
    /// A paging link pointed somewhere the token must not be sent (another
    /// host), or could not be followed.
    Paging,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            source: None,
            context: None,
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// An error whose cause is a short explanation of our own.
    pub(crate) fn msg(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::new(kind).with_source(Message(message.into()))
    }

    fn context_mut(&mut self) -> &mut Context {
        self.context.get_or_insert_with(Box::default)
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.context_mut().status = Some(status);
        self
    }

    pub(crate) fn with_api(mut self, api: GraphApiError) -> Self {
        let context = self.context_mut();
        context.status = Some(api.status());
        context.api = Some(api);
        self
    }

    pub(crate) fn with_usage(mut self, usage: Usage) -> Self {
        if !usage.is_empty() {
            self.context_mut().usage = usage;
        }
        self
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        if retry_after.is_some() {
            self.context_mut().retry_after = retry_after;
        }
        self
    }

    pub(crate) fn with_body(mut self, body: Option<String>) -> Self {
        if body.is_some() {
            self.context_mut().body = body;
        }
        self
    }

    pub(crate) fn into_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// What went wrong, broadly.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Meta's error body, when the Graph API sent one.
    pub fn api_error(&self) -> Option<&GraphApiError> {
        self.context.as_ref()?.api.as_ref()
    }

    /// The class of Meta's error, when there is one: the quickest way to
    /// decide between "get a new token", "wait" and "give up".
    pub fn class(&self) -> Option<ErrorClass> {
        self.api_error().map(GraphApiError::class)
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        self.context.as_ref()?.status
    }

    /// The rate-limit usage headers of the failed response (empty when none
    /// were sent).
    pub fn usage(&self) -> &Usage {
        static EMPTY: Usage = Usage {
            app: None,
            page: None,
            business_use_case: Vec::new(),
        };
        self.context.as_ref().map_or(&EMPTY, |c| &c.usage)
    }

    /// How long Meta asked to wait before trying again: the `Retry-After`
    /// header or the longest business-use-case regain time.
    pub fn retry_after(&self) -> Option<Duration> {
        self.context.as_ref()?.retry_after
    }

    /// The start of a response body that was not a Graph error or did not
    /// match the expected type (at most 2 KiB), for diagnosis. `None` for
    /// responses that carry secrets, such as token exchanges.
    pub fn body(&self) -> Option<&str> {
        self.context.as_ref()?.body.as_deref()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind);
        if let Some(source) = &self.source {
            d.field("source", source);
        }
        if let Some(context) = &self.context {
            d.field("status", &context.status)
                .field("api_error", &context.api)
                .field("retry_after", &context.retry_after)
                .field("usage", &context.usage)
                .field("body", &context.body);
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Config => f.write_str("invalid Graph client configuration"),
            ErrorKind::InvalidRequest => f.write_str("invalid Graph API request"),
            ErrorKind::Transport => f.write_str("no response from the Graph API"),
            ErrorKind::Ambiguous => {
                f.write_str("the Graph API request may or may not have been carried out")
            }
            ErrorKind::Api => {
                f.write_str("Graph API error")?;
                if let Some(class) = self.class() {
                    write!(f, ": {}", class_label(class))?;
                }
                if let Some(status) = self.status() {
                    write!(f, " (HTTP {})", status.as_u16())?;
                }
                Ok(())
            }
            ErrorKind::UnexpectedResponse => match self.status() {
                Some(status) => write!(
                    f,
                    "unexpected HTTP {} response from the Graph API",
                    status.as_u16()
                ),
                None => f.write_str("unexpected response from the Graph API"),
            },
            ErrorKind::Decode => f.write_str("Graph API response did not match the expected type"),
            ErrorKind::Paging => f.write_str("could not follow a Graph API paging link"),
        }
    }
}

fn class_label(class: ErrorClass) -> &'static str {
    match class {
        ErrorClass::TokenInvalid(_) => "access token invalid",
        ErrorClass::Permission => "missing permission",
        ErrorClass::Throttled => "rate limited",
        ErrorClass::Transient => "temporary failure",
        ErrorClass::OutsideWindow => "outside the messaging window",
        _ => "request rejected",
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        if let Some(source) = &self.source {
            return Some(source.as_ref());
        }
        self.api_error().map(|api| api as &(dyn StdError + 'static))
    }
}

/// A plain explanation used as the source of our own errors.
#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for Message {}

/// Keeps the start of a body for diagnosis, cut at a character boundary,
/// with the request's secrets removed.
pub(crate) fn body_snippet<'a>(body: &[u8], secrets: impl IntoIterator<Item = &'a str>) -> String {
    let cut = body.len().min(BODY_SNIPPET_CAP);
    // A multi-byte sequence split by the cut becomes a replacement
    // character, which is fine for a diagnostic snippet.
    let mut text = String::from_utf8_lossy(&body[..cut]).into_owned();
    if cut < body.len() {
        text.push('…');
    }
    scrub(text, secrets)
}

/// Replaces every occurrence of each secret with `<redacted>`.
pub(crate) fn scrub<'a>(mut text: String, secrets: impl IntoIterator<Item = &'a str>) -> String {
    for secret in secrets {
        if !secret.is_empty() && text.contains(secret) {
            text = text.replace(secret, "<redacted>");
        }
    }
    text
}

/// Maps a Graph failure onto the platform-neutral kinds of [`messaging_core::Error`], which
/// the platform crates return from their [`Platform`](messaging_core::Platform) impls; the
/// Graph error stays reachable as the source.
impl From<Error> for messaging_core::Error {
    fn from(error: Error) -> Self {
        use messaging_core::ErrorKind as Core;

        let kind = match error.kind() {
            ErrorKind::Ambiguous => Core::Ambiguous,
            ErrorKind::Transport => Core::Transport,
            ErrorKind::Api => match error.class() {
                Some(ErrorClass::TokenInvalid(_)) => Core::Unauthorized,
                Some(ErrorClass::Permission) => Core::PermissionDenied,
                Some(ErrorClass::Throttled) => Core::Throttled {
                    retry_after: error.retry_after(),
                },
                Some(ErrorClass::OutsideWindow) => Core::OutsideWindow,
                _ if error.status() == Some(StatusCode::NOT_FOUND) => Core::NotFound,
                _ => Core::Api,
            },
            ErrorKind::UnexpectedResponse | ErrorKind::Decode | ErrorKind::Paging => Core::Api,
            ErrorKind::Config | ErrorKind::InvalidRequest => Core::Other,
        };
        messaging_core::Error::with_source(kind, error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_capped_and_scrubbed() {
        let long = "a".repeat(BODY_SNIPPET_CAP * 2);
        assert!(body_snippet(long.as_bytes(), []).chars().count() <= BODY_SNIPPET_CAP + 1);
        assert_eq!(
            body_snippet(b"token=EAAG1 end", ["EAAG1"]),
            "token=<redacted> end"
        );
    }

    #[test]
    fn display_does_not_repeat_source() {
        let err = Error::msg(ErrorKind::InvalidRequest, "path contains `..`");
        assert_eq!(err.to_string(), "invalid Graph API request");
        assert_eq!(err.source().unwrap().to_string(), "path contains `..`");
    }

    #[test]
    fn error_is_send_sync_and_small() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Error>();
        assert!(std::mem::size_of::<Error>() <= 32);
    }
}
