//! Webhook intake with group commit.
//!
//! Every `POST` must be committed to the webhook log before its 200, and a commit on a
//! durable database costs an fsync. Handlers therefore hand their bodies to one writer task,
//! which commits whatever has queued up while the previous commit was on its way to disk in a
//! single transaction, then answers each handler. Under load many bodies share one fsync;
//! alone, a body is committed at once. Durability is unchanged: no handler hears "logged"
//! before the transaction holding its body has committed.
//!
//! Committed bodies go to a processing task that applies them in batches the same way
//! ([`Store::process_many`]) and announces the changes on the live feed. Intake comes first:
//! while bodies wait to be logged, processing takes only [`BUSY_BATCH`] body every
//! [`YIELD_PERIOD`], so a burst is answered at the writer's speed and processed behind it
//! (the bodies are safe in the log meanwhile); when the burst ends, processing catches up
//! in full batches.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use messaging_core::PlatformKind;
use tokio::sync::{mpsc, oneshot};

use crate::live::Live;
use crate::store::{Store, StoreError, now_ms};

/// The most bodies one commit takes.
pub const MAX_BATCH: usize = 256;

/// While intake is busy, processing runs at most one body per period (a body may hold 1,000
/// messages: its processing holds SQLite's write lock for a while).
pub const YIELD_PERIOD: std::time::Duration = std::time::Duration::from_millis(250);

/// The bodies processing takes at once while intake is busy.
pub const BUSY_BATCH: usize = 1;

struct Job {
    platform: PlatformKind,
    body: bytes::Bytes,
    received_at_ms: i64,
    done: oneshot::Sender<Result<i64, String>>,
}

/// The handle handlers log bodies through. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Intake {
    jobs: mpsc::Sender<Job>,
    waiting: Arc<AtomicUsize>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job(..)")
    }
}

impl Intake {
    /// Starts the writer and the processor for `store`, announcing on `live`. On SQLite the
    /// writer is a thread with a connection of its own.
    ///
    /// # Panics
    ///
    /// When the operating system refuses to start that thread.
    pub fn start(store: Store, live: Live) -> Self {
        let (jobs, queue) = mpsc::channel(MAX_BATCH * 8);
        let (logged, to_process) = mpsc::unbounded_channel();
        let waiting = Arc::new(AtomicUsize::new(0));
        match store.sqlite_path().map(|path| sqlite_writer(&path)) {
            Some(Ok(connection)) => {
                let waiting = waiting.clone();
                std::thread::Builder::new()
                    .name("webhook-writer".into())
                    .spawn(move || write_sqlite(&connection, queue, &logged, &waiting))
                    .expect("a thread for the webhook writer");
            }
            Some(Err(error)) => {
                tracing::warn!(%error, "the direct SQLite writer is unavailable; logging through the pool");
                tokio::spawn(write(store.clone(), queue, logged, waiting.clone()));
            }
            None => {
                tokio::spawn(write(store.clone(), queue, logged, waiting.clone()));
            }
        }
        tokio::spawn(process(store, live, to_process, waiting.clone()));
        Self { jobs, waiting }
    }

    /// Logs `body` durably; returns its id once its transaction has committed.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the commit failed (answer 5xx so that Meta retries).
    pub async fn log(&self, platform: PlatformKind, body: bytes::Bytes) -> Result<i64, StoreError> {
        let (done, answer) = oneshot::channel();
        let job = Job {
            platform,
            body,
            received_at_ms: now_ms(),
            done,
        };
        let closed = || StoreError::Conflict("the webhook writer stopped".to_owned());
        self.waiting.fetch_add(1, Ordering::SeqCst);
        if self.jobs.send(job).await.is_err() {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(closed());
        }
        answer
            .await
            .map_err(|_| closed())?
            .map_err(StoreError::Conflict)
    }
}

/// Adds to `batch` whatever else is queued, up to [`MAX_BATCH`].
fn fill(batch: &mut Vec<Job>, queue: &mut mpsc::Receiver<Job>) {
    while batch.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
}

/// Answers every handler of a committed (or failed) batch, and hands the ids on.
fn answer(
    batch: &mut Vec<Job>,
    result: Result<Vec<i64>, String>,
    logged: &mpsc::UnboundedSender<Vec<i64>>,
) {
    metrics::histogram!("inbox_webhook_commit_batch")
        .record(f64::from(u32::try_from(batch.len()).unwrap_or(u32::MAX)));
    match result {
        Ok(ids) => {
            let _ = logged.send(ids.clone());
            for (job, id) in batch.drain(..).zip(ids) {
                let _ = job.done.send(Ok(id));
            }
        }
        Err(message) => {
            tracing::error!(error = %message, bodies = batch.len(), "could not log webhook bodies");
            for job in batch.drain(..) {
                let _ = job.done.send(Err(message.clone()));
            }
        }
    }
}

