//! API tokens: random, shown once, stored only as a SHA-256 hash, and the bearer extractor.

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
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

/// The token a request presents: `Authorization: Bearer <token>`, or on `/api/ws` (browsers
/// cannot set headers on a WebSocket) `?access_token=`. Two `Authorization` headers are no
/// token: which one a proxy or a client meant is not ours to guess.
fn presented_token(parts: &Parts) -> Option<String> {
    let mut values = parts.headers.get_all(header::AUTHORIZATION).iter();
    let (first, second) = (values.next(), values.next());
    if second.is_some() {
        return None;
    }
    let header = first
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|v| v.trim().to_owned());
    header.or_else(|| {
        (parts.uri.path() == "/api/ws")
            .then(|| parts.uri.query())
            .flatten()
            .and_then(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == "access_token")
                    .map(|(_, v)| v.into_owned())
            })
    })
}

/// The user of `token`, looked up by its hash: the database compares digests, never the
/// token, so the lookup's timing says nothing about the token's bytes.
async fn user_of(store: &Store, token: &str) -> Result<User, Response> {
    match store.user_by_token_hash(&hash_token(token)).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(unauthorized()),
        Err(error) => Err(ApiError::from(error).into_response()),
    }
}

impl<S> FromRequestParts<S> for Caller
where
    Store: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = presented_token(parts).ok_or_else(unauthorized)?;
        user_of(&Store::from_ref(state), &token).await.map(Self)
    }
}

/// `Option<Caller>`: `None` when the request presents no token at all, for routes that are
/// public but check a caller who does identify (the OAuth callback). A token that is presented
/// but unknown is still refused with 401, never taken for "anonymous".
impl<S> OptionalFromRequestParts<S> for Caller
where
    Store: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let presented = presented_token(parts).or_else(|| {
            parts
                .headers
                .contains_key(header::AUTHORIZATION)
                .then(String::new)
        });
        match presented {
            None => Ok(None),
            Some(token) => user_of(&Store::from_ref(state), &token)
                .await
                .map(|user| Some(Self(user))),
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
