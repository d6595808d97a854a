//! axum 0.8 integration: extractors that verify before your handler runs, and responses in the
//! shapes Meta expects.
//!
//! | what Meta sends | extractor | on success | on refusal |
//! |---|---|---|---|
//! | webhook `POST` | [`VerifiedBody`] (state: [`SignatureVerifier`]) | the raw body | `401` (bad or missing signature), `413`, `400` |
//! | subscription `GET` | [`VerifiedChallenge`] (state: [`VerifyToken`]) | the [`Challenge`]; return it for `200` | `403` |
//! | deauthorize / data deletion `POST` | [`VerifiedSignedRequest`] (state: [`SignatureVerifier`]) | the [`SignedRequest`] | `400`, `401` |
//!
//! Refusals answer with the bare status reason (`Unauthorized`, …) as the body: the caller is
//! not told which check failed. Match on [`Error::kind`] in your own code if you need to know.
//!
//! ```
//! use axum::Router;
//! use axum::extract::FromRef;
//! use axum::routing::get;
//! use metabiz_webhook_verify::axum::{VerifiedBody, VerifiedChallenge};
//! use metabiz_webhook_verify::{AppSecret, Challenge, SignatureVerifier, VerifyToken};
//!
//! #[derive(Clone)]
//! struct AppState {
//!     verifier: SignatureVerifier,
//!     verify_token: VerifyToken,
//! }
//!
//! impl FromRef<AppState> for SignatureVerifier {
//!     fn from_ref(state: &AppState) -> Self {
//!         state.verifier.clone()
//!     }
//! }
//!
//! impl FromRef<AppState> for VerifyToken {
//!     fn from_ref(state: &AppState) -> Self {
//!         state.verify_token.clone()
//!     }
//! }
//!
//! async fn handshake(VerifiedChallenge(challenge): VerifiedChallenge) -> Challenge {
//!     challenge
//! }
//!
//! async fn event(VerifiedBody(body): VerifiedBody) -> &'static str {
//!     // The signature matched: parse `body` now and hand the work off, then answer fast.
//!     let _ = body;
//!     "EVENT_RECEIVED"
//! }
//!
//! let state = AppState {
//!     verifier: SignatureVerifier::new(&AppSecret::new("app-secret")),
//!     verify_token: VerifyToken::new("verify-token"),
//! };
//! let app: Router = Router::new()
//!     .route("/webhook", get(handshake).post(event))
//!     .with_state(state);
//! ```

use axum::body::{Body, HttpBody as _};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::header::{CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};

use crate::{
    Challenge, DataDeletionResponse, Error, ErrorKind, MAX_SIGNED_REQUEST_LEN, SignatureVerifier,
    SignedRequest, VerifyToken, verify_subscription_query,
};

/// The default body limit of [`VerifiedBody`]: 4 MiB, above the 3 MB WhatsApp webhook bodies
/// can reach.
///
/// axum's own `DefaultBodyLimit` (2 MB) does not apply to this extractor, which reads the
/// body itself; choose another limit with the const parameter, e.g. `VerifiedBody<{ 8 << 20 }>`.
pub const DEFAULT_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The raw body of a webhook `POST` whose `X-Hub-Signature-256` matched.
///
/// The extractor refuses a request with no usable signature header before reading the body,
/// reads at most `LIMIT` bytes, verifies them with the [`SignatureVerifier`] taken from the
/// router state (`SignatureVerifier: FromRef<S>`), and only then hands the bytes over, so no
/// JSON parser ever sees an unauthenticated body. It must be the last extractor of the handler.
///
/// Refusals are the crate's [`Error`], answered as `401 Unauthorized` (missing, malformed or
/// mismatching signature; SHA-1 only without opt-in), `413 Payload Too Large`,
/// `400 Bad Request` (body unreadable) or `500` (no app secret configured). Meta does not read
/// the status of a refused delivery beyond "not 200", so the body says nothing more.
#[derive(Debug, Clone)]
pub struct VerifiedBody<const LIMIT: usize = DEFAULT_BODY_LIMIT>(pub Bytes);

