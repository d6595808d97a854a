//! The error body the Graph API returns, and what to do about it.

use std::fmt;

use http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

/// An error reported by the Graph API in its `{"error": {…}}` body.
///
/// Meta returns this body with many HTTP statuses (throttling often comes
/// with 400, not 429), so the body, not the status, says what happened.
/// Branch on [`GraphApiError::class`] or on [`code`](Self::code) and
/// [`error_subcode`](Self::error_subcode), never on the message text, which
/// Meta rewords and localises.
#[derive(Clone, PartialEq)]
pub struct GraphApiError {
    status: StatusCode,
    body: ErrorBody,
}

#[derive(Clone, PartialEq, Deserialize)]
struct Envelope {
    error: ErrorBody,
}

#[derive(Clone, PartialEq, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
    #[serde(default, rename = "type")]
    error_type: Option<String>,
    #[serde(deserialize_with = "crate::timestamp::lenient_i64")]
    code: i64,
    #[serde(default, deserialize_with = "lenient_opt_i64")]
    error_subcode: Option<i64>,
    #[serde(default)]
    error_user_title: Option<String>,
    #[serde(default)]
    error_user_msg: Option<String>,
    #[serde(default)]
    fbtrace_id: Option<String>,
    #[serde(default)]
    is_transient: Option<bool>,
    #[serde(default)]
    error_data: Option<Value>,
}

fn lenient_opt_i64<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapper(#[serde(deserialize_with = "crate::timestamp::lenient_i64")] i64);
    Ok(Option::<Wrapper>::deserialize(deserializer)?.map(|w| w.0))
}

impl GraphApiError {
    /// Parses a Graph error body; `None` when the bytes are not one (for
    /// example an HTML page from a proxy).
    ///
    /// Useful in tests and emulators that need to build the same error the
    /// client would.
    pub fn from_response_body(status: StatusCode, body: &[u8]) -> Option<Self> {
        let envelope: Envelope = serde_json::from_slice(body).ok()?;
        Some(Self {
            status,
            body: envelope.error,
        })
    }

    /// Replaces every occurrence of `secret` in the texts. Meta echoes a
    /// malformed token back in some messages.
    pub(crate) fn scrub(&mut self, secret: &str) {
        let scrub = |text: &mut String| *text = crate::error::scrub(std::mem::take(text), [secret]);
        scrub(&mut self.body.message);
        self.body.error_user_msg.iter_mut().for_each(scrub);
        self.body.error_user_title.iter_mut().for_each(scrub);
        if let Some(data) = &mut self.body.error_data {
            scrub_value(data, secret);
        }
    }

    /// The HTTP status the error came with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Meta's developer-facing description. For logs, not for branching.
    pub fn message(&self) -> &str {
        &self.body.message
    }

    /// The error `type`, such as `OAuthException`.
    pub fn error_type(&self) -> Option<&str> {
        self.body.error_type.as_deref()
    }

    /// The error `code`, such as `190` or `131047`.
    pub fn code(&self) -> i64 {
        self.body.code
    }

    /// The `error_subcode`, such as `463` for an expired token. Subcodes can
    /// exceed 16 bits (WhatsApp sends values like `2494055`).
    pub fn error_subcode(&self) -> Option<i64> {
        self.body.error_subcode
    }

    /// A title Meta suggests showing to the end user, in the request's
    /// locale.
    pub fn error_user_title(&self) -> Option<&str> {
        self.body.error_user_title.as_deref()
    }

    /// A message Meta suggests showing to the end user, in the request's
    /// locale.
    pub fn error_user_msg(&self) -> Option<&str> {
        self.body.error_user_msg.as_deref()
    }

    /// The support id to quote when reporting a problem to Meta.
    pub fn fbtrace_id(&self) -> Option<&str> {
        self.body.fbtrace_id.as_deref()
    }

    /// Meta's own hint that retrying may succeed.
    pub fn is_transient(&self) -> bool {
        self.body.is_transient.unwrap_or(false)
    }

    /// The raw `error_data`, kept as JSON because its shape varies by API
    /// (WhatsApp puts `messaging_product` and `details` there; some APIs
    /// send a JSON-encoded string).
    pub fn error_data(&self) -> Option<&Value> {
        self.body.error_data.as_ref()
    }

    /// `error_data.details`, the explanation WhatsApp's Cloud API gives.
    pub fn details(&self) -> Option<&str> {
        self.body.error_data.as_ref()?.get("details")?.as_str()
    }

    /// What kind of failure this is, from `code`, `error_subcode` and
    /// `is_transient`.
    pub fn class(&self) -> ErrorClass {
        ErrorClass::of(self.code(), self.error_subcode(), self.is_transient())
    }

