//! Meta's webhooks: the subscription handshake, and each POST logged before the 200.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use messaging_core::PlatformKind;
use metabiz_webhook_verify::Challenge;
use metabiz_webhook_verify::axum::{VerifiedBody, VerifiedChallenge};

use super::BODY_LIMIT;
use crate::AppState;

fn platform(name: &str) -> Option<PlatformKind> {
    match name {
        "whatsapp" => Some(PlatformKind::WhatsApp),
        "messenger" => Some(PlatformKind::Messenger),
        "instagram" => Some(PlatformKind::Instagram),
        _ => None,
    }
}

pub(super) async fn handshake(
    Path(name): Path<String>,
    VerifiedChallenge(challenge): VerifiedChallenge,
) -> Result<Challenge, StatusCode> {
    platform(&name).ok_or(StatusCode::NOT_FOUND)?;
    Ok(challenge)
}

pub(super) async fn receive(
    State(state): State<AppState>,
    Path(name): Path<String>,
    VerifiedBody(body): VerifiedBody<BODY_LIMIT>,
) -> Response {
    let Some(platform) = platform(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    metrics::counter!("inbox_webhooks_received_total", "platform" => name).increment(1);
    // Committed (with whatever else arrived meanwhile) before Meta is told; processing
    // happens after the answer.
    match state.intake.log(platform, body).await {
        Ok(_) => (StatusCode::OK, "EVENT_RECEIVED").into_response(),
        Err(error) => {
            metrics::counter!("inbox_webhooks_unlogged_total").increment(1);
            tracing::error!(%error, "could not log a webhook body");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
