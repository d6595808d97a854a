//! Storage on SQLite (the embedded default) or PostgreSQL, with migrations embedded in the
//! binary. One code path serves both: queries are written once with `$n` placeholders, which
//! both backends read, and run through sqlx's `Any` driver.
//!
//! Durability: a webhook body is committed to `webhook_log` before the server answers 200.
//! On SQLite the database runs in WAL mode with `synchronous = FULL`, so a commit is on disk
//! (the WAL fsynced) when it returns; on PostgreSQL a commit is durable with the server's
//! default `synchronous_commit = on`.

mod accounts;
mod analytics;
mod inbox;
mod jobs;
mod webhooks;

use std::fmt;
use std::sync::{Arc, Once};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions as _, Executor as _};

pub use accounts::{Account, AccountStatus, NewAccount, OAuthStateRow, User};
pub use analytics::{DAY_MS, day_key, day_number};
pub use inbox::{
    ConversationFilter, ConversationRow, DailyRow, MessageRow, OutboundOutcome, PageRequest,
};
pub use webhooks::encoding;
pub use webhooks::{LogRow, MAX_ATTEMPTS, Touched};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be reached or refused a statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The migrations could not be applied.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// `DATABASE_URL` names neither SQLite nor PostgreSQL.
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    UnsupportedUrl,
    /// A row holds a value this version cannot read.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The row exists but belongs to someone else or is in a state that refuses the change.
    #[error("conflict: {0}")]
    Conflict(String),
}

/// Which database is behind a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server, shared by several instances.
    Postgres,
}

/// The page cache of each SQLite read connection, in KiB.
const READ_CACHE_KIB: u32 = 512;

/// The page cache of the SQLite writer connection, in KiB (SQLite's default).
const WRITER_CACHE_KIB: u32 = 2000;

/// The database behind the server. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    /// Every write, and reads inside write transactions. On SQLite a single connection: the
    /// database has one writer anyway, and waiting here (in order, without sleeping) beats
    /// SQLite's busy handler, which sleeps up to 100 ms between retries.
    pool: AnyPool,
    /// Reads outside transactions (the API's listings, token lookups): several connections,
    /// which WAL lets read while the writer writes.
    reads: AnyPool,
    backend: Backend,
    /// Kept for PostgreSQL's LISTEN connection; may hold a password, so never printed.
    url: Arc<str>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Store {
    /// Connects to `url` (`sqlite:path` or `postgres://…`) and applies the migrations. A
    /// PostgreSQL URL may carry `?options=-c search_path=…` to use a schema of its own.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be opened or migrated.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let (backend, url) = if url.starts_with("sqlite:") {
            // Create the file when missing, as a first start expects.
            let url = if url.contains("mode=") || url.contains(":memory:") {
                url.to_owned()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let options: AnyConnectOptions = url.parse()?;
        let options = options.disable_statement_logging();
        // `cache_kib`: the most page cache a connection keeps (SQLite's default is 2,000 KiB).
        // The read connections keep less: each fills its cache to the bound sooner or later
        // (an aggregator run reads three days of messages), and the operating system caches
        // the file anyway, so four full default caches would only add 8 MiB of resident
        // memory that stays.
        let sqlite = |connections: u32, cache_kib: u32| {
            AnyPoolOptions::new()
                .max_connections(connections)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        // WAL, and every commit fsynced before it returns.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        let cache = format!("PRAGMA cache_size = -{cache_kib}");
                        conn.execute(cache.as_str()).await?;
                        Ok(())
                    })
                })
        };
        let (pool, reads) = match backend {
            Backend::Sqlite => {
                let pool = sqlite(1, WRITER_CACHE_KIB)
                    .connect_with(options.clone())
                    .await?;
                let reads = sqlite(4, READ_CACHE_KIB).connect_with(options).await?;
                (pool, reads)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await?;
                (pool.clone(), pool)
            }
        };
        match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
        }
        Ok(Self {
            pool,
            reads,
            backend,
            url: url.into(),
        })
    }

    /// A second, independent connection pool to the same database (another instance, in
    /// tests and tools).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be opened.
    pub async fn connect_again(&self) -> Result<Self, StoreError> {
        Self::connect(&self.url).await
    }

    /// The pool of reads outside transactions (several connections on SQLite).
    pub fn read_pool(&self) -> &AnyPool {
        &self.reads
    }

    /// The file of an SQLite store (`None` on PostgreSQL or in memory).
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let rest = self
            .url
            .strip_prefix("sqlite://")
            .or_else(|| self.url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next()?;
        (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::PathBuf::from(path))
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for queries this module does not offer (tests, tools).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The URL the store was opened with: PostgreSQL's LISTEN connection uses it. It may hold
    /// a password: never log it.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later would otherwise
    /// fail with `SQLITE_BUSY` when another connection wrote in between.
    ///
    /// # Errors
    ///
    /// A database error when no connection or lock could be had.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Whether the database answers.
    pub async fn is_healthy(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}
