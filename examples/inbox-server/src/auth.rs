//! API tokens: random, shown once, stored only as a SHA-256 hash, and the bearer extractor.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

use crate::api::ApiError;
use crate::store::{Store, User};

/// The prefix of every API token, so that a leaked one is recognizable.
pub const TOKEN_PREFIX: &str = "ibx_";

/// `bytes` random bytes, base64url.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0_u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// A new API token: `ibx_` and 32 random bytes.
pub fn new_api_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_token(32))
}

/// The hex SHA-256 a token is stored and looked up by. Tokens carry 256 random bits, so a
/// fast hash is enough: there is nothing to brute-force.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The caller, from `Authorization: Bearer <token>`. Rejects with 401 otherwise.
#[derive(Clone, Debug)]
pub struct Caller(pub User);

impl<S> FromRequestParts<S> for Caller
where
    Store: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim);
        // Browsers cannot set headers on a WebSocket: `/api/ws` also takes `?access_token=`.
        let from_query;
        let token = match token {
            Some(token) => token,
            None if parts.uri.path() == "/api/ws" => {
                from_query = parts.uri.query().and_then(|q| {
                    url::form_urlencoded::parse(q.as_bytes())
                        .find(|(k, _)| k == "access_token")
                        .map(|(_, v)| v.into_owned())
                });
                from_query.as_deref().ok_or_else(unauthorized)?
            }
            None => return Err(unauthorized()),
        };
        let store = Store::from_ref(state);
        match store.user_by_token_hash(&hash_token(token)).await {
            Ok(Some(user)) => Ok(Self(user)),
            Ok(None) => Err(unauthorized()),
            Err(error) => Err(ApiError::from(error).into_response()),
        }
    }
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        axum::Json(serde_json::json!({
            "error": {"code": "unauthorized", "message": "a valid `Authorization: Bearer <token>` is required"}
        })),
    )
        .into_response()
}
