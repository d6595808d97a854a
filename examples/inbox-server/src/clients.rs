//! The SDK client of each connected account, built from its sealed token on first use and
//! kept, so that a WhatsApp number's pacing and an account's usage throttle are shared by
//! every request that sends through it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use messaging_core::Platform;
use meta_graph::{AccessToken, PageId};
use metabiz_instagram::{InstagramAccountId, InstagramClient};
use metabiz_messenger::MessengerClient;
use metabiz_whatsapp::{PhoneNumberId, WhatsAppClient};

use crate::MetaApp;
use crate::crypto::{Cipher, CryptoError, token_context};
use crate::store::Account;

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

/// Built clients by account id, each with the sealed token it was built from.
#[derive(Clone, Debug, Default)]
pub struct Clients {
    built: Arc<Mutex<HashMap<i64, Built>>>,
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
        let platform: Arc<dyn Platform> = match account.platform.as_str() {
            "whatsapp" => Arc::new(WhatsAppClient::new(
                graph.clone(),
                PhoneNumberId::new(account.external_id.as_str()),
                token,
            )),
            "messenger" => Arc::new(MessengerClient::new(
                graph.clone(),
                PageId::new(account.external_id.as_str()),
                token,
            )),
            _ if account
                .metadata
                .get("login")
                .and_then(serde_json::Value::as_str)
                == Some("instagram_login") =>
            {
                Arc::new(InstagramClient::instagram_login(
                    meta.instagram.graph().clone(),
                    InstagramAccountId::new(account.external_id.as_str()),
                    token,
                ))
            }
            _ => {
                let page = account
                    .metadata
                    .get("page_id")
                    .and_then(serde_json::Value::as_str)
                    .ok_or(ClientError::Metadata("page_id"))?;
                Arc::new(InstagramClient::facebook_login(
                    graph.clone(),
                    PageId::new(page),
                    InstagramAccountId::new(account.external_id.as_str()),
                    token,
                ))
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

    /// Forgets an account's client (after a disconnect).
    pub fn forget(&self, account_id: i64) {
        self.built
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&account_id);
    }
}
