//! The reference server, assembled from the metabiz crates: connect Instagram, Messenger and
//! WhatsApp accounts, receive their webhooks, keep every conversation and message in one
//! database, answer from one API, and push changes live.
//!
//! - Webhooks: every verified `POST` is committed to the webhook log before the 200 goes out
//!   (5xx when storage is down, so Meta retries), then processed in the background into
//!   conversations and messages, idempotently: the same delivery twice or fifty times gives
//!   one row, statuses merge by rank in any order, and echoes of the business's own messages
//!   match the message instead of doubling it. A body that fails to process keeps its error
//!   and attempt count and is retried; after [`store::MAX_ATTEMPTS`] it is dead-lettered for
//!   `inbox-server replay`, never lost.
//! - Accounts: Messenger and Instagram connect through Facebook Login (a single-use `state`
//!   bound to the user, 10 minutes), WhatsApp with a token checked against the Graph API.
//!   Tokens are sealed with XChaCha20-Poly1305 ([`crypto`]).
//! - The inbox API ([`api::routes`]) with bearer tokens, and a WebSocket feed ([`live`]).

pub mod aggregate;
pub mod api;
pub mod auth;
pub mod clients;
pub mod crypto;
pub mod demo;
pub mod intake;
pub mod jobs;
pub mod live;
pub mod metrics;
pub mod store;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::FromRef;
use axum::http::StatusCode;
use meta_graph::{AppId, AppSecret, GraphClient};
use metabiz_webhook_verify::{SignatureVerifier, VerifyToken};

use crate::api::ApiError;
use crate::clients::Clients;
use crate::crypto::Cipher;
use crate::live::Live;
use crate::store::Store;

/// How long one Graph call may take, retries and Meta's requested waits included. The API
/// answers people waiting on a reply: a throttled send fails with Meta's error (and the time
/// to wait) rather than holding the request for the minute Meta asked for.
pub const GRAPH_CALL_DEADLINE: Duration = Duration::from_secs(10);

/// The retry policy of the server's Graph calls: the SDK's, within [`GRAPH_CALL_DEADLINE`].
pub fn graph_retry_policy() -> meta_graph::RetryPolicy {
    meta_graph::RetryPolicy::default().with_deadline(Some(GRAPH_CALL_DEADLINE))
}

/// The Meta app the server acts as.
#[derive(Clone, Debug)]
pub struct MetaApp {
    /// `META_APP_ID`: needed for the OAuth connect flows.
    pub app_id: Option<AppId>,
    /// `META_APP_SECRET`: signs webhooks, `appsecret_proof`, the token exchange.
    pub app_secret: AppSecret,
    /// `META_REDIRECT_URI`: the callback URL registered for the app
    /// (`…/api/platforms/callback`).
    pub redirect_uri: Option<String>,
    /// The Graph client every account's client is made from (version, base URL, app secret).
    pub graph: GraphClient,
    /// Instagram Login's hosts, for accounts connected without a Page (their clients and
    /// token refresh).
    pub instagram: meta_graph::oauth::InstagramLogin,
}

impl MetaApp {
    fn oauth_settings(&self) -> Result<(&AppId, &str), ApiError> {
        match (&self.app_id, &self.redirect_uri) {
            (Some(id), Some(uri)) => Ok((id, uri)),
            _ => Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not_configured",
                "connecting by OAuth needs META_APP_ID and META_REDIRECT_URI",
            )),
        }
    }
}

/// What every request handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Checks `X-Hub-Signature-256` with the app secret.
    pub verifier: SignatureVerifier,
    /// The token Meta's subscription handshake must present.
    pub verify_token: VerifyToken,
    /// Seals and opens platform tokens.
    pub cipher: Arc<Cipher>,
    /// The Meta app.
    pub meta: Arc<MetaApp>,
    /// The live feed.
    pub live: Live,
    /// The SDK clients of connected accounts.
    pub clients: Clients,
    /// The group-committing webhook writer.
    pub intake: crate::intake::Intake,
}

