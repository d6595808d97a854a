//! The SDK client of each connected account, built from its sealed token on first use and
//! kept, so that a WhatsApp number's pacing and an account's usage throttle are shared by
//! every request that sends through it.
//!
//! Each account's [`UsageThrottle`] is kept here, apart from its client: a reconnect builds a
//! new client, but Meta's pause of the account outlives it. The server asks
//! [`Clients::paused_for`] before a send, and refuses at once while Meta's regain time runs,
//! rather than holding the request (and the person waiting on it) in the throttle for
//! minutes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use messaging_core::Platform;
use meta_graph::{AccessToken, PageId, UsageThrottle};
use metabiz_instagram::{InstagramAccountId, InstagramClient};
use metabiz_messenger::MessengerClient;
use metabiz_whatsapp::{PhoneNumberId, WhatsAppClient};

use crate::MetaApp;
use crate::crypto::{Cipher, CryptoError, token_context};
use crate::store::Account;

/// WhatsApp's "too many messages to one user" error code.
const PAIR_RATE: i64 = 131_056;

/// Why no client could be built for an account.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The account has no token (it was disconnected).
    #[error("the account has no token: connect it again")]
    NoToken,
    /// The token does not open with `ENCRYPTION_KEY`.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The account's metadata lacks what its platform needs.
    #[error("the account's metadata lacks {0}")]
    Metadata(&'static str),
}

/// Built clients by account id, each with the sealed token it was built from, and each
/// account's usage throttle.
#[derive(Clone, Debug, Default)]
pub struct Clients {
    built: Arc<Mutex<HashMap<i64, Built>>>,
    throttles: Arc<Mutex<HashMap<i64, UsageThrottle>>>,
}

#[derive(Clone)]
struct Built {
    sealed: String,
    platform: Arc<dyn Platform>,
}

impl std::fmt::Debug for Built {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Built(..)")
    }
}

impl Clients {
    /// The client of `account` whose sealed token is `sealed`; rebuilt when the token changed
    /// (a reconnect or a key rotation).
    ///
    /// # Errors
    ///
    /// A [`ClientError`] when the token is missing or does not open.
    pub fn get(
        &self,
        meta: &MetaApp,
        cipher: &Cipher,
        account: &Account,
        sealed: &str,
    ) -> Result<Arc<dyn Platform>, ClientError> {
        let mut built = self
            .built
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(existing) = built.get(&account.id).filter(|b| b.sealed == sealed) {
            return Ok(existing.platform.clone());
        }
        if sealed.is_empty() {
            return Err(ClientError::NoToken);
        }
        let token = cipher.open(
            sealed,
            &token_context(&account.platform, &account.external_id),
        )?;
        let token = AccessToken::new(token.as_str());
        let graph = &meta.graph;
        let throttle = self.throttle(account.id);
        let platform: Arc<dyn Platform> = match account.platform.as_str() {
            // The WhatsApp client paces by its own rules and reads no usage headers: its
            // throttling errors reach the throttle through `observe_failure`.
            "whatsapp" => Arc::new(WhatsAppClient::new(
                graph.clone(),
                PhoneNumberId::new(account.external_id.as_str()),
                token,
            )),
            "messenger" => Arc::new(
                MessengerClient::new(
                    graph.clone(),
                    PageId::new(account.external_id.as_str()),
                    token,
                )
                .with_throttle(throttle),
            ),
            _ if account
                .metadata
                .get("login")
                .and_then(serde_json::Value::as_str)
                == Some("instagram_login") =>
            {
                Arc::new(
                    InstagramClient::instagram_login(
                        meta.instagram.graph().clone(),
                        InstagramAccountId::new(account.external_id.as_str()),
                        token,
                    )
                    .with_throttle(throttle),
                )
            }
            _ => {
                let page = account
                    .metadata
                    .get("page_id")
                    .and_then(serde_json::Value::as_str)
                    .ok_or(ClientError::Metadata("page_id"))?;
                Arc::new(
                    InstagramClient::facebook_login(
                        graph.clone(),
                        PageId::new(page),
                        InstagramAccountId::new(account.external_id.as_str()),
                        token,
                    )
                    .with_throttle(throttle),
                )
            }
        };
        built.insert(
            account.id,
            Built {
                sealed: sealed.to_owned(),
                platform: platform.clone(),
            },
        );
        Ok(platform)
    }

    /// The usage throttle of an account, made on first use.
    fn throttle(&self, account_id: i64) -> UsageThrottle {
        self.throttles
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(account_id)
            .or_default()
            .clone()
    }

    /// How much longer Meta asked the account's calls to pause (its usage at 100 %, or a
    /// throttling error with the regain time), if they are paused. A call made now would
    /// wait that long in the throttle before it is even tried.
    pub fn paused_for(&self, account_id: i64) -> Option<Duration> {
        let until = self
            .throttles
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&account_id)?
            .paused_until()?;
        Some(until.saturating_duration_since(tokio::time::Instant::now()))
    }

    /// Takes in a failed call of a WhatsApp account: a throttling error pauses the number
    /// for the wait Meta gave, as the Messenger and Instagram clients' own throttles do. Not
    /// 131056 (too many messages to one user): that limit is the pair's, and the number
    /// keeps serving everyone else.
    pub fn observe_failure(&self, account: &Account, error: &messaging_core::Error) {
        if account.platform != "whatsapp" {
            // Their clients already saw it through the throttle.
            return;
        }
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(cause) = current {
            if let Some(graph) = cause.downcast_ref::<meta_graph::Error>() {
                if graph.api_error().map(meta_graph::GraphApiError::code) != Some(PAIR_RATE) {
                    self.throttle(account.id).observe_error(graph);
                }
                return;
            }
            current = cause.source();
        }
    }

    /// Forgets an account's client (after a disconnect).
    pub fn forget(&self, account_id: i64) {
        self.built
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&account_id);
    }
}
