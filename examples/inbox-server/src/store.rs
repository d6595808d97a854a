//! Storage on SQLite (the embedded default) or PostgreSQL, with migrations embedded in the
//! binary.
//!
//! Durability: a webhook body is committed to `webhook_log` before the server answers 200.
//! On SQLite the database runs in WAL mode with `synchronous = FULL`, so a commit is on disk
//! (the WAL fsynced) when it returns; on PostgreSQL a commit is durable with the server's
//! default `synchronous_commit = on`.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use messaging_core::{DeliveryStatus, Direction, EventKind, Message, PlatformKind, WebhookEvent};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Database, Decode, Encode, Executor, IntoArguments, Row, Transaction, Type};

/// After this many failed attempts an event is kept as dead-lettered for `replay`.
pub const MAX_ATTEMPTS: i64 = 5;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be reached or refused a statement.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// The migrations could not be applied.
    #[error("database migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// `DATABASE_URL` names neither SQLite nor PostgreSQL.
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    UnsupportedUrl,
}

/// The database behind the server.
#[derive(Clone, Debug)]
pub enum Store {
    /// An embedded SQLite file.
    Sqlite(SqlitePool),
    /// A PostgreSQL server, shared by several instances.
    Postgres(PgPool),
}

/// Where a webhook log row stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    /// The row id.
    pub id: i64,
    /// `pending`, `processed`, `failed` or `dead`.
    pub state: String,
    /// How many times processing was tried.
    pub attempts: i64,
    /// The last processing error.
    pub last_error: Option<String>,
}

/// A stored message, as the inbox shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StoredMessage {
    /// The platform.
    pub platform: String,
    /// The wamid or mid.
    pub message_id: String,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// The text.
    pub text: Option<String>,
    /// The merged delivery status.
    pub status: Option<String>,
}

impl Store {
    /// Connects to `url` (`sqlite:path` or `postgres://…`) and applies the migrations.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be opened or migrated.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Ok(Self::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Self::connect_postgres(PgConnectOptions::from_str(url)?).await
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// Connects to PostgreSQL with `options` (for example with a `search_path` that gives
    /// each test its own schema) and applies the migrations.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the server cannot be reached or the schema migrated.
    pub async fn connect_postgres(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self::Postgres(pool))
    }

    /// `?` placeholders as the backend writes them (`$1`, `$2`, … on PostgreSQL).
    fn sql<'a>(&self, query: &'a str) -> Cow<'a, str> {
        match self {
            Self::Sqlite(_) => Cow::Borrowed(query),
            Self::Postgres(_) => {
                let mut out = String::with_capacity(query.len() + 8);
                let mut n = 0;
                for ch in query.chars() {
                    if ch == '?' {
                        n += 1;
                        out.push('$');
                        out.push_str(&n.to_string());
                    } else {
                        out.push(ch);
                    }
                }
                Cow::Owned(out)
            }
        }
    }

    /// Writes a verified webhook body to the log and commits it; returns its id. Only after
    /// this returns may the server answer 200.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the write did not commit: answer 5xx so that Meta retries.
    pub async fn log_webhook(
        &self,
        platform: PlatformKind,
        body: &[u8],
        received_at_ms: i64,
    ) -> Result<i64, StoreError> {
        let sql = self.sql(
            "INSERT INTO webhook_log (platform, received_at, body) VALUES (?, ?, ?) RETURNING id",
        );
        let id = match self {
            Self::Sqlite(pool) => insert_log(pool, &sql, platform, body, received_at_ms).await?,
            Self::Postgres(pool) => insert_log(pool, &sql, platform, body, received_at_ms).await?,
        };
        Ok(id)
    }

    /// Turns a logged body into normalized events and applies them in one transaction. On
    /// failure the row keeps the error and its attempt count; after [`MAX_ATTEMPTS`] it is
    /// dead-lettered.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails; a body that cannot be parsed is recorded on
    /// its row, not returned.
    pub async fn process(&self, log_id: i64) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(pool) => process_in(self, pool, log_id).await,
            Self::Postgres(pool) => process_in(self, pool, log_id).await,
        }
    }

    /// Reprocesses every failed and dead-lettered body; returns how many were tried.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn replay(&self) -> Result<usize, StoreError> {
        let sql = self.sql(
            "SELECT id FROM webhook_log WHERE state IN ('failed', 'dead', 'pending') ORDER BY id",
        );
        let ids: Vec<i64> = match self {
            Self::Sqlite(pool) => fetch_ids(pool, &sql).await?,
            Self::Postgres(pool) => fetch_ids(pool, &sql).await?,
        };
        for id in &ids {
            self.process(*id).await?;
        }
        Ok(ids.len())
    }

    /// The state of a log row.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn log_row(&self, id: i64) -> Result<Option<LogRow>, StoreError> {
        let sql = self.sql("SELECT id, state, attempts, last_error FROM webhook_log WHERE id = ?");
        Ok(match self {
            Self::Sqlite(pool) => fetch_log_row(pool, &sql, id).await?,
            Self::Postgres(pool) => fetch_log_row(pool, &sql, id).await?,
        })
    }

    /// Every stored message, in arrival order.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn messages(&self) -> Result<Vec<StoredMessage>, StoreError> {
        let sql = self
            .sql("SELECT platform, message_id, direction, text, status FROM messages ORDER BY id");
        Ok(match self {
            Self::Sqlite(pool) => fetch_messages(pool, &sql).await?,
            Self::Postgres(pool) => fetch_messages(pool, &sql).await?,
        })
    }

    /// How many conversations there are.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn conversation_count(&self) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM conversations";
        Ok(match self {
            Self::Sqlite(pool) => sqlx::query(sql).fetch_one(pool).await?.try_get(0)?,
            Self::Postgres(pool) => sqlx::query(sql).fetch_one(pool).await?.try_get(0)?,
        })
    }

    /// Whether the database answers.
    pub async fn is_healthy(&self) -> bool {
        match self {
            Self::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await.is_ok(),
            Self::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.is_ok(),
        }
    }
}