impl AppState {
    /// The state for `store`, acting as `meta`, sealing tokens with `cipher`. On PostgreSQL
    /// call [`Live::start`] on [`AppState::live`] (as [`AppState::start`] does).
    pub fn new(store: Store, meta: MetaApp, verify_token: VerifyToken, cipher: Cipher) -> Self {
        let live = Live::new(store.clone());
        Self {
            verifier: SignatureVerifier::new(&meta.app_secret),
            intake: crate::intake::Intake::start(store.clone(), live.clone()),
            live,
            store,
            verify_token,
            cipher: Arc::new(cipher),
            meta: Arc::new(meta),
            clients: Clients::default(),
        }
    }

    /// Starts what runs beside the requests: the live listener (PostgreSQL) and the retry of
    /// bodies that failed to process.
    ///
    /// # Errors
    ///
    /// A database error when the live listener cannot start.
    pub async fn start(mut self) -> Result<Self, sqlx::Error> {
        self.live = self.live.start().await?;
        let stale =
            store::now_ms() - i64::try_from(GRAPH_CALL_DEADLINE.as_millis() * 6).unwrap_or(60_000);
        match self.store.settle_stale_pending(stale).await {
            Ok(0) => {}
            Ok(count) => tracing::warn!(count, "replies left pending by a stop are now ambiguous"),
            Err(error) => tracing::warn!(%error, "could not settle pending replies"),
        }
        tokio::spawn(retry_loop(self.store.clone(), self.live.clone()));
        Ok(self)
    }
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

/// The webhook route takes only the intake: cloning it is three reference counts, where the
/// whole state is about fifteen, on every request.
impl FromRef<AppState> for crate::intake::Intake {
    fn from_ref(state: &AppState) -> Self {
        state.intake.clone()
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Self {
        state.store.clone()
    }
}

/// The server's routes (see [`api::routes`]).
pub fn app(state: AppState) -> Router {
    api::router(state)
}

/// How often bodies that failed (or were left pending by a crash) are tried again.
pub const RETRY_EVERY: Duration = Duration::from_secs(30);

async fn retry_loop(store: Store, live: Live) {
    let mut tick = tokio::time::interval(RETRY_EVERY);
    tick.tick().await;
    loop {
        tick.tick().await;
        let due = store::now_ms() - i64::try_from(RETRY_EVERY.as_millis()).unwrap_or(30_000);
        match store.due_for_retry(due).await {
            Ok(ids) => {
                for chunk in ids.chunks(256) {
                    match store.process_many(chunk).await {
                        Ok(touched) => live.publish(&touched).await,
                        Err(error) => tracing::warn!(%error, "retrying logged bodies failed"),
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "could not list bodies to retry"),
        }
    }
}

/// Why `rotate-key` stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RotateError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// An account's token does not open with any listed key.
    #[error("account {account}: {source}")]
    Crypto {
        /// The account row.
        account: i64,
        /// Why it did not open.
        source: crypto::CryptoError,
    },
}

/// Re-seals every stored token with `cipher`'s current key; returns how many changed. A
/// token changed meanwhile (a reconnect) is left as the reconnect wrote it.
///
/// # Errors
///
/// A [`RotateError`]; tokens re-sealed before it stay re-sealed (each is its own update).
pub async fn rotate_key(store: &Store, cipher: &Cipher) -> Result<usize, RotateError> {
    let mut resealed = 0;
    for (id, platform, external_id, sealed) in store.sealed_tokens().await? {
        let context = crypto::token_context(&platform, &external_id);
        match cipher.reseal(&sealed, &context) {
            Ok(Some(new)) => {
                if store.reseal_token(id, &sealed, &new).await? {
                    resealed += 1;
                }
            }
            Ok(None) => {}
            Err(source) => {
                return Err(RotateError::Crypto {
                    account: id,
                    source,
                });
            }
        }
    }
    Ok(resealed)
}
