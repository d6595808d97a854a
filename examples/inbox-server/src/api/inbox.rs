//! `/api/conversations` and `/api/analytics/daily`: the unified inbox.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use messaging_core::{ErrorKind, MessageId, UserId};
use serde::Deserialize;
use serde_json::json;

use super::extract::{JsonBody, Path, Query};
use super::{ApiError, decode_cursor, encode_cursor, graph_details};
use crate::AppState;
use crate::auth::Caller;
use crate::store::{AccountStatus, ConversationFilter, OutboundOutcome, PageRequest, now_ms};

/// How long after the person's last message a free-form reply is allowed.
pub const REPLY_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

#[derive(Deserialize)]
pub(super) struct ListQuery {
    platform: Option<String>,
    unread: Option<bool>,
    cursor: Option<String>,
    limit: Option<i64>,
}

fn page(cursor: Option<&str>, limit: Option<i64>) -> Result<PageRequest, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "`limit` must be between 1 and {MAX_LIMIT}"
        )));
    }
    Ok(PageRequest {
        after: cursor.map(decode_cursor).transpose()?,
        limit,
    })
}

pub(super) async fn conversations(
    State(state): State<AppState>,
    Caller(user): Caller,
    Query(query): Query<ListQuery>,
) -> Result<impl IntoResponse, ApiError> {
    if let Some(platform) = &query.platform
        && !matches!(platform.as_str(), "whatsapp" | "messenger" | "instagram")
    {
        return Err(ApiError::bad_request(
            "`platform` must be whatsapp, messenger or instagram",
        ));
    }
    let request = page(query.cursor.as_deref(), query.limit)?;
    let filter = ConversationFilter {
        platform: query.platform,
        unread: query.unread.unwrap_or(false),
    };
    let rows = state.store.conversations(user.id, &filter, request).await?;
    let next = (i64::try_from(rows.len()).unwrap_or(i64::MAX) == request.limit)
        .then(|| rows.last().map(|c| encode_cursor(c.last_message_at, c.id)))
        .flatten();
    Ok(Json(json!({ "data": rows, "next_cursor": next })))
}

#[derive(Deserialize)]
pub(super) struct MessagesQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

pub(super) async fn messages(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    Query(query): Query<MessagesQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let request = page(query.cursor.as_deref(), query.limit)?;
    let conversation = state
        .store
        .conversation(user.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("conversation"))?;
    let rows = state.store.messages(conversation.id, request).await?;
    let next = (i64::try_from(rows.len()).unwrap_or(i64::MAX) == request.limit)
        .then(|| rows.last().map(|m| encode_cursor(m.timestamp_ms, m.id)))
        .flatten();
    Ok(Json(json!({ "data": rows, "next_cursor": next })))
}

#[derive(Deserialize)]
pub(super) struct ReplyBody {
    text: String,
}

/// `POST /api/conversations/{id}/messages`: stored as pending, then sent through the
/// platform's SDK client, then recorded as sent, failed (with the Graph error) or ambiguous.
pub(super) async fn reply(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ReplyBody>,
) -> Result<Response, ApiError> {
    if body.text.trim().is_empty() {
        return Err(ApiError::bad_request("`text` is empty"));
    }
    let conversation = state
        .store
        .conversation(user.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("conversation"))?;
    let account = state
        .store
        .account(user.id, conversation.platform_account_id)
        .await?
        .ok_or_else(|| ApiError::not_found("conversation"))?;
    if account.status != AccountStatus::Active {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "account_not_active",
            format!(
                "the {} account is {}: connect it again to reply",
                account.platform,
                account.status.as_str()
            ),
        ));
    }
    let now = now_ms();
    // The window check comes first: nothing is stored or sent outside it.
    if conversation
        .last_inbound_at
        .is_none_or(|at| now - at > REPLY_WINDOW_MS)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "outside_window",
            "the person last wrote more than 24 hours ago: a free-form reply is not allowed \
             (WhatsApp needs an approved template; Messenger and Instagram a message tag)",
        ));
    }
    // Meta asked this account to wait (its usage hit 100 %, or a send was refused with a
    // regain time): a send now would sit in the account's throttle for minutes. Refuse at
    // once instead, storing and sending nothing; the other accounts are not affected.
    if let Some(wait) = state.clients.paused_for(account.id) {
        let seconds = wait.as_secs().max(1);
        let mut response = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            format!(
                "Meta is throttling the {} account: try again in {seconds} s",
                account.platform
            ),
        )
        .with("retry_after_seconds", seconds)
        .into_response();
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
        return Ok(response);
    }
    let sealed = state
        .store
        .account_token(account.id)
        .await?
        .unwrap_or_default();
    let platform = state
        .clients
        .get(&state.meta, &state.cipher, &account, &sealed)
        .map_err(|e| ApiError::new(StatusCode::CONFLICT, "account_unusable", e.to_string()))?;
    let pending = state
        .store
        .begin_outbound(&conversation, &body.text, now)
        .await?;
    state
        .live
        .publish(&[crate::store::Touched {
            message_row: pending.id,
            created: true,
        }])
        .await;
    // The send and its record run in a task of their own: a client that goes away or a
    // server timeout cannot leave the message pending with its fate unrecorded.
    let task_state = state.clone();
    let text = body.text.clone();
    let pending_id = pending.id;
    let to = UserId::new(conversation.counterpart_id.as_str());
    let outcome = tokio::spawn(async move {
        let result = platform.send_text(&to, &text).await;
        settle_reply(&task_state, &account, pending_id, result).await
    })
    .await
    .map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "send_failed",
            "the send task failed",
        )
    })??;
    let message = state
        .store
        .message(pending.id)
        .await?
        .ok_or_else(|| ApiError::not_found("message"))?;
    Ok((outcome, Json(json!({ "message": message }))).into_response())
}

