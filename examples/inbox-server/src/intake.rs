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
//! (the bodies are safe in the log meanwhile); between requests it takes [`RECENT_BATCH`]
//! at a time, so its transactions stay short, and when it falls behind it pauses after each
//! so that it holds the database at most [`PROCESS_SHARE`] of the time; when intake has been
//! quiet for [`RECENT`], processing catches up in full batches without pausing.
//!
//! A handler never waits for the log longer than [`COMMIT_DEADLINE`]: when the database is
//! unreachable or silent it answers 5xx in time for Meta to count the delivery as failed and
//! send it again, instead of hanging until Meta's own timeout. Such a body may still commit
//! afterwards (its outcome was unknown when the handler gave up); the resent copy is then a
//! second log row, which processing ignores, since it is idempotent by message id. What never
//! happens is a 200 before the commit. A body whose handler has given up before the writer
//! reached it is not written at all, so the queue an outage leaves behind drains at once.
//! Processing that fails in the database is tried again after a short pause
//! ([`PROCESS_PAUSE_FIRST`], doubling), so what was logged before an outage is processed soon
//! after the database is back.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::Duration;

use messaging_core::PlatformKind;
use tokio::sync::{mpsc, oneshot};

use crate::live::Live;
use crate::store::{Backend, Store, StoreError, encoding, now_ms};

/// The most bodies one commit takes.
pub const MAX_BATCH: usize = 256;

/// While intake is busy, processing runs at most one body per period (a body may hold 1,000
/// messages: its processing holds SQLite's write lock for a while).
pub const YIELD_PERIOD: std::time::Duration = std::time::Duration::from_millis(250);

/// The bodies processing takes at once while intake is busy.
pub const BUSY_BATCH: usize = 1;

/// The bodies processing takes at once while intake is quiet this instant but had bodies
/// within [`RECENT`]: small enough that the write lock is held about a millisecond, so a
/// request arriving meanwhile is not held up behind a long transaction (a full
/// [`MAX_BATCH`] takes SQLite's write lock for 100–200 ms).
///
/// Under a steady open-loop load a request that waits behind a transaction leaves a queue
/// that takes several times as long to drain, so the transaction's length shows in the p99:
/// in four interleaved `bench/latency.sh` runs, the p99 at half the peak rate was 3.4 and
/// 5.0 ms with 4 bodies against 7.1 and 9.8 ms with 16.
pub const RECENT_BATCH: usize = 4;

/// While intake has had a body within [`RECENT`] and processing is behind it (bodies are
/// left after a transaction), processing pauses after each transaction so that it holds
/// the database at most this share of the time: after a transaction that took *t*, it
/// pauses 9 *t*, at most [`YIELD_PERIOD`].
///
/// A processing transaction holds SQLite's only write lock, and a webhook arriving meanwhile
/// waits for it. Between requests that arrive one by one at a steady rate, the writer's
/// queue is empty at most instants, so the rule "yield while bodies wait" alone let
/// processing run transaction after transaction, in the way of nearly every request:
/// in 16 open-loop runs at 12,000 and 16,000 requests/s (`webhook-load rate`, half the
/// peak), the median p99 went from 7.8 to 6.2 ms. A light load loses nothing: processing
/// that keeps up never pauses, so the live feed hears of a body as soon as it is applied.
pub const PROCESS_SHARE: f64 = 0.1;

/// How long after the last logged body intake counts as recently active.
pub const RECENT: Duration = Duration::from_secs(1);

/// After processing fails in the database (unreachable, a deadlock), the bodies are tried
/// again after this pause, doubled after each failure in a row up to [`PROCESS_PAUSE_MAX`].
pub const PROCESS_PAUSE_FIRST: Duration = Duration::from_millis(100);

/// The longest pause between two tries of processing while the database fails.
pub const PROCESS_PAUSE_MAX: Duration = Duration::from_secs(5);

/// The longest a handler waits for its body to be committed, queueing included, before it
/// answers 5xx; also the longest the PostgreSQL writer waits for one connect or one insert
/// before it drops the connection and moves on.
///
/// Messenger gives a delivery 5 s (WhatsApp asks for far less), so a 5xx must leave before
/// that to be heard as a failure, with room for the way back to Meta. A healthy commit takes
/// milliseconds (one fsync, or one round trip to PostgreSQL), even in a burst of full
/// batches, so only a database that is down, refusing or silent reaches the deadline.
pub const COMMIT_DEADLINE: Duration = Duration::from_secs(3);

