//! The crate's one error type.

use std::fmt;

type Source = Box<dyn std::error::Error + Send + Sync>;

/// Why a webhook, handshake or `signed_request` was refused.
///
/// Branch on [`Error::kind`]. The message says what failed, never with what: no secret,
/// token, signature or body bytes appear in `Display` or `Debug`, so the error can be logged
/// as it is.
pub struct Error {
    kind: ErrorKind,
    source: Option<Source>,
}

/// What went wrong, for code that answers differently per case.
///
/// Every kind is a refusal of the input; none means "try again".
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Neither `X-Hub-Signature-256` nor `X-Hub-Signature` was present.
    MissingSignature,
    /// A signature header was present but not `sha256=` followed by exactly 64 lowercase hex
    /// digits (or `sha1=` and 40 for the legacy header), or it was repeated.
    MalformedSignature,
    /// The signature is well formed but no configured app secret produces it for this body.
    SignatureMismatch,
    /// Only the legacy SHA-1 `X-Hub-Signature` was sent and the verifier was not told to
    /// accept it ([`SignatureVerifier::allow_sha1`](crate::SignatureVerifier::allow_sha1)).
    Sha1NotAllowed,
    /// The verifier holds no non-empty app secret, so it cannot verify anything. A
    /// configuration problem, not a bad request.
    EmptySecret,
    /// The subscription handshake (`GET ?hub.mode=subscribe…`) was refused; Meta expects
    /// `403 Forbidden`.
    HandshakeRefused(HandshakeRefusal),
    /// The `signed_request` is not `<base64url signature>.<base64url payload>`, is too long,
    /// or its signature does not decode to 32 bytes.
    MalformedSignedRequest,
    /// The `signed_request` signature does not match its payload under any configured app
    /// secret.
    SignedRequestSignatureMismatch,
    /// The signed payload names an `algorithm` other than `HMAC-SHA256`.
    UnsupportedAlgorithm,
    /// The signed payload is not a JSON object with a string `algorithm`, a `user_id` and an
    /// integer `issued_at`.
    InvalidSignedRequestPayload,
    /// The request body is larger than the extractor's limit.
    BodyTooLarge,
    /// The request body could not be read (the connection failed, or a form body was
    /// expected and something else came).
    BodyUnreadable,
}

/// Why a subscription handshake was refused.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HandshakeRefusal {
    /// `hub.mode` is absent.
    MissingMode,
    /// `hub.verify_token` is absent.
    MissingVerifyToken,
    /// `hub.challenge` is absent.
    MissingChallenge,
    /// One of the three `hub.*` parameters appears more than once, so which one counts would be
    /// ambiguous.
    DuplicateParameter,
    /// `hub.mode` is not `subscribe`.
    WrongMode,
    /// `hub.verify_token` is not the configured verify token.
    TokenMismatch,
    /// `hub.challenge` is empty, longer than [`MAX_CHALLENGE_LEN`](crate::MAX_CHALLENGE_LEN),
    /// or holds a character outside visible ASCII, so echoing it could inject content into the
    /// response.
    BadChallenge,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    #[cfg(feature = "axum")]
    pub(crate) fn with_source(kind: ErrorKind, source: impl Into<Source>) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self { kind, source: None }
    }
}

impl From<HandshakeRefusal> for Error {
    fn from(reason: HandshakeRefusal) -> Self {
        ErrorKind::HandshakeRefused(reason).into()
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MissingSignature => "webhook has no X-Hub-Signature-256 header",
            Self::MalformedSignature => "webhook signature header is malformed",
            Self::SignatureMismatch => "webhook signature does not match the body",
            Self::Sha1NotAllowed => {
                "webhook has only a SHA-1 X-Hub-Signature, which this verifier does not accept"
            }
            Self::EmptySecret => "no non-empty app secret is configured",
            Self::HandshakeRefused(reason) => {
                return write!(f, "webhook handshake refused: {reason}");
            }
            Self::MalformedSignedRequest => "signed_request is malformed",
            Self::SignedRequestSignatureMismatch => "signed_request signature does not match",
            Self::UnsupportedAlgorithm => "signed_request uses an algorithm other than HMAC-SHA256",
            Self::InvalidSignedRequestPayload => "signed_request payload is not the expected JSON",
            Self::BodyTooLarge => "request body exceeds the size limit",
            Self::BodyUnreadable => "request body could not be read",
        })
    }
}

impl fmt::Display for HandshakeRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MissingMode => "hub.mode is missing",
            Self::MissingVerifyToken => "hub.verify_token is missing",
            Self::MissingChallenge => "hub.challenge is missing",
            Self::DuplicateParameter => "a hub.* parameter is repeated",
            Self::WrongMode => "hub.mode is not subscribe",
            Self::TokenMismatch => "hub.verify_token does not match",
            Self::BadChallenge => "hub.challenge is empty, too long or not visible ASCII",
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind);
        if let Some(source) = &self.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}