async fn write(
    store: Store,
    mut queue: mpsc::Receiver<Job>,
    logged: mpsc::UnboundedSender<Vec<i64>>,
    waiting: Arc<AtomicUsize>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.recv().await {
        batch.push(first);
        fill(&mut batch, &mut queue);
        let rows: Vec<(PlatformKind, &[u8], i64)> = batch
            .iter()
            .map(|job| (job.platform, &job.body[..], job.received_at_ms))
            .collect();
        let result = store.log_webhooks(&rows).await;
        waiting.fetch_sub(batch.len(), Ordering::SeqCst);
        answer(&mut batch, result.map_err(|e| e.to_string()), &logged);
    }
}

/// A connection of its own to the SQLite file, for the writer thread: WAL (already set by
/// the store), `synchronous = FULL`, and a busy handler that retries every 50 µs instead of
/// SQLite's default, which sleeps up to 100 ms at a time.
fn sqlite_writer(path: &std::path::Path) -> rusqlite::Result<rusqlite::Connection> {
    let connection = rusqlite::Connection::open(path)?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.busy_handler(Some(|attempt| {
        std::thread::sleep(std::time::Duration::from_micros(50));
        attempt < 200_000
    }))?;
    Ok(connection)
}

/// The writer on SQLite: each batch in one `BEGIN IMMEDIATE` transaction of prepared
/// inserts, committed (fsynced) before any of its handlers is answered.
fn write_sqlite(
    connection: &rusqlite::Connection,
    mut queue: mpsc::Receiver<Job>,
    logged: &mpsc::UnboundedSender<Vec<i64>>,
    waiting: &AtomicUsize,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        fill(&mut batch, &mut queue);
        let result = (|| -> rusqlite::Result<Vec<i64>> {
            let transaction = rusqlite::Transaction::new_unchecked(
                connection,
                rusqlite::TransactionBehavior::Immediate,
            )?;
            let mut ids = Vec::with_capacity(batch.len());
            {
                let mut insert = transaction.prepare_cached(
                    "INSERT INTO webhook_log (platform, received_at, body) VALUES (?1, ?2, ?3)",
                )?;
                for job in &batch {
                    insert.execute(rusqlite::params![
                        job.platform.to_string(),
                        job.received_at_ms,
                        &job.body[..]
                    ])?;
                    ids.push(transaction.last_insert_rowid());
                }
            }
            transaction.commit()?;
            Ok(ids)
        })();
        waiting.fetch_sub(batch.len(), Ordering::SeqCst);
        answer(&mut batch, result.map_err(|e| e.to_string()), logged);
    }
}

async fn process(
    store: Store,
    live: Live,
    mut logged: mpsc::UnboundedReceiver<Vec<i64>>,
    waiting: Arc<AtomicUsize>,
) {
    let mut backlog: std::collections::VecDeque<i64> = std::collections::VecDeque::new();
    loop {
        if backlog.is_empty() {
            match logged.recv().await {
                Some(ids) => backlog.extend(ids),
                None => return,
            }
        }
        while let Ok(more) = logged.try_recv() {
            backlog.extend(more);
        }
        let busy = waiting.load(Ordering::SeqCst) > 0;
        if busy {
            // Bodies wait to be logged: let the writer have the database.
            tokio::time::sleep(YIELD_PERIOD).await;
            while let Ok(more) = logged.try_recv() {
                backlog.extend(more);
            }
        }
        let take = if waiting.load(Ordering::SeqCst) > 0 {
            BUSY_BATCH
        } else {
            MAX_BATCH
        };
        let ids: Vec<i64> = backlog.drain(..take.min(backlog.len())).collect();
        metrics::gauge!("inbox_webhook_processing_backlog")
            .set(f64::from(u32::try_from(backlog.len()).unwrap_or(u32::MAX)));
        match store.process_many(&ids).await {
            Ok(touched) => live.publish(&touched).await,
            // Left pending: the retry loop takes them up.
            Err(error) => {
                tracing::error!(%error, bodies = ids.len(), "processing logged webhooks failed");
            }
        }
    }
}