struct Job {
    platform: PlatformKind,
    /// The body as it is stored: compressed when large (see [`encoding`]).
    body: bytes::Bytes,
    /// Its `body_encoding`.
    encoding: Option<&'static str>,
    received_at_ms: i64,
    done: oneshot::Sender<Result<i64, String>>,
}

/// The handle handlers log bodies through. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Intake {
    jobs: mpsc::Sender<Job>,
    waiting: Arc<AtomicUsize>,
    last_received_ms: Arc<AtomicI64>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job(..)")
    }
}

impl Intake {
    /// Starts the writer and the processor for `store`, announcing on `live`. On SQLite the
    /// writer is a thread with a connection of its own; on PostgreSQL a task with a
    /// connection of its own, outside the pool.
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
            None => match postgres_options(&store) {
                Some(options) => {
                    tokio::spawn(write_postgres(options, queue, logged, waiting.clone()));
                }
                None => {
                    tokio::spawn(write(store.clone(), queue, logged, waiting.clone()));
                }
            },
        }
        let last_received_ms = Arc::new(AtomicI64::new(0));
        tokio::spawn(process(
            store,
            live,
            to_process,
            waiting.clone(),
            last_received_ms.clone(),
        ));
        Self {
            jobs,
            waiting,
            last_received_ms,
        }
    }

    /// Logs `body` durably; returns its id once its transaction has committed. A large body
    /// is compressed first, here, on the handler's own core (see [`encoding`]), so the
    /// group commit writes fewer bytes.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the commit failed (answer 5xx so that Meta retries).
    pub async fn log(&self, platform: PlatformKind, body: bytes::Bytes) -> Result<i64, StoreError> {
        let (body, encoding) = encoding::encode(body);
        let (done, answer) = oneshot::channel();
        let received_at_ms = now_ms();
        self.last_received_ms
            .store(received_at_ms, Ordering::Relaxed);
        let job = Job {
            platform,
            body,
            encoding,
            received_at_ms,
            done,
        };
        let closed = || StoreError::Conflict("the webhook writer stopped".to_owned());
        let late = || {
            StoreError::Conflict(format!(
                "the webhook log did not commit within {COMMIT_DEADLINE:?}"
            ))
        };
        let deadline = tokio::time::Instant::now() + COMMIT_DEADLINE;
        self.waiting.fetch_add(1, Ordering::SeqCst);
        // Once queued the job is the writer's, which counts it out of `waiting`; a job that
        // never made it into the queue is counted out here.
        let queued = match self.jobs.try_send(job) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Closed(_)) => Err(closed()),
            Err(mpsc::error::TrySendError::Full(job)) => {
                match tokio::time::timeout_at(deadline, self.jobs.send(job)).await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(_)) => Err(closed()),
                    Err(_) => Err(late()),
                }
            }
        };
        if let Err(error) = queued {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(error);
        }
        // On timeout the receiver is dropped: the writer sees it and skips the body, unless
        // it is already being written (then it may commit, unknown to Meta, which resends).
        match tokio::time::timeout_at(deadline, answer).await {
            Ok(Ok(result)) => result.map_err(StoreError::Conflict),
            Ok(Err(_)) => Err(closed()),
            Err(_) => Err(late()),
        }
    }
}

/// The options of the PostgreSQL writer's own connection: the store's URL (schema included).
fn postgres_options(store: &Store) -> Option<sqlx::postgres::PgConnectOptions> {
    use sqlx::ConnectOptions as _;
    if store.backend() != Backend::Postgres {
        return None;
    }
    match store.url().parse::<sqlx::postgres::PgConnectOptions>() {
        Ok(options) => Some(options.disable_statement_logging()),
        Err(error) => {
            tracing::warn!(%error, "the PostgreSQL writer's connection is unavailable; logging through the pool");
            None
        }
    }
}

