//! The reference server, assembled from the metabiz crates: Instagram, Messenger and WhatsApp
//! webhooks verified, logged durably and turned into one inbox of conversations and messages.
//!
//! This is the first part of the server: webhook intake and storage. Every verified `POST` is
//! committed to the webhook log before the 200 goes out (5xx when storage is down, so Meta
//! retries), then processed in the background into conversations and messages, idempotently:
//! the same delivery twice or fifty times gives one row, statuses merge by rank in any
//! order, and echoes of the business's own messages match the message instead of doubling
//! it. A body that fails to process keeps its error and attempt count and is retried by
//! `inbox-server replay`; after [`store::MAX_ATTEMPTS`] it is dead-lettered, never lost.

pub mod store;

use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{FromRef, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use messaging_core::PlatformKind;
use metabiz_webhook_verify::axum::{VerifiedBody, VerifiedChallenge};
use metabiz_webhook_verify::{Challenge, SignatureVerifier, VerifyToken};

use crate::store::Store;

/// What every request handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Checks `X-Hub-Signature-256` with the app secret.
    pub verifier: SignatureVerifier,
    /// The token Meta's subscription handshake must present.
    pub verify_token: VerifyToken,
}

impl FromRef<AppState> for SignatureVerifier {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

impl FromRef<AppState> for VerifyToken {
    fn from_ref(state: &AppState) -> Self {
        state.verify_token.clone()
    }
}

/// The server's routes.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route(
            "/api/webhooks/{platform}/",
            get(handshake).post(receive_webhook),
        )
        .route("/healthz", get(healthz))
        .with_state(state)
}

fn platform(name: &str) -> Option<PlatformKind> {
    match name {
        "whatsapp" => Some(PlatformKind::WhatsApp),
        "messenger" => Some(PlatformKind::Messenger),
        "instagram" => Some(PlatformKind::Instagram),
        _ => None,
    }
}

async fn handshake(
    Path(name): Path<String>,
    VerifiedChallenge(challenge): VerifiedChallenge,
) -> Result<Challenge, StatusCode> {
    platform(&name).ok_or(StatusCode::NOT_FOUND)?;
    Ok(challenge)
}

async fn receive_webhook(
    State(state): State<AppState>,
    Path(name): Path<String>,
    VerifiedBody(body): VerifiedBody,
) -> impl IntoResponse {
    let Some(platform) = platform(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    match state.store.log_webhook(platform, &body, now_ms).await {
        Ok(id) => {
            // Committed: Meta may be told. Processing happens after the answer.
            let store = state.store.clone();
            tokio::spawn(async move {
                if let Err(error) = store.process(id).await {
                    tracing::error!(log_id = id, %error, "processing a logged webhook failed");
                }
            });
            (StatusCode::OK, "EVENT_RECEIVED").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "could not log a webhook body");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn healthz(State(state): State<AppState>) -> StatusCode {
    if state.store.is_healthy().await {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}
