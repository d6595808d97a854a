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
//! ([`Store::process_many`]) and announces the changes on the live feed.

use messaging_core::PlatformKind;
use tokio::sync::{mpsc, oneshot};

use crate::live::Live;
use crate::store::{Store, StoreError, now_ms};

/// The most bodies one commit takes.
pub const MAX_BATCH: usize = 256;

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
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job(..)")
    }
}

impl Intake {
    /// Starts the writer and the processor for `store`, announcing on `live`.
    pub fn start(store: Store, live: Live) -> Self {
        let (jobs, queue) = mpsc::channel(MAX_BATCH * 8);
        let (logged, to_process) = mpsc::unbounded_channel();
        tokio::spawn(write(store.clone(), queue, logged));
        tokio::spawn(process(store, live, to_process));
        Self { jobs }
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
        self.jobs.send(job).await.map_err(|_| closed())?;
        answer
            .await
            .map_err(|_| closed())?
            .map_err(StoreError::Conflict)
    }
}

async fn write(
    store: Store,
    mut queue: mpsc::Receiver<Job>,
    logged: mpsc::UnboundedSender<Vec<i64>>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let rows: Vec<(PlatformKind, &[u8], i64)> = batch
            .iter()
            .map(|job| (job.platform, &job.body[..], job.received_at_ms))
            .collect();
        let result = store.log_webhooks(&rows).await;
        metrics::histogram!("inbox_webhook_commit_batch")
            .record(f64::from(u32::try_from(batch.len()).unwrap_or(u32::MAX)));
        match result {
            Ok(ids) => {
                let _ = logged.send(ids.clone());
                for (job, id) in batch.drain(..).zip(ids) {
                    let _ = job.done.send(Ok(id));
                }
            }
            Err(error) => {
                tracing::error!(%error, bodies = batch.len(), "could not log webhook bodies");
                let message = error.to_string();
                for job in batch.drain(..) {
                    let _ = job.done.send(Err(message.clone()));
                }
            }
        }
    }
}

async fn process(store: Store, live: Live, mut logged: mpsc::UnboundedReceiver<Vec<i64>>) {
    while let Some(mut ids) = logged.recv().await {
        while ids.len() < MAX_BATCH {
            match logged.try_recv() {
                Ok(more) => ids.extend(more),
                Err(_) => break,
            }
        }
        match store.process_many(&ids).await {
            Ok(touched) => live.publish(&touched).await,
            // Left pending: the retry loop takes them up.
            Err(error) => {
                tracing::error!(%error, bodies = ids.len(), "processing logged webhooks failed");
            }
        }
    }
}