/// Adds to `batch` whatever else is queued, up to [`MAX_BATCH`], then drops the jobs whose
/// handler has given up (answered 5xx at [`COMMIT_DEADLINE`]: Meta sends those again, so
/// writing them would only make a duplicate row). Returns how many jobs it took off the
/// queue, for `waiting`.
fn fill(batch: &mut Vec<Job>, queue: &mut mpsc::Receiver<Job>) -> usize {
    while batch.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    let taken = batch.len();
    batch.retain(|job| !job.done.is_closed());
    taken
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

/// The writer through the pool, when the PostgreSQL URL does not parse as PostgreSQL options
/// of its own (see [`write_postgres`]); each insert bounded by [`COMMIT_DEADLINE`].
async fn write(
    store: Store,
    mut queue: mpsc::Receiver<Job>,
    logged: mpsc::UnboundedSender<Vec<i64>>,
    waiting: Arc<AtomicUsize>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.recv().await {
        batch.push(first);
        let taken = fill(&mut batch, &mut queue);
        if batch.is_empty() {
            waiting.fetch_sub(taken, Ordering::SeqCst);
            continue;
        }
        let rows: Vec<(PlatformKind, &[u8], Option<&'static str>, i64)> = batch
            .iter()
            .map(|job| {
                (
                    job.platform,
                    &job.body[..],
                    job.encoding,
                    job.received_at_ms,
                )
            })
            .collect();
        let result = match tokio::time::timeout(COMMIT_DEADLINE, store.log_encoded(&rows)).await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err(silent()),
        };
        drop(rows);
        waiting.fetch_sub(taken, Ordering::SeqCst);
        answer(&mut batch, result, &logged);
    }
}

fn silent() -> String {
    format!("the database did not answer within {COMMIT_DEADLINE:?}")
}

/// The writer on PostgreSQL: a connection of its own, outside the pool, and one insert per
/// batch, committed before any of its handlers is answered.
///
/// Outside the pool because of what a failure leaves behind. A pool connection whose query
/// was abandoned at the deadline goes back through sqlx's release check, a ping with no
/// time limit: on a silent network it waits (holding a pool slot) until the kernel gives up
/// on the socket, many minutes later. Here the connection is simply dropped, which closes
/// the socket, and the next batch opens a new one (within the deadline too): the writer is
/// writing again as soon as the database answers. The healthy path gains from it as well:
/// no pool checkout, whose liveness ping is a round trip of its own, before each batch.
///
/// One statement for every batch size (`UNNEST` of three arrays), prepared once on the
/// connection; ids grow in the order of the rows, which is the order of the arrays.
async fn write_postgres(
    options: sqlx::postgres::PgConnectOptions,
    mut queue: mpsc::Receiver<Job>,
    logged: mpsc::UnboundedSender<Vec<i64>>,
    waiting: Arc<AtomicUsize>,
) {
    let mut connection: Option<sqlx::PgConnection> = None;
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.recv().await {
        batch.push(first);
        let taken = fill(&mut batch, &mut queue);
        if batch.is_empty() {
            waiting.fetch_sub(taken, Ordering::SeqCst);
            continue;
        }
        let result = match tokio::time::timeout(
            COMMIT_DEADLINE,
            insert_postgres(&mut connection, &options, &batch),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(silent()),
        };
        if result.is_err() {
            // Broken, refused, or mid-statement at the deadline: never reused.
            connection = None;
        }
        waiting.fetch_sub(taken, Ordering::SeqCst);
        answer(&mut batch, result, &logged);
    }
}

async fn insert_postgres(
    connection: &mut Option<sqlx::PgConnection>,
    options: &sqlx::postgres::PgConnectOptions,
    batch: &[Job],
) -> Result<Vec<i64>, String> {
    use sqlx::ConnectOptions as _;
    let connection = match connection {
        Some(connection) => connection,
        None => connection.insert(options.connect().await.map_err(|e| e.to_string())?),
    };
    let platforms: Vec<String> = batch.iter().map(|job| job.platform.to_string()).collect();
    let received: Vec<i64> = batch.iter().map(|job| job.received_at_ms).collect();
    let bodies: Vec<&[u8]> = batch.iter().map(|job| &job.body[..]).collect();
    let encodings: Vec<Option<&str>> = batch.iter().map(|job| job.encoding).collect();
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO webhook_log (platform, received_at, body, body_encoding) \
         SELECT * FROM UNNEST($1::text[], $2::int8[], $3::bytea[], $4::text[]) RETURNING id",
    )
    .bind(platforms)
    .bind(received)
    .bind(bodies)
    .bind(encodings)
    .fetch_all(&mut *connection)
    .await
    .map_err(|e| e.to_string())?;
    if ids.len() != batch.len() {
        return Err(format!(
            "the webhook log returned {} ids for {} bodies",
            ids.len(),
            batch.len()
        ));
    }
    // RETURNING itself promises no order.
    ids.sort_unstable();
    Ok(ids)
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
        let taken = fill(&mut batch, &mut queue);
        if batch.is_empty() {
            waiting.fetch_sub(taken, Ordering::SeqCst);
            continue;
        }
        let result = (|| -> rusqlite::Result<Vec<i64>> {
            let transaction = rusqlite::Transaction::new_unchecked(
                connection,
                rusqlite::TransactionBehavior::Immediate,
            )?;
            let mut ids = Vec::with_capacity(batch.len());
            {
                let mut insert = transaction.prepare_cached(
                    "INSERT INTO webhook_log (platform, received_at, body, body_encoding) \
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for job in &batch {
                    insert.execute(rusqlite::params![
                        job.platform.as_str(),
                        job.received_at_ms,
                        &job.body[..],
                        job.encoding
                    ])?;
                    ids.push(transaction.last_insert_rowid());
                }
            }
            transaction.commit()?;
            Ok(ids)
        })();
        waiting.fetch_sub(taken, Ordering::SeqCst);
        answer(&mut batch, result.map_err(|e| e.to_string()), logged);
    }
}