async fn insert_log<DB>(
    pool: &sqlx::Pool<DB>,
    sql: &str,
    platform: PlatformKind,
    body: &[u8],
    received_at_ms: i64,
) -> Result<i64, sqlx::Error>
where
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Encode<'q, DB> + Type<DB>,
    for<'r> i64: Decode<'r, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let mut conn = pool.acquire().await?;
    let row = sqlx::query(sql)
        .bind(platform.to_string())
        .bind(received_at_ms)
        .bind(body.to_vec())
        .fetch_one(&mut *conn)
        .await?;
    row.try_get(0)
}

async fn fetch_ids<DB>(pool: &sqlx::Pool<DB>, sql: &str) -> Result<Vec<i64>, sqlx::Error>
where
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'r> i64: Decode<'r, DB> + Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let mut conn = pool.acquire().await?;
    let rows = sqlx::query(sql).fetch_all(&mut *conn).await?;
    rows.iter().map(|row| row.try_get(0)).collect()
}

async fn fetch_log_row<DB>(
    pool: &sqlx::Pool<DB>,
    sql: &str,
    id: i64,
) -> Result<Option<LogRow>, sqlx::Error>
where
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'q> i64: Encode<'q, DB>,
    for<'r> i64: Decode<'r, DB> + Type<DB>,
    for<'r> String: Decode<'r, DB> + Type<DB>,
    for<'r> Option<String>: Decode<'r, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let mut conn = pool.acquire().await?;
    let row = sqlx::query(sql).bind(id).fetch_optional(&mut *conn).await?;
    row.map(|row| {
        Ok(LogRow {
            id: row.try_get(0)?,
            state: row.try_get(1)?,
            attempts: row.try_get(2)?,
            last_error: row.try_get(3)?,
        })
    })
    .transpose()
}

async fn fetch_messages<DB>(
    pool: &sqlx::Pool<DB>,
    sql: &str,
) -> Result<Vec<StoredMessage>, sqlx::Error>
where
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'r> String: Decode<'r, DB> + Type<DB>,
    for<'r> Option<String>: Decode<'r, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let mut conn = pool.acquire().await?;
    let rows = sqlx::query(sql).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            Ok(StoredMessage {
                platform: row.try_get(0)?,
                message_id: row.try_get(1)?,
                direction: row.try_get(2)?,
                text: row.try_get(3)?,
                status: row.try_get(4)?,
            })
        })
        .collect()
}

