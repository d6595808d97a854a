//! `signed_request`, which Meta posts to the Deauthorize callback and the Data Deletion Request
//! callback.
//!
//! The value is `<signature>.<payload>`, both parts base64url without padding. The payload is a
//! JSON object such as `{"algorithm":"HMAC-SHA256","expires":1291840400,
//! "issued_at":1291836800,"user_id":"218471"}`, and the signature is HMAC-SHA256 keyed with
//! the app secret over the payload's base64url **string** (not the decoded JSON).

use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Error, ErrorKind, SignatureVerifier, form};

/// The longest `signed_request` accepted. Deauthorize and data-deletion payloads are a few
/// hundred bytes; the cap bounds the work a forged request can cause before the signature
/// check fails.
pub const MAX_SIGNED_REQUEST_LEN: usize = 16 * 1024;

/// The only `algorithm` Meta uses, compared ignoring ASCII case as Meta's sample code does.
const HMAC_SHA256: &str = "HMAC-SHA256";

/// base64url, with or without `=` padding: Meta sends none, and padding is not part of the
/// data, so tolerating it rejects nothing Meta could send. Non-canonical trailing bits are
/// refused, so each signature has one spelling.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A verified `signed_request` payload.
///
/// Only [`SignedRequest::parse`] and [`SignedRequest::from_form`] make one, and both check
/// the signature before reading the payload, so every field here comes from Meta.
///
/// `Debug` prints the typed fields and only the *names* of the other fields, because some
/// signed requests carry an `oauth_token` or `code`.
#[non_exhaustive]
#[derive(Clone, PartialEq)]
pub struct SignedRequest {
    /// The signing algorithm the payload names: `HMAC-SHA256`.
    pub algorithm: String,
    /// The app-scoped id of the user who removed the app or asked for their data to be
    /// deleted. Meta sends a JSON string; a JSON integer is accepted too and kept as digits.
    pub user_id: String,
    /// When Meta signed the request, in Unix seconds. Nothing in the format expires: compare
    /// it with the clock if you want to refuse old requests.
    pub issued_at: i64,
    /// Every other field of the payload (for example `expires`), as Meta sent it.
    pub extra: Map<String, Value>,
}

#[derive(Deserialize)]
struct Payload {
    algorithm: String,
    user_id: UserId,
    issued_at: i64,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum UserId {
    String(String),
    Integer(u64),
}

impl SignedRequest {
    /// Verifies and decodes a `signed_request` value.
    ///
    /// The order is chosen so that nothing unauthenticated is interpreted: the shape (one
    /// `.`, both parts base64url, a 32-byte signature, at most [`MAX_SIGNED_REQUEST_LEN`]
    /// bytes), then the HMAC-SHA256 over the payload string with each secret of `verifier`,
    /// and only then the JSON and its `algorithm`. Since HMAC-SHA256 is the only algorithm
    /// Meta uses, the algorithm need not be read before the check; a payload naming another
    /// one is refused with [`ErrorKind::UnsupportedAlgorithm`] after it.
    pub fn parse(input: &str, verifier: &SignatureVerifier) -> Result<Self, Error> {
        if !verifier.has_secret() {
            return Err(ErrorKind::EmptySecret.into());
        }
        if input.len() > MAX_SIGNED_REQUEST_LEN {
            return Err(ErrorKind::MalformedSignedRequest.into());
        }
        let (signature, payload) = input
            .split_once('.')
            .filter(|(_, payload)| !payload.contains('.'))
            .ok_or(ErrorKind::MalformedSignedRequest)?;
        let signature = BASE64URL
            .decode(signature)
            .ok()
            .filter(|signature| signature.len() == 32)
            .ok_or(ErrorKind::MalformedSignedRequest)?;
        let json = BASE64URL
            .decode(payload)
            .map_err(|_| ErrorKind::MalformedSignedRequest)?;

        if !verifier.verify_tag_sha256(payload.as_bytes(), &signature) {
            return Err(ErrorKind::SignedRequestSignatureMismatch.into());
        }

        // serde_json's message could quote payload values (an `oauth_token`), so it is not
        // kept as the source.
        let payload: Payload =
            serde_json::from_slice(&json).map_err(|_| ErrorKind::InvalidSignedRequestPayload)?;
        if !payload.algorithm.eq_ignore_ascii_case(HMAC_SHA256) {
            return Err(ErrorKind::UnsupportedAlgorithm.into());
        }
        Ok(Self {
            algorithm: payload.algorithm,
            user_id: match payload.user_id {
                UserId::String(id) => id,
                UserId::Integer(id) => id.to_string(),
            },
            issued_at: payload.issued_at,
            extra: payload.extra,
        })
    }

    /// Verifies the `signed_request` field of a callback's
    /// `application/x-www-form-urlencoded` body, which is how Meta posts it.
    ///
    /// A body without exactly one `signed_request` field is
    /// [`ErrorKind::MalformedSignedRequest`].
    pub fn from_form(body: &[u8], verifier: &SignatureVerifier) -> Result<Self, Error> {
        // Room for the field name and percent-encoded padding around the longest value.
        if body.len() > 2 * MAX_SIGNED_REQUEST_LEN {
            return Err(ErrorKind::MalformedSignedRequest.into());
        }
        let mut values = form::pairs(body)
            .filter(|(name, _)| name == "signed_request")
            .map(|(_, value)| value);
        match (values.next(), values.next()) {
            (Some(value), None) => Self::parse(&value, verifier),
            _ => Err(ErrorKind::MalformedSignedRequest.into()),
        }
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("algorithm", &self.algorithm)
            .field("user_id", &self.user_id)
            .field("issued_at", &self.issued_at)
            .field("extra_fields", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The JSON a Data Deletion Request callback must answer with:
/// `{"url": "<status page>", "confirmation_code": "<code>"}`.
///
/// Meta shows the user the link and the code; the page behind `url` must tell them, in plain
/// language, how their deletion request is going. Meta asks for an alphanumeric code.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataDeletionResponse {
    /// Where the user can check the status of their deletion request.
    pub url: String,
    /// The code that identifies this deletion request.
    pub confirmation_code: String,
}

impl DataDeletionResponse {
    /// The answer for one deletion request.
    pub fn new(url: impl Into<String>, confirmation_code: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            confirmation_code: confirmation_code.into(),
        }
    }
}