async fn process(
    store: Store,
    live: Live,
    mut logged: mpsc::UnboundedReceiver<Vec<i64>>,
    waiting: Arc<AtomicUsize>,
    last_received_ms: Arc<AtomicI64>,
) {
    let recent_ms = i64::try_from(RECENT.as_millis()).unwrap_or(i64::MAX);
    let mut backlog: std::collections::VecDeque<i64> = std::collections::VecDeque::new();
    let mut pause = Duration::ZERO;
    loop {
        if backlog.is_empty() {
            match logged.recv().await {
                Some(ids) => backlog.extend(ids),
                None => return,
            }
        }
        take_logged(&mut logged, &mut backlog);
        let busy = waiting.load(Ordering::SeqCst) > 0;
        if busy {
            // Bodies wait to be logged: let the writer have the database.
            tokio::time::sleep(YIELD_PERIOD).await;
            take_logged(&mut logged, &mut backlog);
        }
        let take = if waiting.load(Ordering::SeqCst) > 0 {
            BUSY_BATCH
        } else if now_ms() - last_received_ms.load(Ordering::Relaxed) < recent_ms {
            RECENT_BATCH
        } else {
            MAX_BATCH
        };
        let ids: Vec<i64> = backlog.drain(..take.min(backlog.len())).collect();
        metrics::gauge!("inbox_webhook_processing_backlog")
            .set(f64::from(u32::try_from(backlog.len()).unwrap_or(u32::MAX)));
        let started = std::time::Instant::now();
        match store.process_many(&ids).await {
            Ok(touched) => {
                let spent = started.elapsed();
                pause = Duration::ZERO;
                live.publish(&touched).await;
                take_logged(&mut logged, &mut backlog);
                // Behind a busy intake (bodies left over): give the writer the database.
                // Keeping up (nothing left), the next body is processed as soon as it comes.
                if !backlog.is_empty()
                    && now_ms() - last_received_ms.load(Ordering::Relaxed) < recent_ms
                {
                    tokio::time::sleep(share_pause(spent)).await;
                }
            }
            // The database failed, not the bodies (those failures are recorded on their
            // rows): keep them first in line and try again shortly, rather than leave them
            // to the retry loop's next round, half a minute or more away.
            Err(error) => {
                tracing::error!(%error, bodies = ids.len(), "processing logged webhooks failed");
                for &id in ids.iter().rev() {
                    backlog.push_front(id);
                }
                pause = (pause * 2).clamp(PROCESS_PAUSE_FIRST, PROCESS_PAUSE_MAX);
                tokio::time::sleep(pause).await;
            }
        }
    }
}

/// Moves every id logged so far onto the end of `backlog`, without waiting.
fn take_logged(
    logged: &mut mpsc::UnboundedReceiver<Vec<i64>>,
    backlog: &mut std::collections::VecDeque<i64>,
) {
    while let Ok(more) = logged.try_recv() {
        backlog.extend(more);
    }
}

/// How long processing pauses after a transaction that took `spent`, while intake is active:
/// long enough that processing holds the database at most [`PROCESS_SHARE`] of the time,
/// and never longer than [`YIELD_PERIOD`].
fn share_pause(spent: Duration) -> Duration {
    spent
        .mul_f64((1.0 - PROCESS_SHARE) / PROCESS_SHARE)
        .min(YIELD_PERIOD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processing_pauses_nine_times_what_it_spent_up_to_the_yield_period() {
        assert_eq!(
            share_pause(Duration::from_millis(2)),
            Duration::from_millis(18)
        );
        assert_eq!(share_pause(Duration::ZERO), Duration::ZERO);
        // A long transaction (a body of 1,000 messages) does not stop processing for long.
        assert_eq!(share_pause(Duration::from_millis(100)), YIELD_PERIOD);
    }
}