    /// Whether the same request may succeed later without any change
    /// (throttling or a transient outage).
    ///
    /// The client's own retries are stricter for requests that change
    /// something: see [`RetryPolicy`](crate::RetryPolicy).
    pub fn is_retryable(&self) -> bool {
        self.class().is_retryable()
    }
}

fn scrub_value(value: &mut Value, secret: &str) {
    match value {
        Value::String(text) => *text = crate::error::scrub(std::mem::take(text), [secret]),
        Value::Array(items) => items.iter_mut().for_each(|v| scrub_value(v, secret)),
        Value::Object(map) => map.values_mut().for_each(|v| scrub_value(v, secret)),
        _ => {}
    }
}

impl fmt::Debug for GraphApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphApiError")
            .field("status", &self.status.as_u16())
            .field("code", &self.body.code)
            .field("error_subcode", &self.body.error_subcode)
            .field("type", &self.body.error_type)
            .field("message", &self.body.message)
            .field("error_user_title", &self.body.error_user_title)
            .field("error_user_msg", &self.body.error_user_msg)
            .field("fbtrace_id", &self.body.fbtrace_id)
            .field("is_transient", &self.body.is_transient)
            .field("error_data", &self.body.error_data)
            .finish()
    }
}

impl fmt::Display for GraphApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(#{}", self.body.code)?;
        if let Some(subcode) = self.body.error_subcode {
            write!(f, "/{subcode}")?;
        }
        write!(f, ") {}", self.body.message)?;
        if let Some(trace) = &self.body.fbtrace_id {
            write!(f, " [fbtrace_id {trace}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphApiError {}

/// What a Graph error means for the caller, so code can react without a
/// table of numbers.
///
/// From Meta's "Handling Errors" guide, the WhatsApp Cloud API error codes
/// and the rate-limiting page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The token is expired, revoked or invalid (code 190, or 102): get a new
    /// one, usually by sending the user through login again.
    TokenInvalid(TokenInvalidReason),
    /// The token lacks a permission or capability (codes 3, 10, 200–299).
    Permission,
    /// Rate limited (codes 4, 17, 32, 341, 613, 80000–80014, and WhatsApp's
    /// 130429, 131056, 131057): Meta rejected the call before acting on it;
    /// wait and retry.
    Throttled,
    /// A temporary problem on Meta's side (codes 1, 2, or `is_transient`).
    Transient,
    /// The messaging window is closed: WhatsApp 131047 (more than 24 hours
    /// since the user last wrote; only a template may be sent), and the
    /// Messenger Platform's 10 with subcode 2018278 or 2534022 (the message
    /// was sent outside the allowed window; only a message tag may carry it).
    OutsideWindow,
    /// Anything else: retrying the same request will not help (for example
    /// 100 invalid parameter, 368 policy block, WhatsApp 131026, 131048,
    /// 131049, 133016).
    Permanent,
}

impl ErrorClass {
    /// Classifies a code, subcode and `is_transient` flag.
    pub fn of(code: i64, error_subcode: Option<i64>, is_transient: bool) -> Self {
        match code {
            190 | 102 => Self::TokenInvalid(TokenInvalidReason::from_subcode(error_subcode)),
            // Before Permission: the Send API reports a closed window as code 10.
            10 if matches!(error_subcode, Some(2_018_278 | 2_534_022)) => Self::OutsideWindow,
            3 | 10 | 200..=299 => Self::Permission,
            4 | 17 | 32 | 341 | 613 | 80_000..=80_014 | 130_429 | 131_056 | 131_057 => {
                Self::Throttled
            }
            131_047 => Self::OutsideWindow,
            1 | 2 => Self::Transient,
            _ if is_transient => Self::Transient,
            _ => Self::Permanent,
        }
    }

    /// Whether waiting and sending the same request again may succeed.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::Throttled | Self::Transient)
    }
}

/// Why a token stopped working, from the `error_subcode` of a 190 error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenInvalidReason {
    /// 458: the user has not authorized (or removed) the app.
    AppNotInstalled,
    /// 459: the user must log in at facebook.com to pass a security
    /// checkpoint.
    Checkpointed,
    /// 460: the user changed their password.
    PasswordChanged,
    /// 463: the token expired.
    Expired,
    /// 464: the user must confirm their account at facebook.com.
    UnconfirmedUser,
    /// 467: the token is invalid, for example because the user logged out.
    InvalidAccessToken,
    /// No subcode: expired, revoked or invalid, Meta does not say which.
    Unspecified,
    /// A subcode this version does not know.
    Other(i64),
}