/// The number of rows a statement changed, whichever the backend.
trait RowsAffected {
    fn rows(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

/// The order in which statuses win: positive evidence beats a failure report.
fn status_rank(status: DeliveryStatus) -> i64 {
    match status {
        DeliveryStatus::Sent => 1,
        DeliveryStatus::Failed => 2,
        DeliveryStatus::Delivered => 3,
        DeliveryStatus::Read => 4,
        _ => 0,
    }
}

fn parse(platform: &str, body: &[u8]) -> Result<Vec<WebhookEvent>, String> {
    match platform {
        "whatsapp" => metabiz_whatsapp::webhook::parse_events(body).map_err(|e| e.to_string()),
        "messenger" => metabiz_messenger::webhook::parse_events(body).map_err(|e| e.to_string()),
        "instagram" => metabiz_instagram::webhook::parse_events(body).map_err(|e| e.to_string()),
        other => Err(format!("unknown platform {other:?}")),
    }
}

async fn process_in<DB>(store: &Store, pool: &sqlx::Pool<DB>, log_id: i64) -> Result<(), StoreError>
where
    <DB as Database>::QueryResult: RowsAffected,
    for<'r> String: Decode<'r, DB>,
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB>,
    for<'r> i64: Decode<'r, DB>,
    for<'r> String: Decode<'r, DB>,
    for<'r> Vec<u8>: Decode<'r, DB> + Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let mut tx = pool.begin().await?;
    let row = sqlx::query(&store.sql("SELECT platform, body, state FROM webhook_log WHERE id = ?"))
        .bind(log_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else {
        return Ok(());
    };
    let platform: String = row.try_get(0)?;
    let body: Vec<u8> = row.try_get(1)?;
    let state: String = row.try_get(2)?;
    if state == "processed" {
        return Ok(());
    }
    let outcome = match parse(&platform, &body) {
        Ok(events) => apply(store, &mut tx, log_id, &events)
            .await
            .map_err(|e| e.to_string()),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => {
            sqlx::query(&store.sql(
                "UPDATE webhook_log SET state = 'processed', attempts = attempts + 1, last_error = NULL WHERE id = ?",
            ))
            .bind(log_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        Err(error) => {
            // Nothing of a failed body is kept half-applied: roll back, then record the error.
            tx.rollback().await?;
            let mut conn = pool.acquire().await?;
            sqlx::query(&store.sql(
                "UPDATE webhook_log SET attempts = attempts + 1, last_error = ?, \
                 state = CASE WHEN attempts + 1 >= ? THEN 'dead' ELSE 'failed' END WHERE id = ?",
            ))
            .bind(error)
            .bind(MAX_ATTEMPTS)
            .bind(log_id)
            .execute(&mut *conn)
            .await?;
            tracing::warn!(log_id, "webhook body failed to process");
        }
    }
    Ok(())
}

async fn apply<DB>(
    store: &Store,
    tx: &mut Transaction<'_, DB>,
    log_id: i64,
    events: &[WebhookEvent],
) -> Result<(), sqlx::Error>
where
    <DB as Database>::QueryResult: RowsAffected,
    for<'r> String: Decode<'r, DB>,
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB>,
    for<'r> i64: Decode<'r, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    for event in events {
        let Some(key) = event.dedup_key() else {
            continue;
        };
        let fresh = sqlx::query(&store.sql(
            "INSERT INTO applied_events (dedup_key, log_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        ))
        .bind(key)
        .bind(log_id)
        .execute(&mut **tx)
        .await?
        .rows()
            == 1;
        if !fresh {
            continue;
        }
        match event.kind {
            EventKind::Message | EventKind::Echo => {
                if let Some(message) = Message::from_event(event) {
                    store_message(store, tx, &message).await?;
                }
            }
            EventKind::Status => {
                if let (Some(id), Some(status)) = (&event.message_id, event.status) {
                    merge_status(store, tx, &event.platform.to_string(), id, status).await?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

async fn store_message<DB>(
    store: &Store,
    tx: &mut Transaction<'_, DB>,
    message: &Message,
) -> Result<(), sqlx::Error>
where
    <DB as Database>::QueryResult: RowsAffected,
    for<'r> String: Decode<'r, DB>,
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB>,
    for<'r> i64: Decode<'r, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let platform = message.platform.to_string();
    let account = message.account_id.as_str().to_owned();
    let counterpart = message.counterpart().as_str().to_owned();
    // The upsert always touches the row, so RETURNING gives its id whether it was new or not.
    let conversation: i64 = sqlx::query(&store.sql(
        "INSERT INTO conversations (platform, account_id, counterpart_id, last_message_at) \
         VALUES (?, ?, ?, ?) ON CONFLICT (platform, account_id, counterpart_id) DO UPDATE \
         SET last_message_at = CASE WHEN conversations.last_message_at > excluded.last_message_at \
         THEN conversations.last_message_at ELSE excluded.last_message_at END RETURNING id",
    ))
    .bind(platform.clone())
    .bind(account)
    .bind(counterpart)
    .bind(message.timestamp_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let direction = match message.direction {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    };
    let (status, rank) = message
        .status
        .map_or((None, 0), |s| (Some(s.as_str().to_owned()), status_rank(s)));
    // An echo of a message this server sent (or a second delivery) finds the row there
    // already: the unique (platform, message_id) keeps one.
    sqlx::query(&store.sql(
        "INSERT INTO messages (platform, message_id, conversation_id, direction, sender_id, \
         recipient_id, text, attachments, reply_to, timestamp_ms, status, status_rank) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, message_id) DO NOTHING",
    ))
    .bind(platform.clone())
    .bind(message.id.as_str().to_owned())
    .bind(conversation)
    .bind(direction.to_owned())
    .bind(message.sender.as_str().to_owned())
    .bind(message.recipient.as_str().to_owned())
    .bind(message.text.clone())
    .bind(serde_json::to_string(&message.attachments).unwrap_or_else(|_| "[]".to_owned()))
    .bind(message.reply_to.as_ref().map(|id| id.as_str().to_owned()))
    .bind(message.timestamp_ms)
    .bind(status)
    .bind(rank)
    .execute(&mut **tx)
    .await?;
    // A status that arrived first is folded in now.
    let pending = sqlx::query(&store.sql(
        "SELECT status, status_rank FROM pending_statuses WHERE platform = ? AND message_id = ?",
    ))
    .bind(platform.clone())
    .bind(message.id.as_str().to_owned())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = pending {
        let status: String = row.try_get(0)?;
        let rank: i64 = row.try_get(1)?;
        raise_status(store, tx, &platform, message.id.as_str(), &status, rank).await?;
    }
    Ok(())
}

async fn merge_status<DB>(
    store: &Store,
    tx: &mut Transaction<'_, DB>,
    platform: &str,
    message_id: &str,
    status: DeliveryStatus,
) -> Result<(), sqlx::Error>
where
    <DB as Database>::QueryResult: RowsAffected,
    for<'r> String: Decode<'r, DB>,
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let rank = status_rank(status);
    let updated = raise_status(store, tx, platform, message_id, status.as_str(), rank).await?;
    if updated == 0 {
        // No message yet (or a higher status already): remember the best report.
        sqlx::query(&store.sql(
            "INSERT INTO pending_statuses (platform, message_id, status_rank, status) \
             VALUES (?, ?, ?, ?) ON CONFLICT (platform, message_id) DO UPDATE \
             SET status = excluded.status, status_rank = excluded.status_rank \
             WHERE pending_statuses.status_rank < excluded.status_rank",
        ))
        .bind(platform.to_owned())
        .bind(message_id.to_owned())
        .bind(rank)
        .bind(status.as_str().to_owned())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Raises a message's status when `rank` beats the stored one; returns the rows changed.
async fn raise_status<DB>(
    store: &Store,
    tx: &mut Transaction<'_, DB>,
    platform: &str,
    message_id: &str,
    status: &str,
    rank: i64,
) -> Result<u64, sqlx::Error>
where
    <DB as Database>::QueryResult: RowsAffected,
    for<'r> String: Decode<'r, DB>,
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
{
    Ok(sqlx::query(&store.sql(
        "UPDATE messages SET status = ?, status_rank = ? \
         WHERE platform = ? AND message_id = ? AND status_rank < ?",
    ))
    .bind(status.to_owned())
    .bind(rank)
    .bind(platform.to_owned())
    .bind(message_id.to_owned())
    .bind(rank)
    .execute(&mut **tx)
    .await?
    .rows())
}