/// Records how a reply's send ended and announces it; returns the HTTP status to answer.
async fn settle_reply(
    state: &AppState,
    account: &crate::store::Account,
    pending_id: i64,
    result: Result<messaging_core::SentMessage, messaging_core::Error>,
) -> Result<StatusCode, ApiError> {
    let (outcome, status) = match result {
        Ok(sent) => (
            OutboundOutcome::Sent(sent.message_id.as_str().to_owned()),
            StatusCode::CREATED,
        ),
        Err(error) => {
            state.clients.observe_failure(account, &error);
            let details = json!({
                "kind": format!("{:?}", error.kind()),
                "message": error.to_string(),
                "graph": graph_details(&error),
            });
            match error.kind() {
                ErrorKind::Ambiguous => (OutboundOutcome::Ambiguous(details), StatusCode::ACCEPTED),
                kind => {
                    if matches!(kind, ErrorKind::Unauthorized) {
                        state.mark_needs_reauth(account).await;
                    }
                    (OutboundOutcome::Failed(details), StatusCode::BAD_GATEWAY)
                }
            }
        }
    };
    let touched = state.store.finish_outbound(pending_id, &outcome).await?;
    state.live.publish(&touched).await;
    Ok(status)
}

/// `POST /api/conversations/{id}/read`: clears the unread count and tells the platform.
pub(super) async fn mark_read(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, ApiError> {
    let conversation = state
        .store
        .conversation(user.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("conversation"))?;
    let last_inbound = state.store.mark_conversation_read(conversation.id).await?;
    let mut told_platform = false;
    if let (Some(message), Some(account)) = (
        last_inbound,
        state
            .store
            .account(user.id, conversation.platform_account_id)
            .await?
            .filter(|a| a.status == AccountStatus::Active),
    ) {
        let sealed = state
            .store
            .account_token(account.id)
            .await?
            .unwrap_or_default();
        if let Ok(platform) = state
            .clients
            .get(&state.meta, &state.cipher, &account, &sealed)
        {
            let user_id = UserId::new(conversation.counterpart_id.as_str());
            match platform
                .mark_read(&user_id, &MessageId::new(message.as_str()))
                .await
            {
                Ok(()) => told_platform = true,
                Err(error) => {
                    if matches!(error.kind(), ErrorKind::Unauthorized) {
                        state.mark_needs_reauth(&account).await;
                    }
                    tracing::warn!(%error, "marking read on the platform failed");
                }
            }
        }
    }
    Ok(Json(
        json!({ "unread_count": 0, "marked_on_platform": told_platform }),
    ))
}

#[derive(Deserialize)]
pub(super) struct DailyQuery {
    from: Option<String>,
    to: Option<String>,
    platform: Option<String>,
}

fn day(value: Option<&str>, default: time::Date, name: &str) -> Result<String, ApiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = match value {
        Some(text) => time::Date::parse(text, format)
            .map_err(|_| ApiError::bad_request(format!("`{name}` must be a date, YYYY-MM-DD")))?,
        None => default,
    };
    date.format(format)
        .map_err(|_| ApiError::bad_request(format!("`{name}` is out of range")))
}

pub(super) async fn daily(
    State(state): State<AppState>,
    Caller(user): Caller,
    Query(query): Query<DailyQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let today = time::OffsetDateTime::now_utc().date();
    let from = day(
        query.from.as_deref(),
        today - time::Duration::days(29),
        "from",
    )?;
    let to = day(query.to.as_deref(), today, "to")?;
    if from > to {
        return Err(ApiError::bad_request("`from` is after `to`"));
    }
    let rows = state
        .store
        .daily(user.id, &from, &to, query.platform.as_deref())
        .await?;
    Ok(Json(json!({ "from": from, "to": to, "data": rows })))
}

impl AppState {
    /// Meta refused an account's token: flag it, stop using its client, tell its owner.
    pub(crate) async fn mark_needs_reauth(&self, account: &crate::store::Account) {
        if let Err(error) = self
            .store
            .set_account_status(account.id, AccountStatus::NeedsReauth)
            .await
        {
            tracing::error!(%error, "could not flag an account for reconnection");
        }
        self.clients.forget(account.id);
        self.live
            .publish_raw(
                account.user_id,
                json!({"type": "account.updated", "account_id": account.id, "status": "needs_reauth"}),
            )
            .await;
    }
}
