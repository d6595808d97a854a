//! Users, their API tokens, connected platform accounts and OAuth states.

use serde::Serialize;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::{Store, StoreError};

/// A user of the API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    /// The user id.
    pub id: i64,
    /// The name given at creation.
    pub name: String,
}

/// Where a connected account stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Usable.
    Active,
    /// Meta refused its token (error 190): the user must connect it again.
    NeedsReauth,
    /// The user disconnected it; its token is gone.
    Disconnected,
}

impl AccountStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::NeedsReauth => "needs_reauth",
            Self::Disconnected => "disconnected",
        }
    }

    fn parse(value: &str) -> Result<Self, StoreError> {
        match value {
            "active" => Ok(Self::Active),
            "needs_reauth" => Ok(Self::NeedsReauth),
            "disconnected" => Ok(Self::Disconnected),
            other => Err(StoreError::Corrupt(format!("account status {other:?}"))),
        }
    }
}

/// A connected business account. The token stays sealed here: see
/// [`Store::account_token`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Account {
    /// The row id, used in the API's paths.
    pub id: i64,
    /// The owner.
    #[serde(skip)]
    pub user_id: i64,
    /// `whatsapp`, `messenger` or `instagram`.
    pub platform: String,
    /// The phone number id, Page id or Instagram account id.
    pub external_id: String,
    /// A display name (verified name, Page name, username).
    pub name: Option<String>,
    /// When the token expires (Unix ms), if it does on a timer.
    pub token_expires_at: Option<i64>,
    /// Where it stands.
    pub status: AccountStatus,
    /// What the platform told about it (WABA id, linked Page, …).
    pub metadata: serde_json::Value,
    /// When a sync last completed (Unix ms).
    pub last_sync_at: Option<i64>,
    /// When a sync was last asked for (Unix ms).
    pub sync_requested_at: Option<i64>,
    /// When it was connected (Unix ms).
    pub created_at: i64,
}

/// What a connect flow stores.
#[derive(Clone, Debug)]
pub struct NewAccount {
    /// The owner.
    pub user_id: i64,
    /// `whatsapp`, `messenger` or `instagram`.
    pub platform: String,
    /// The phone number id, Page id or Instagram account id.
    pub external_id: String,
    /// A display name.
    pub name: Option<String>,
    /// The token, already sealed with [`crate::crypto::Cipher::seal`].
    pub sealed_token: String,
    /// When the token expires (Unix ms).
    pub token_expires_at: Option<i64>,
    /// Platform metadata.
    pub metadata: serde_json::Value,
}

/// A consumed OAuth state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthStateRow {
    /// The user who started the flow.
    pub user_id: i64,
    /// `messenger` or `instagram`.
    pub platform: String,
    /// The Page asked for, if any.
    pub page_id: Option<String>,
    /// When it expires (Unix ms).
    pub expires_at: i64,
}

const ACCOUNT_COLUMNS: &str = "id, user_id, platform, external_id, name, token_expires_at, status, \
     metadata, last_sync_at, sync_requested_at, created_at";

/// The same columns of `platform_accounts a`.
pub(super) const ACCOUNT_COLUMNS_A: &str = "a.id, a.user_id, a.platform, a.external_id, a.name, \
     a.token_expires_at, a.status, a.metadata, a.last_sync_at, a.sync_requested_at, a.created_at";

pub(super) fn account_from_row(row: &AnyRow) -> Result<Account, StoreError> {
    let metadata: String = row.try_get(7)?;
    Ok(Account {
        id: row.try_get(0)?,
        user_id: row.try_get(1)?,
        platform: row.try_get(2)?,
        external_id: row.try_get(3)?,
        name: row.try_get(4)?,
        token_expires_at: row.try_get(5)?,
        status: AccountStatus::parse(&row.try_get::<String, _>(6)?)?,
        metadata: serde_json::from_str(&metadata)
            .map_err(|e| StoreError::Corrupt(format!("account metadata: {e}")))?,
        last_sync_at: row.try_get(8)?,
        sync_requested_at: row.try_get(9)?,
        created_at: row.try_get(10)?,
    })
}

