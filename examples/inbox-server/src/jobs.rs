//! The sync scheduler: every account's history kept up to date, one instance per account at
//! a time, coordinated only through the database.
//!
//! Each round claims the accounts that are due ([`Store::claim_due_accounts`](crate::store::Store::claim_due_accounts): never synced,
//! synced longer than the period ago, or asked for with `POST /api/platforms/{id}/sync`) and
//! syncs them concurrently, each under its own lease:
//!
//! - Messenger and Instagram: the conversations updated since the last sync, newest first,
//!   and their new messages, page by page, upserted idempotently (a sync that overlaps
//!   webhooks adds nothing twice).
//! - WhatsApp, which has no history API: the phone number's health (quality rating, name)
//!   and whether the app is subscribed to the business account's webhooks.
//!
//! `last_sync_at` moves only when a sync completes. A throttled account is postponed by the
//! wait Meta asked for (or [`SyncConfig::throttle_backoff`]) while the others proceed; a
//! token Meta refuses (error 190) flags the account `needs_reauth`, stops its calls and tells
//! its user live; a token that expires within [`TOKEN_EXPIRY_WARNING`] is flagged in the
//! account's metadata, since Page and system-user tokens cannot be refreshed by the server.

use std::time::Duration;

use futures_util::StreamExt as _;
use messaging_core::{ErrorKind, Platform};
use metabiz_whatsapp::{PhoneNumberId, WabaId, WhatsAppClient};
use serde_json::json;

use crate::AppState;
use crate::crypto::token_context;
use crate::store::{Account, StoreError, now_ms};

/// How close to its expiry a token is flagged.
pub const TOKEN_EXPIRY_WARNING: Duration = Duration::from_secs(7 * 24 * 3600);

/// How the scheduler runs.
#[derive(Clone, Debug)]
pub struct SyncConfig {
    /// How often each account is synced.
    pub period: Duration,
    /// How long a claimed account stays leased: a crashed instance's account is picked up
    /// after this.
    pub lease: Duration,
    /// How often the scheduler looks for due accounts (requested syncs start within it).
    pub tick: Duration,
    /// Accounts synced at once by this instance.
    pub concurrency: usize,
    /// How long a throttled account waits when Meta did not say.
    pub throttle_backoff: Duration,
    /// How long an account waits after any other failure.
    pub failure_backoff: Duration,
    /// This instance's name in the leases.
    pub holder: String,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            period: Duration::from_secs(5 * 60),
            lease: Duration::from_secs(10 * 60),
            tick: Duration::from_secs(15),
            concurrency: 4,
            throttle_backoff: Duration::from_secs(5 * 60),
            failure_backoff: Duration::from_secs(60),
            holder: format!("{}-{}", std::process::id(), crate::auth::random_token(6)),
        }
    }
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Accounts whose sync completed.
    pub synced: Vec<i64>,
    /// Accounts postponed because Meta throttled them.
    pub throttled: Vec<i64>,
    /// Accounts flagged `needs_reauth`.
    pub flagged: Vec<i64>,
    /// Accounts whose sync failed otherwise.
    pub failed: Vec<i64>,
    /// Messages stored that were not there before.
    pub new_messages: usize,
}