impl<S, const LIMIT: usize> FromRequest<S> for VerifiedBody<LIMIT>
where
    SignatureVerifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = SignatureVerifier::from_ref(state);
        let tag = verifier.header_tag(req.headers())?;
        let body = read_body(req.into_body(), LIMIT).await?;
        verifier.check_tag(&tag, &body)?;
        Ok(Self(body))
    }
}

/// The `hub.challenge` of a subscription `GET` that passed
/// [`verify_subscription_query`] against the
/// [`VerifyToken`] from the router state (`VerifyToken: FromRef<S>`).
///
/// Return the [`Challenge`] from the handler to answer `200` with it as a `text/plain` body.
/// A refused handshake answers `403 Forbidden`, as Meta expects.
#[derive(Debug, Clone)]
pub struct VerifiedChallenge(pub Challenge);

impl<S> FromRequestParts<S> for VerifiedChallenge
where
    VerifyToken: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = VerifyToken::from_ref(state);
        verify_subscription_query(parts.uri.query().unwrap_or_default(), &token).map(Self)
    }
}

/// The verified `signed_request` of a Deauthorize or Data Deletion Request callback, read from
/// the `application/x-www-form-urlencoded` body with the [`SignatureVerifier`] from the router
/// state. See [`SignedRequest::from_form`].
///
/// Refusals answer `401` (signature mismatch), `400` (anything malformed) or `413`.
#[derive(Debug, Clone)]
pub struct VerifiedSignedRequest(pub SignedRequest);

impl<S> FromRequest<S> for VerifiedSignedRequest
where
    SignatureVerifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = SignatureVerifier::from_ref(state);
        let body = read_body(req.into_body(), 2 * MAX_SIGNED_REQUEST_LEN).await?;
        SignedRequest::from_form(&body, &verifier).map(Self)
    }
}

async fn read_body(body: Body, limit: usize) -> Result<Bytes, Error> {
    // A declared length over the limit is refused without reading anything.
    if usize::try_from(body.size_hint().lower()).map_or(true, |len| len > limit) {
        return Err(ErrorKind::BodyTooLarge.into());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<LengthLimitError>() => Err(ErrorKind::BodyTooLarge.into()),
        Err(err) => Err(Error::with_source(ErrorKind::BodyUnreadable, err)),
    }
}

impl Error {
    /// The HTTP status this refusal is answered with by the extractors: `401` for webhook and
    /// `signed_request` signature failures, `403` for a refused handshake, `413` for a body over
    /// the limit, `500` when no app secret is configured, `400` for the rest.
    pub fn status_code(&self) -> StatusCode {
        match self.kind() {
            ErrorKind::MissingSignature
            | ErrorKind::MalformedSignature
            | ErrorKind::SignatureMismatch
            | ErrorKind::Sha1NotAllowed
            | ErrorKind::SignedRequestSignatureMismatch => StatusCode::UNAUTHORIZED,
            ErrorKind::HandshakeRefused(_) => StatusCode::FORBIDDEN,
            ErrorKind::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::EmptySecret => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::MalformedSignedRequest
            | ErrorKind::UnsupportedAlgorithm
            | ErrorKind::InvalidSignedRequestPayload
            | ErrorKind::BodyUnreadable => StatusCode::BAD_REQUEST,
        }
    }
}

/// Answers with [`Error::status_code`] and its bare reason phrase, never the error's details.
impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status_code();
        plain_text(
            status,
            status.canonical_reason().unwrap_or_default().to_owned(),
        )
    }
}

/// `200 OK` with the challenge as a `text/plain` body and `X-Content-Type-Options: nosniff`,
/// the answer Meta expects to a subscription handshake.
impl IntoResponse for Challenge {
    fn into_response(self) -> Response {
        plain_text(StatusCode::OK, self.into_string())
    }
}

/// `200 OK` with the `{"url", "confirmation_code"}` JSON Meta expects from a Data Deletion
/// Request callback.
impl IntoResponse for DataDeletionResponse {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self) {
            Ok(json) => {
                let mut response = Response::new(Body::from(json));
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                response
            }
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}

fn plain_text(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}
