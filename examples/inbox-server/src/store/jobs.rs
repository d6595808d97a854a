//! Leases for work shared by several instances, on the database's clock.
//!
//! A lease is a row of `job_leases`: whoever holds an unexpired row does the job; a crashed
//! holder's row simply expires and the next claimant takes it. The claim is one upsert that
//! only overwrites an expired row, so two instances can never both hold it. On PostgreSQL the
//! due accounts are picked with `FOR UPDATE SKIP LOCKED`, so instances claiming at the same
//! moment spread over different accounts instead of queueing on the same rows; on SQLite the
//! claim runs in a `BEGIN IMMEDIATE` transaction, one writer at a time.

use sqlx::Row as _;

use super::accounts::account_from_row;
use super::{Account, Backend, Store, StoreError};

impl Store {
    /// The database's clock, in Unix milliseconds: every instance measures leases by it.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn db_now_ms(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query(self.now_sql())
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?)
    }

    fn now_sql(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "SELECT CAST(unixepoch('subsec') * 1000 AS INTEGER)",
            Backend::Postgres => {
                "SELECT CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)"
            }
        }
    }

    /// Claims the lease `name` for `holder` for `lease_ms`, if it is free or expired (or
    /// already `holder`'s, which renews it). Returns whether `holder` now holds it.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn claim_lease(
        &self,
        name: &str,
        holder: &str,
        lease_ms: i64,
    ) -> Result<bool, StoreError> {
        let now = self.db_now_ms().await?;
        let row = sqlx::query(
            "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE job_leases.expires_at <= $4 OR job_leases.holder = excluded.holder \
             RETURNING name",
        )
        .bind(name.to_owned())
        .bind(holder.to_owned())
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Gives a lease back, if `holder` still holds it.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM job_leases WHERE name = $1 AND holder = $2")
            .bind(name.to_owned())
            .bind(holder.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Claims up to `limit` active accounts that are due for a sync: never synced, synced
    /// more than `period_ms` ago, or asked for since their last sync; not postponed; and not
    /// leased by anyone else. Each claimed account's lease `sync:{id}` is held by `holder`
    /// for `lease_ms`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn claim_due_accounts(
        &self,
        holder: &str,
        period_ms: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<Account>, StoreError> {
        let mut tx = self.begin().await?;
        let now: i64 = sqlx::query(self.now_sql())
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE OF a SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let rows = sqlx::query(&format!(
            "SELECT {} FROM platform_accounts a \
             LEFT JOIN job_leases l ON l.name = 'sync:' || CAST(a.id AS TEXT) \
             WHERE a.status = 'active' \
             AND (a.last_sync_at IS NULL OR a.last_sync_at <= $1 \
                  OR a.sync_requested_at > a.last_sync_at) \
             AND COALESCE(a.sync_not_before, 0) <= $2 \
             AND (l.name IS NULL OR l.expires_at <= $2 OR l.holder = $3) \
             ORDER BY COALESCE(a.last_sync_at, 0), a.id LIMIT $4{lock}",
            super::accounts::ACCOUNT_COLUMNS_A
        ))
        .bind(now - period_ms)
        .bind(now)
        .bind(holder.to_owned())
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut claimed = Vec::new();
        for row in &rows {
            let account = account_from_row(row)?;
            let won = sqlx::query(
                "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
                 expires_at = excluded.expires_at \
                 WHERE job_leases.expires_at <= $4 OR job_leases.holder = excluded.holder \
                 RETURNING name",
            )
            .bind(format!("sync:{}", account.id))
            .bind(holder.to_owned())
            .bind(now + lease_ms)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if won.is_some() {
                claimed.push(account);
            }
        }
        tx.commit().await?;
        Ok(claimed)
    }

    /// Records a completed sync: `last_sync_at` moves to the database's now, the error and
    /// any postponement clear, `metadata` (if given) is merged in, and the lease is released.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn finish_sync(
        &self,
        account: &Account,
        holder: &str,
        metadata: Option<&serde_json::Value>,
    ) -> Result<(), StoreError> {
        let now = self.db_now_ms().await?;
        let metadata = match metadata {
            Some(extra) => {
                let mut merged = account.metadata.clone();
                if let (Some(target), Some(extra)) = (merged.as_object_mut(), extra.as_object()) {
                    for (key, value) in extra {
                        target.insert(key.clone(), value.clone());
                    }
                }
                merged
            }
            None => account.metadata.clone(),
        };
        sqlx::query(
            "UPDATE platform_accounts SET last_sync_at = $1, sync_not_before = NULL, \
             last_sync_error = NULL, metadata = $2 WHERE id = $3",
        )
        .bind(now)
        .bind(metadata.to_string())
        .bind(account.id)
        .execute(&self.pool)
        .await?;
        self.release_lease(&format!("sync:{}", account.id), holder)
            .await
    }

    /// Records a sync that did not complete: `last_sync_at` stays, the account waits until
    /// `not_before_ms`, the error is kept, and the lease is released.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn postpone_sync(
        &self,
        account_id: i64,
        holder: &str,
        not_before_ms: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE platform_accounts SET sync_not_before = $1, last_sync_error = $2 WHERE id = $3",
        )
        .bind(not_before_ms)
        .bind(error.to_owned())
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        self.release_lease(&format!("sync:{account_id}"), holder)
            .await
    }

    /// Stores messages fetched from a platform's history, idempotently (the same message as
    /// a webhook delivered gives one row); returns the rows created.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn upsert_messages(
        &self,
        messages: &[messaging_core::Message],
    ) -> Result<Vec<super::Touched>, StoreError> {
        let mut touched = Vec::new();
        let mut tx = self.begin().await?;
        for message in messages {
            super::webhooks::store_message(&mut tx, message, &mut touched).await?;
        }
        tx.commit().await?;
        Ok(touched)
    }
}