enum Outcome {
    Synced { new_messages: usize },
    Throttled(Option<Duration>, String),
    Unauthorized,
    Failed(String),
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// Runs rounds forever, one every [`SyncConfig::tick`].
pub async fn run(state: AppState, config: SyncConfig) {
    let mut tick = tokio::time::interval(config.tick);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match run_once(&state, &config).await {
            Ok(report) if report != SyncReport::default() => {
                tracing::info!(
                    synced = report.synced.len(),
                    throttled = report.throttled.len(),
                    flagged = report.flagged.len(),
                    failed = report.failed.len(),
                    new_messages = report.new_messages,
                    "sync round"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "a sync round could not claim accounts"),
        }
    }
}

/// One round: claims the due accounts and syncs them, at most
/// [`SyncConfig::concurrency`] at once.
///
/// # Errors
///
/// A [`StoreError`] when the accounts cannot be claimed; each account's own failure is in the
/// report instead.
pub async fn run_once(state: &AppState, config: &SyncConfig) -> Result<SyncReport, StoreError> {
    let limit = i64::try_from(config.concurrency.max(1) * 4).unwrap_or(16);
    let accounts = state
        .store
        .claim_due_accounts(&config.holder, ms(config.period), ms(config.lease), limit)
        .await?;
    let outcomes: Vec<(Account, Outcome)> = futures_util::stream::iter(accounts)
        .map(|account| async move {
            let outcome = sync_account(state, &account, &config.holder).await;
            (account, outcome)
        })
        .buffer_unordered(config.concurrency.max(1))
        .collect()
        .await;
    let mut report = SyncReport::default();
    for (account, outcome) in outcomes {
        let lease = format!("sync:{}", account.id);
        match outcome {
            Outcome::Synced { new_messages } => {
                report.new_messages += new_messages;
                report.synced.push(account.id);
            }
            Outcome::Throttled(wait, error) => {
                let wait = wait.unwrap_or(config.throttle_backoff);
                state
                    .store
                    .postpone_sync(account.id, &config.holder, now_ms() + ms(wait), &error)
                    .await?;
                report.throttled.push(account.id);
            }
            Outcome::Unauthorized => {
                state.mark_needs_reauth(&account).await;
                state.store.release_lease(&lease, &config.holder).await?;
                report.flagged.push(account.id);
            }
            Outcome::Failed(error) => {
                tracing::warn!(account = account.id, %error, "sync failed");
                state
                    .store
                    .postpone_sync(
                        account.id,
                        &config.holder,
                        now_ms() + ms(config.failure_backoff),
                        &error,
                    )
                    .await?;
                report.failed.push(account.id);
            }
        }
    }
    report.synced.sort_unstable();
    Ok(report)
}

fn classify(error: &messaging_core::Error) -> Outcome {
    match error.kind() {
        ErrorKind::Unauthorized => Outcome::Unauthorized,
        ErrorKind::Throttled { retry_after } => Outcome::Throttled(*retry_after, error.to_string()),
        _ => Outcome::Failed(error.to_string()),
    }
}

async fn sync_account(state: &AppState, account: &Account, holder: &str) -> Outcome {
    // Paused by Meta (seen on a reply or an earlier call): postponed, not waited out, so
    // the round goes on to the other accounts.
    if let Some(wait) = state.clients.paused_for(account.id) {
        return Outcome::Throttled(
            Some(wait),
            "the account is paused after Meta throttled it".to_owned(),
        );
    }
    let mut sealed = match state.store.account_token(account.id).await {
        Ok(sealed) => sealed.unwrap_or_default(),
        Err(error) => return Outcome::Failed(error.to_string()),
    };
    let mut extra = json!({});
    if let Some(expires) = account.token_expires_at {
        let mut expiring = expires - now_ms() < ms(TOKEN_EXPIRY_WARNING);
        if expiring && is_instagram_login(account) {
            match refresh_instagram_token(state, account, &sealed).await {
                Ok(Some(new)) => {
                    sealed = new;
                    expiring = false;
                }
                Ok(None) => {}
                Err(outcome) => return outcome,
            }
        }
        extra["token_expiring"] = json!(expiring);
        if expiring && account.metadata.get("token_expiring") != Some(&json!(true)) {
            state
                .live
                .publish_raw(
                    account.user_id,
                    json!({"type": "account.updated", "account_id": account.id, "token_expiring": true}),
                )
                .await;
        }
    }
    let result = if account.platform == "whatsapp" {
        whatsapp_health(state, account, &sealed).await
    } else {
        match state
            .clients
            .get(&state.meta, &state.cipher, account, &sealed)
        {
            Ok(platform) => history(state, platform.as_ref(), account).await,
            Err(error) => return Outcome::Failed(error.to_string()),
        }
    };
    match result {
        Ok((new_messages, health)) => {
            if let (Some(target), Some(health)) = (extra.as_object_mut(), health) {
                target.extend(health.as_object().cloned().unwrap_or_default());
            }
            match state.store.finish_sync(account, holder, Some(&extra)).await {
                Ok(()) => Outcome::Synced { new_messages },
                Err(error) => Outcome::Failed(error.to_string()),
            }
        }
        Err(outcome) => outcome,
    }
}

fn is_instagram_login(account: &Account) -> bool {
    account.platform == "instagram"
        && account
            .metadata
            .get("login")
            .and_then(serde_json::Value::as_str)
            == Some("instagram_login")
}

/// Refreshes an Instagram Login token (Meta allows it for a long-lived token at least a day
/// old and not expired); returns the new sealed token, or `None` when Meta refused for
/// another reason than the token (the account is then flagged as expiring).
async fn refresh_instagram_token(
    state: &AppState,
    account: &Account,
    sealed: &str,
) -> Result<Option<String>, Outcome> {
    let context = token_context(&account.platform, &account.external_id);
    let token = state
        .cipher
        .open(sealed, &context)
        .map_err(|e| Outcome::Failed(e.to_string()))?;
    match state
        .meta
        .instagram
        .refresh(&meta_graph::AccessToken::new(token.as_str()))
        .await
    {
        Ok(fresh) => {
            let new = state
                .cipher
                .seal(fresh.access_token.expose_secret(), &context)
                .map_err(|e| Outcome::Failed(e.to_string()))?;
            let expires = fresh.expires_in.map(|d| now_ms() + ms(d));
            state
                .store
                .replace_token(account.id, &new, expires)
                .await
                .map_err(|e| Outcome::Failed(e.to_string()))?;
            tracing::info!(account = account.id, "Instagram token refreshed");
            Ok(Some(new))
        }
        Err(error) if matches!(error.class(), Some(meta_graph::ErrorClass::TokenInvalid(_))) => {
            Err(Outcome::Unauthorized)
        }
        Err(error) => {
            tracing::warn!(account = account.id, %error, "Instagram token refresh failed");
            Ok(None)
        }
    }
}

/// Messenger and Instagram: conversations updated since the last sync and their messages.
async fn history(
    state: &AppState,
    platform: &dyn Platform,
    account: &Account,
) -> Result<(usize, Option<serde_json::Value>), Outcome> {
    // A minute of overlap: a message that arrived during the last sync is fetched again
    // (and stored once).
    let since = account.last_sync_at.map_or(i64::MIN, |at| at - 60_000);
    let mut new_messages = 0;
    let mut cursor = None;
    'conversations: loop {
        let page = platform
            .conversations(cursor.as_ref())
            .await
            .map_err(|e| classify(&e))?;
        for conversation in &page.items {
            if conversation.updated_time_ms < since {
                break 'conversations;
            }
            let mut message_cursor = None;
            loop {
                let messages = platform
                    .messages(&conversation.id, message_cursor.as_ref())
                    .await
                    .map_err(|e| classify(&e))?;
                let fresh: Vec<_> = messages
                    .items
                    .iter()
                    .filter(|m| m.timestamp_ms >= since)
                    .cloned()
                    .collect();
                let older_reached = fresh.len() < messages.items.len();
                let touched = state
                    .store
                    .upsert_messages(&fresh)
                    .await
                    .map_err(|e| Outcome::Failed(e.to_string()))?;
                new_messages += touched.len();
                state.live.publish(&touched).await;
                match messages.next {
                    Some(next) if !older_reached => message_cursor = Some(next),
                    _ => break,
                }
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok((new_messages, None))
}

/// WhatsApp: the number's health and the app's webhook subscription.
async fn whatsapp_health(
    state: &AppState,
    account: &Account,
    sealed: &str,
) -> Result<(usize, Option<serde_json::Value>), Outcome> {
    let token = state
        .cipher
        .open(
            sealed,
            &token_context(&account.platform, &account.external_id),
        )
        .map_err(|e| Outcome::Failed(e.to_string()))?;
    let client = WhatsAppClient::new(
        state.meta.graph.clone(),
        PhoneNumberId::new(account.external_id.as_str()),
        meta_graph::AccessToken::new(token.as_str()),
    );
    let to_outcome = |error: metabiz_whatsapp::Error| classify(&messaging_core::Error::from(error));
    let number = client.phone_number().await.map_err(to_outcome)?;
    let mut health = json!({
        "display_phone_number": number.display_phone_number,
        "verified_name": number.verified_name,
        "quality_rating": serde_json::to_value(&number.quality_rating).unwrap_or_default(),
        "health_checked_at": now_ms(),
    });
    if let Some(waba) = account
        .metadata
        .get("business_account_id")
        .and_then(serde_json::Value::as_str)
    {
        let apps = client
            .subscribed_apps(&WabaId::new(waba))
            .await
            .map_err(to_outcome)?;
        let subscribed = match &state.meta.app_id {
            Some(app) => apps.contains_app(app.as_str()),
            None => !apps.data.is_empty(),
        };
        health["webhooks_subscribed"] = json!(subscribed);
        if !subscribed {
            tracing::warn!(
                account = account.id,
                "the app is not subscribed to this WhatsApp Business Account's webhooks"
            );
        }
    }
    Ok((0, Some(health)))
}