impl TokenInvalidReason {
    /// Maps an `error_subcode`.
    pub fn from_subcode(error_subcode: Option<i64>) -> Self {
        match error_subcode {
            None => Self::Unspecified,
            Some(458) => Self::AppNotInstalled,
            Some(459) => Self::Checkpointed,
            Some(460) => Self::PasswordChanged,
            Some(463) => Self::Expired,
            Some(464) => Self::UnconfirmedUser,
            Some(467) => Self::InvalidAccessToken,
            Some(other) => Self::Other(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_table() {
        use ErrorClass::*;
        let cases: &[(i64, Option<i64>, bool, ErrorClass)] = &[
            (
                190,
                Some(463),
                false,
                TokenInvalid(TokenInvalidReason::Expired),
            ),
            (
                190,
                Some(458),
                false,
                TokenInvalid(TokenInvalidReason::AppNotInstalled),
            ),
            (
                190,
                Some(459),
                false,
                TokenInvalid(TokenInvalidReason::Checkpointed),
            ),
            (
                190,
                Some(460),
                false,
                TokenInvalid(TokenInvalidReason::PasswordChanged),
            ),
            (
                190,
                Some(464),
                false,
                TokenInvalid(TokenInvalidReason::UnconfirmedUser),
            ),
            (
                190,
                Some(467),
                false,
                TokenInvalid(TokenInvalidReason::InvalidAccessToken),
            ),
            (
                190,
                Some(492),
                false,
                TokenInvalid(TokenInvalidReason::Other(492)),
            ),
            (
                190,
                None,
                false,
                TokenInvalid(TokenInvalidReason::Unspecified),
            ),
            (
                102,
                None,
                false,
                TokenInvalid(TokenInvalidReason::Unspecified),
            ),
            (3, None, false, Permission),
            (10, None, false, Permission),
            (10, Some(2_018_278), false, OutsideWindow),
            (10, Some(2_534_022), false, OutsideWindow),
            (10, Some(2_018_065), false, Permission),
            (200, None, false, Permission),
            (299, None, false, Permission),
            (4, None, false, Throttled),
            (17, None, false, Throttled),
            (32, None, false, Throttled),
            (341, None, false, Throttled),
            (613, None, false, Throttled),
            (80_000, None, false, Throttled),
            (80_004, None, false, Throttled),
            (80_014, None, false, Throttled),
            (130_429, Some(2_494_055), false, Throttled),
            (131_056, None, false, Throttled),
            (131_057, None, false, Throttled),
            (1, None, false, Transient),
            (2, None, false, Transient),
            (100, None, true, Transient),
            (131_047, None, false, OutsideWindow),
            (368, None, false, Permanent),
            (131_026, None, false, Permanent),
            (131_048, None, false, Permanent),
            (131_049, None, false, Permanent),
            (133_016, None, false, Permanent),
            (80_015, None, false, Permanent),
            (100, None, false, Permanent),
        ];
        for &(code, sub, transient, expected) in cases {
            assert_eq!(
                ErrorClass::of(code, sub, transient),
                expected,
                "code {code}"
            );
        }
    }

    #[test]
    fn parses_whatsapp_error_with_large_subcode_and_details() {
        let body = br#"{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,
            "error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."},
            "error_subcode":2494055,"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"#;
        let err = GraphApiError::from_response_body(StatusCode::BAD_REQUEST, body).unwrap();
        assert_eq!(err.code(), 130_429);
        assert_eq!(err.error_subcode(), Some(2_494_055));
        assert_eq!(
            err.details(),
            Some("Cloud API message throughput has been reached.")
        );
        assert_eq!(err.class(), ErrorClass::Throttled);
        assert!(err.is_retryable());
        assert_eq!(
            err.to_string(),
            "(#130429/2494055) (#130429) Rate limit hit [fbtrace_id Az8or2yhqkZfEZ-_4Qn_Bam]"
        );
    }

    #[test]
    fn non_graph_bodies_are_not_errors() {
        assert!(GraphApiError::from_response_body(StatusCode::BAD_GATEWAY, b"<html>").is_none());
        assert!(
            GraphApiError::from_response_body(StatusCode::BAD_REQUEST, br#"{"error":"x"}"#)
                .is_none()
        );
    }

    #[test]
    fn scrub_removes_echoed_secret() {
        let body = br#"{"error":{"message":"Malformed access token EAAGsecret","code":190,"error_data":{"details":"EAAGsecret"}}}"#;
        let mut err = GraphApiError::from_response_body(StatusCode::BAD_REQUEST, body).unwrap();
        err.scrub("EAAGsecret");
        assert_eq!(err.message(), "Malformed access token <redacted>");
        assert!(!format!("{err:?}").contains("EAAGsecret"));
    }
}