impl Store {
    /// Creates a user whose API token hashes to `token_hash`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn create_user(&self, name: &str, token_hash: &str) -> Result<User, StoreError> {
        let now = super::now_ms();
        let mut tx = self.begin().await?;
        let id: i64 =
            sqlx::query("INSERT INTO users (name, created_at) VALUES ($1, $2) RETURNING id")
                .bind(name.to_owned())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(token_hash.to_owned())
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(User {
            id,
            name: name.to_owned(),
        })
    }

    /// The oldest user's id, if there is a user.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn first_user_id(&self) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT id FROM users ORDER BY id LIMIT 1")
            .fetch_optional(&self.reads)
            .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    /// The user whose API token hashes to `token_hash`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn user_by_token_hash(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1",
        )
        .bind(token_hash.to_owned())
        .fetch_optional(&self.reads)
        .await?;
        row.map(|row| {
            Ok(User {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
            })
        })
        .transpose()
    }

    /// Stores a connected account, or reconnects it when the same user (or nobody active)
    /// had it. Another user's active account with the same id is a [`StoreError::Conflict`].
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails or the account is someone else's.
    pub async fn upsert_account(&self, account: &NewAccount) -> Result<Account, StoreError> {
        let now = super::now_ms();
        let row = sqlx::query(&format!(
            "INSERT INTO platform_accounts (user_id, platform, external_id, name, access_token, \
             token_expires_at, status, metadata, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $8) \
             ON CONFLICT (platform, external_id) DO UPDATE SET user_id = excluded.user_id, \
             name = excluded.name, access_token = excluded.access_token, \
             token_expires_at = excluded.token_expires_at, status = 'active', \
             metadata = excluded.metadata, updated_at = excluded.updated_at \
             WHERE platform_accounts.user_id = excluded.user_id \
                OR platform_accounts.status = 'disconnected' \
             RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(account.user_id)
        .bind(account.platform.clone())
        .bind(account.external_id.clone())
        .bind(account.name.clone())
        .bind(account.sealed_token.clone())
        .bind(account.token_expires_at)
        .bind(account.metadata.to_string())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => account_from_row(&row),
            None => Err(StoreError::Conflict(format!(
                "this {} account is connected by another user",
                account.platform
            ))),
        }
    }

    /// The user's accounts, disconnected ones included, oldest first.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn accounts(&self, user_id: i64) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM platform_accounts WHERE user_id = $1 ORDER BY id"
        ))
        .bind(user_id)
        .fetch_all(&self.reads)
        .await?;
        rows.iter().map(account_from_row).collect()
    }

    /// One of the user's accounts; `None` when it is not theirs.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn account(&self, user_id: i64, id: i64) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM platform_accounts WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.reads)
        .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// The account that owns `external_id` on `platform`, whoever's it is.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn account_by_external(
        &self,
        platform: &str,
        external_id: &str,
    ) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM platform_accounts WHERE platform = $1 AND external_id = $2"
        ))
        .bind(platform.to_owned())
        .bind(external_id.to_owned())
        .fetch_optional(&self.reads)
        .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// The sealed token of an account (empty once disconnected).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn account_token(&self, id: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT access_token FROM platform_accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    /// Every account's id, platform, external id and sealed token: for `rotate-key`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn sealed_tokens(&self) -> Result<Vec<(i64, String, String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, platform, external_id, access_token FROM platform_accounts \
             WHERE access_token <> '' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                ))
            })
            .collect()
    }

    /// Replaces an account's sealed token, only if it is still `old` (so a concurrent
    /// reconnect is not overwritten); returns whether it changed.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn reseal_token(&self, id: i64, old: &str, new: &str) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE platform_accounts SET access_token = $1 WHERE id = $2 AND access_token = $3",
        )
        .bind(new.to_owned())
        .bind(id)
        .bind(old.to_owned())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Replaces an account's token after a refresh.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn replace_token(
        &self,
        id: i64,
        sealed: &str,
        expires_at: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE platform_accounts SET access_token = $1, token_expires_at = $2, updated_at = $3 \
             WHERE id = $4",
        )
        .bind(sealed.to_owned())
        .bind(expires_at)
        .bind(super::now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks one of the user's accounts disconnected and forgets its token; `false` when it
    /// is not theirs.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn disconnect_account(&self, user_id: i64, id: i64) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE platform_accounts SET status = 'disconnected', access_token = '', \
             updated_at = $1 WHERE id = $2 AND user_id = $3",
        )
        .bind(super::now_ms())
        .bind(id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Sets an account's status (for example `needs_reauth` after Meta refused its token).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn set_account_status(
        &self,
        id: i64,
        status: AccountStatus,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE platform_accounts SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str().to_owned())
            .bind(super::now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Asks for a sync of one of the user's active accounts; `false` when it is not theirs
    /// or not active.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn request_sync(&self, user_id: i64, id: i64) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE platform_accounts SET sync_requested_at = $1 \
             WHERE id = $2 AND user_id = $3 AND status = 'active'",
        )
        .bind(super::now_ms())
        .bind(id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Stores a new OAuth state (by its hash) for `user_id`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn put_oauth_state(
        &self,
        state_hash: &str,
        user_id: i64,
        platform: &str,
        page_id: Option<&str>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        // Expired states of anyone are swept on the way.
        sqlx::query("DELETE FROM oauth_states WHERE expires_at < $1")
            .bind(super::now_ms())
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO oauth_states (state_hash, user_id, platform, page_id, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(state_hash.to_owned())
        .bind(user_id)
        .bind(platform.to_owned())
        .bind(page_id.map(str::to_owned))
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Consumes an OAuth state: it is deleted whether or not it has expired, so a second use
    /// finds nothing.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn take_oauth_state(
        &self,
        state_hash: &str,
    ) -> Result<Option<OAuthStateRow>, StoreError> {
        let row = sqlx::query(
            "DELETE FROM oauth_states WHERE state_hash = $1 \
             RETURNING user_id, platform, page_id, expires_at",
        )
        .bind(state_hash.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(OAuthStateRow {
                user_id: row.try_get(0)?,
                platform: row.try_get(1)?,
                page_id: row.try_get(2)?,
                expires_at: row.try_get(3)?,
            })
        })
        .transpose()
    }
}
