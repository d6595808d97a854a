//! The webhook log and the processing of logged bodies into conversations and messages.

use std::fmt::Write as _;

use messaging_core::{DeliveryStatus, Direction, EventKind, Message, PlatformKind, WebhookEvent};
use sqlx::any::Any;
use sqlx::{Row as _, Transaction};

use super::{Store, StoreError};

pub mod encoding;
mod split;

/// After this many failed attempts a body is kept as dead-lettered for `replay`.
pub const MAX_ATTEMPTS: i64 = 5;

/// Where a webhook log row stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    /// The row id.
    pub id: i64,
    /// `pending`, `processed`, `failed`, `dead`, or `split` (failed as a whole and split
    /// into one child row per update, see [`Store::process`]).
    pub state: String,
    /// How many times processing was tried.
    pub attempts: i64,
    /// The last processing error.
    pub last_error: Option<String>,
    /// The body this row was split from, for a child row.
    pub parent_id: Option<i64>,
}

/// A message row that processing created or changed, for the live feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Touched {
    /// The `messages.id`.
    pub message_row: i64,
    /// Whether the row is new (else its status, reaction or id changed).
    pub created: bool,
}

/// The order in which statuses win: positive evidence beats a failure report.
pub(crate) fn status_rank(status: DeliveryStatus) -> i64 {
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

/// A short preview of a message for conversation lists.
pub(crate) fn preview(message: &Message) -> String {
    match &message.text {
        Some(text) => text.chars().take(120).collect(),
        None => message.attachments.first().map_or_else(String::new, |a| {
            let kind = serde_json::to_value(a.kind).unwrap_or_default();
            format!("[{}]", kind.as_str().unwrap_or("attachment"))
        }),
    }
}

impl Store {
    /// Writes several verified bodies to the log in one statement (one commit, one fsync);
    /// returns their ids in order. Large bodies are stored compressed (see [`encoding`]);
    /// [`Store::logged_body`] gives them back as received.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the transaction did not commit: none of them is logged.
    pub async fn log_webhooks(
        &self,
        bodies: &[(PlatformKind, &[u8], i64)],
    ) -> Result<Vec<i64>, StoreError> {
        let encoded: Vec<_> = bodies
            .iter()
            .map(|(platform, body, received_at_ms)| {
                let (stored, encoding) = encoding::encode(bytes::Bytes::copy_from_slice(body));
                (*platform, stored, encoding, *received_at_ms)
            })
            .collect();
        let rows: Vec<_> = encoded
            .iter()
            .map(|(platform, stored, encoding, received_at_ms)| {
                (*platform, &stored[..], *encoding, *received_at_ms)
            })
            .collect();
        self.log_encoded(&rows).await
    }

    /// [`Store::log_webhooks`] of bodies already in their stored form, each with its
    /// `body_encoding`. This is the group commit behind [`Intake`](crate::intake::Intake)
    /// when it logs through the pool.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the transaction did not commit: none of them is logged.
    pub(crate) async fn log_encoded(
        &self,
        bodies: &[(PlatformKind, &[u8], Option<&'static str>, i64)],
    ) -> Result<Vec<i64>, StoreError> {
        if bodies.is_empty() {
            return Ok(Vec::new());
        }
        // One statement for the whole batch: the per-statement cost, not the rows, dominates.
        let mut sql = String::from(
            "INSERT INTO webhook_log (platform, received_at, body, body_encoding) VALUES ",
        );
        for n in 0..bodies.len() {
            if n > 0 {
                sql.push_str(", ");
            }
            let _ = write!(
                sql,
                "(${}, ${}, ${}, ${})",
                4 * n + 1,
                4 * n + 2,
                4 * n + 3,
                4 * n + 4
            );
        }
        sql.push_str(" RETURNING id");
        let mut query = sqlx::query(&sql);
        for (platform, body, encoding, received_at_ms) in bodies {
            query = query
                .bind(platform.to_string())
                .bind(*received_at_ms)
                .bind(body.to_vec())
                .bind(encoding.map(str::to_owned));
        }
        // A single statement is its own transaction: one round trip to the database, one
        // commit, atomic for every row of it.
        let rows = query.fetch_all(&self.pool).await?;
        // Ids grow in the order the rows were written, which is the VALUES order; RETURNING
        // itself promises no order.
        let mut ids: Vec<i64> = rows
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Processes several logged bodies in one transaction (see [`Store::process`]). A body
    /// that does not parse, or whose changes the database refuses, is set aside and then
    /// processed on its own (the batch is rolled back and redone without it in the second
    /// case), so that one poison body cannot hold the others back.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn process_many(&self, log_ids: &[i64]) -> Result<Vec<Touched>, StoreError> {
        if log_ids.len() == 1 {
            return self.process(log_ids[0]).await;
        }
        let mut tx = self.begin().await?;
        let mut touched = Vec::new();
        let mut alone = Vec::new();
        for &log_id in log_ids {
            let Some((platform, body)) = unprocessed_body(&mut tx, log_id).await? else {
                continue;
            };
            let Ok(events) = body.and_then(|body| parse(&platform, &body)) else {
                alone.push(log_id);
                continue;
            };
            if apply(&mut tx, log_id, &events, &mut touched).await.is_err() {
                // The transaction is unusable now: redo every body on its own.
                tx.rollback().await?;
                let mut touched = Vec::new();
                for &log_id in log_ids {
                    touched.extend(self.process(log_id).await?);
                }
                return Ok(touched);
            }
            sqlx::query(
                "UPDATE webhook_log SET state = 'processed', attempts = attempts + 1, \
                 last_error = NULL WHERE id = $1",
            )
            .bind(log_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        for log_id in alone {
            touched.extend(self.process(log_id).await?);
        }
        Ok(touched)
    }

    /// Turns a logged body into normalized events and applies them in one transaction;
    /// returns the message rows it created or changed.
    ///
    /// When that fails (the body does not parse, or the database refuses one of its
    /// changes) and the body holds several updates, it is split: one child row per update
    /// (`parent_id` pointing back, the same platform and receipt time), the body marked
    /// `split` with the error that caused it, and each child processed at once. So the
    /// updates that are fine land now, and only the poison one stays behind with its own
    /// raw body and error. A body that fails and cannot be split keeps the error and its
    /// attempt count; after [`MAX_ATTEMPTS`] it is dead-lettered (`dead`) for `replay`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails; a body that cannot be processed is recorded
    /// on its row, not returned.
    pub async fn process(&self, log_id: i64) -> Result<Vec<Touched>, StoreError> {
        let (mut touched, children) = self.process_one(log_id, true).await?;
        for child in children {
            touched.extend(self.process_one(child, false).await?.0);
        }
        Ok(touched)
    }

    /// [`Store::process`] of one row; returns the touched rows and, when it split the body,
    /// the children to process.
    async fn process_one(
        &self,
        log_id: i64,
        may_split: bool,
    ) -> Result<(Vec<Touched>, Vec<i64>), StoreError> {
        let mut tx = self.begin().await?;
        let Some((platform, body)) = unprocessed_body(&mut tx, log_id).await? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let mut touched = Vec::new();
        // A body that does not decode (a damaged row) is recorded like one that does not
        // parse, and cannot be split.
        let body = match body {
            Ok(body) => body,
            Err(error) => {
                tx.rollback().await?;
                self.record_failure(log_id, error).await?;
                return Ok((Vec::new(), Vec::new()));
            }
        };
        let outcome = match parse(&platform, &body) {
            Ok(events) => apply(&mut tx, log_id, &events, &mut touched)
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error),
        };
        let error = match outcome {
            Ok(()) => {
                sqlx::query(
                    "UPDATE webhook_log SET state = 'processed', attempts = attempts + 1, \
                     last_error = NULL WHERE id = $1",
                )
                .bind(log_id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                return Ok((touched, Vec::new()));
            }
            Err(error) => error,
        };
        // Nothing of a failed body is kept half-applied: roll back, then record it.
        tx.rollback().await?;
        if let Some(parts) = may_split.then(|| split::split(&body)).flatten() {
            let children = self.split_into(log_id, &platform, &parts, &error).await?;
            tracing::warn!(
                log_id,
                parts = children.len(),
                "webhook body failed to process: split into one row per update"
            );
            return Ok((Vec::new(), children));
        }
        self.record_failure(log_id, error).await?;
        Ok((Vec::new(), Vec::new()))
    }

    /// Records a failed attempt at a body: its error, one more attempt, and `dead` after
    /// [`MAX_ATTEMPTS`].
    async fn record_failure(&self, log_id: i64, error: String) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE webhook_log SET attempts = attempts + 1, last_error = $1, \
             state = CASE WHEN attempts + 1 >= $2 THEN 'dead' ELSE 'failed' END \
             WHERE id = $3",
        )
        .bind(error)
        .bind(MAX_ATTEMPTS)
        .bind(log_id)
        .execute(&self.pool)
        .await?;
        tracing::warn!(log_id, "webhook body failed to process");
        Ok(())
    }

    /// Logs `parts` as children of `log_id` and marks it `split`, in one transaction.
    async fn split_into(
        &self,
        log_id: i64,
        platform: &str,
        parts: &[Vec<u8>],
        error: &str,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.begin().await?;
        let mut children = Vec::with_capacity(parts.len());
        for part in parts {
            let (stored, encoding) = encoding::encode(bytes::Bytes::copy_from_slice(part));
            let id: i64 = sqlx::query(
                "INSERT INTO webhook_log (platform, received_at, body, body_encoding, parent_id) \
                 SELECT $1, received_at, $2, $3, id FROM webhook_log WHERE id = $4 RETURNING id",
            )
            .bind(platform.to_owned())
            .bind(stored.to_vec())
            .bind(encoding.map(str::to_owned))
            .bind(log_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            children.push(id);
        }
        sqlx::query(
            "UPDATE webhook_log SET state = 'split', attempts = attempts + 1, last_error = $1 \
             WHERE id = $2",
        )
        .bind(error.to_owned())
        .bind(log_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(children)
    }

    /// Ids of the bodies that are not processed yet (pending, failed, dead), oldest first.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn unprocessed(&self) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM webhook_log WHERE state IN ('failed', 'dead', 'pending') ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()?)
    }

    /// Bodies to try again: failed ones, and pending ones received before `before_ms` (left by
    /// a stop between the commit and the processing). Dead-lettered ones wait for `replay`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn due_for_retry(&self, before_ms: i64) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM webhook_log WHERE state = 'failed' \
             OR (state = 'pending' AND received_at < $1) ORDER BY id LIMIT 1000",
        )
        .bind(before_ms)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()?)
    }

    /// Reprocesses every pending, failed and dead-lettered body; returns how many were tried.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn replay(&self) -> Result<usize, StoreError> {
        let ids = self.unprocessed().await?;
        for chunk in ids.chunks(256) {
            self.process_many(chunk).await?;
        }
        Ok(ids.len())
    }

    /// The rows processing gave up on or is still retrying (`dead` and `failed`), oldest
    /// first, with their errors: what `replay` would try.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn dead_letters(&self) -> Result<Vec<LogRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, state, attempts, last_error, parent_id FROM webhook_log \
             WHERE state IN ('dead', 'failed') ORDER BY id",
        )
        .fetch_all(&self.reads)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LogRow {
                    id: row.try_get(0)?,
                    state: row.try_get(1)?,
                    attempts: row.try_get(2)?,
                    last_error: row.try_get(3)?,
                    parent_id: row.try_get(4)?,
                })
            })
            .collect()
    }

    /// The platform and body of a log row, byte for byte as received (decompressed if it
    /// was stored compressed); `None` when there is no such row.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails, or [`StoreError::Corrupt`] when the stored
    /// body does not decode.
    pub async fn logged_body(&self, id: i64) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let row =
            sqlx::query("SELECT platform, body, body_encoding FROM webhook_log WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.reads)
                .await?;
        let Some(row) = row else { return Ok(None) };
        let encoding: Option<String> = row.try_get(2)?;
        let body = encoding::decode(encoding.as_deref(), row.try_get(1)?)
            .map_err(|error| StoreError::Corrupt(format!("webhook_log {id}: {error}")))?;
        Ok(Some((row.try_get(0)?, body)))
    }

    /// The state of a log row.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn log_row(&self, id: i64) -> Result<Option<LogRow>, StoreError> {
        let row = sqlx::query(
            "SELECT id, state, attempts, last_error, parent_id FROM webhook_log WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.reads)
        .await?;
        row.map(|row| {
            Ok(LogRow {
                id: row.try_get(0)?,
                state: row.try_get(1)?,
                attempts: row.try_get(2)?,
                last_error: row.try_get(3)?,
                parent_id: row.try_get(4)?,
            })
        })
        .transpose()
    }
}

/// The platform and body (as received, or why it does not decode) of a row still to process
/// (not `processed`, not `split`).
async fn unprocessed_body(
    tx: &mut Transaction<'_, Any>,
    log_id: i64,
) -> Result<Option<(String, Result<Vec<u8>, String>)>, StoreError> {
    let row =
        sqlx::query("SELECT platform, body, state, body_encoding FROM webhook_log WHERE id = $1")
            .bind(log_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let state: String = row.try_get(2)?;
    if state == "processed" || state == "split" {
        return Ok(None);
    }
    let encoding: Option<String> = row.try_get(3)?;
    let body = encoding::decode(encoding.as_deref(), row.try_get(1)?);
    Ok(Some((row.try_get(0)?, body)))
}

async fn apply(
    tx: &mut Transaction<'_, Any>,
    log_id: i64,
    events: &[WebhookEvent],
    touched: &mut Vec<Touched>,
) -> Result<(), sqlx::Error> {
    for event in events {
        let Some(key) = event.dedup_key() else {
            continue;
        };
        let fresh = sqlx::query(
            "INSERT INTO applied_events (dedup_key, log_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(key)
        .bind(log_id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            == 1;
        if !fresh {
            continue;
        }
        let platform = event.platform.to_string();
        match event.kind {
            EventKind::Message | EventKind::Echo => {
                if let Some(message) = Message::from_event(event) {
                    store_message(tx, &message, touched).await?;
                }
            }
            EventKind::Status | EventKind::Delivery => {
                let status = event.status.unwrap_or(DeliveryStatus::Delivered);
                if let Some(id) = &event.message_id {
                    merge_status(tx, &platform, id, status, touched).await?;
                }
            }
            EventKind::Read => match (&event.message_id, event.status) {
                (Some(id), _) => {
                    merge_status(tx, &platform, id, DeliveryStatus::Read, touched).await?;
                }
                // Messenger and Instagram reads carry a watermark, not a message: everything
                // the business sent in that conversation up to it is read.
                (None, _) => read_up_to(tx, event, touched).await?,
            },
            EventKind::Reaction => {
                if let Some(id) = &event.message_id {
                    let reaction = event.reaction.clone().filter(|r| !r.is_empty());
                    let rows = sqlx::query(
                        "UPDATE messages SET reaction = $1 WHERE platform = $2 AND message_id = $3 \
                         RETURNING id",
                    )
                    .bind(reaction)
                    .bind(platform)
                    .bind(id.clone())
                    .fetch_all(&mut **tx)
                    .await?;
                    for row in rows {
                        touched.push(Touched {
                            message_row: row.try_get(0)?,
                            created: false,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

async fn read_up_to(
    tx: &mut Transaction<'_, Any>,
    event: &WebhookEvent,
    touched: &mut Vec<Touched>,
) -> Result<(), sqlx::Error> {
    let (Some(account), Some(reader), Some(watermark)) = (
        event.account_id.as_ref().or(event.recipient_id.as_ref()),
        &event.sender_id,
        event.timestamp_ms,
    ) else {
        return Ok(());
    };
    let rank = status_rank(DeliveryStatus::Read);
    // Kept for what is not stored yet (an echo delivered after the read).
    sqlx::query(
        "INSERT INTO read_watermarks (platform, account_id, counterpart_id, watermark_ms) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (platform, account_id, counterpart_id) DO UPDATE \
         SET watermark_ms = CASE WHEN read_watermarks.watermark_ms > excluded.watermark_ms \
         THEN read_watermarks.watermark_ms ELSE excluded.watermark_ms END",
    )
    .bind(event.platform.to_string())
    .bind(account.clone())
    .bind(reader.clone())
    .bind(watermark)
    .execute(&mut **tx)
    .await?;
    let rows = sqlx::query(
        "UPDATE messages SET status = 'read', status_rank = $1 \
         WHERE direction = 'outbound' AND status_rank < $1 AND timestamp_ms <= $2 \
         AND conversation_id = (SELECT id FROM conversations \
             WHERE platform = $3 AND account_id = $4 AND counterpart_id = $5) \
         RETURNING id",
    )
    .bind(rank)
    .bind(watermark)
    .bind(event.platform.to_string())
    .bind(account.clone())
    .bind(reader.clone())
    .fetch_all(&mut **tx)
    .await?;
    for row in rows {
        touched.push(Touched {
            message_row: row.try_get(0)?,
            created: false,
        });
    }
    Ok(())
}

pub(super) async fn store_message(
    tx: &mut Transaction<'_, Any>,
    message: &Message,
    touched: &mut Vec<Touched>,
) -> Result<(), sqlx::Error> {
    let platform = message.platform.to_string();
    let inbound = message.direction == Direction::Inbound;
    // The upsert always touches the row, so RETURNING gives its id whether it was new or not.
    let conversation: i64 = sqlx::query(
        "INSERT INTO conversations (platform, account_id, counterpart_id, last_message_at, \
         created_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (platform, account_id, counterpart_id) DO UPDATE \
         SET last_message_at = CASE WHEN conversations.last_message_at > excluded.last_message_at \
         THEN conversations.last_message_at ELSE excluded.last_message_at END, \
         created_at = CASE WHEN conversations.created_at < excluded.created_at \
         THEN conversations.created_at ELSE excluded.created_at END RETURNING id",
    )
    .bind(platform.clone())
    .bind(message.account_id.as_str().to_owned())
    .bind(message.counterpart().as_str().to_owned())
    .bind(message.timestamp_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    if !inbound
        && let Some(text) = &message.text
        && let Some(row) = claim_ambiguous(tx, conversation, message, text).await?
    {
        touched.push(Touched {
            message_row: row,
            created: false,
        });
        return Ok(());
    }
    let direction = if inbound { "inbound" } else { "outbound" };
    let (status, rank) = message
        .status
        .map_or((None, 0), |s| (Some(s.as_str().to_owned()), status_rank(s)));
    // A second delivery finds the row there already: the unique (platform, message_id)
    // keeps one. The echo of a message this server sent finds it too, once the send
    // recorded Meta's id (see `Store::finish_outbound` for the other order).
    let inserted = sqlx::query(
        "INSERT INTO messages (platform, message_id, conversation_id, direction, sender_id, \
         recipient_id, text, attachments, reply_to, timestamp_ms, status, status_rank, \
         inserted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (platform, message_id) DO NOTHING RETURNING id",
    )
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
    .bind(super::now_ms())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = inserted else {
        return Ok(());
    };
    let message_row: i64 = row.try_get(0)?;
    touched.push(Touched {
        message_row,
        created: true,
    });
    // The conversation list shows the newest message and counts what is unread.
    sqlx::query(
        "UPDATE conversations SET \
         last_preview = CASE WHEN last_message_at <= $1 THEN $2 ELSE last_preview END, \
         unread_count = unread_count + $3, \
         last_inbound_at = CASE WHEN $3 = 1 AND (last_inbound_at IS NULL OR last_inbound_at < $1) \
             THEN $1 ELSE last_inbound_at END \
         WHERE id = $4",
    )
    .bind(message.timestamp_ms)
    .bind(preview(message))
    .bind(i64::from(inbound))
    .bind(conversation)
    .execute(&mut **tx)
    .await?;
    // A status that arrived first is folded in now.
    fold_pending_status(tx, &platform, message.id.as_str()).await?;
    if !inbound {
        // So is a read watermark that covers it.
        sqlx::query(
            "UPDATE messages SET status = 'read', status_rank = $1 \
             WHERE id = $2 AND status_rank < $1 AND timestamp_ms <= (SELECT watermark_ms \
             FROM read_watermarks WHERE platform = $3 AND account_id = $4 AND counterpart_id = $5)",
        )
        .bind(status_rank(DeliveryStatus::Read))
        .bind(message_row)
        .bind(platform)
        .bind(message.account_id.as_str().to_owned())
        .bind(message.counterpart().as_str().to_owned())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Applies a status that arrived before its message, if any.
/// How far apart (Meta's clock against the server's) an echo and the reply it is the echo
/// of may be.
pub(crate) const ECHO_SKEW_MS: i64 = 60_000;

/// The echo of a reply whose send was ambiguous (it reached Meta after all, but its id never
/// came back) takes over that reply's row instead of showing it a second time: the oldest
/// ambiguous reply of the conversation with the same text, sent within [`ECHO_SKEW_MS`] of
/// the echo's time. Returns
/// the row, or `None` when there is none (or the echo's id is stored already).
async fn claim_ambiguous(
    tx: &mut Transaction<'_, Any>,
    conversation: i64,
    message: &Message,
    text: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let platform = message.platform.to_string();
    let known = sqlx::query("SELECT 1 FROM messages WHERE platform = $1 AND message_id = $2")
        .bind(platform.clone())
        .bind(message.id.as_str().to_owned())
        .fetch_optional(&mut **tx)
        .await?;
    if known.is_some() {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT id FROM messages WHERE conversation_id = $1 AND direction = 'outbound' \
         AND sent_by_server = 1 AND status = 'ambiguous' AND text = $2 \
         AND ABS(timestamp_ms - $3) <= $4 ORDER BY timestamp_ms, id LIMIT 1",
    )
    .bind(conversation)
    .bind(text.to_owned())
    .bind(message.timestamp_ms)
    .bind(ECHO_SKEW_MS)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get(0)?;
    let sent = DeliveryStatus::Sent;
    sqlx::query(
        "UPDATE messages SET message_id = $1, status = $2, status_rank = $3, error = NULL \
         WHERE id = $4",
    )
    .bind(message.id.as_str().to_owned())
    .bind(sent.as_str().to_owned())
    .bind(status_rank(sent))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    fold_pending_status(tx, &platform, message.id.as_str()).await?;
    Ok(Some(id))
}

pub(crate) async fn fold_pending_status(
    tx: &mut Transaction<'_, Any>,
    platform: &str,
    message_id: &str,
) -> Result<(), sqlx::Error> {
    let pending = sqlx::query(
        "SELECT status, status_rank FROM pending_statuses WHERE platform = $1 AND message_id = $2",
    )
    .bind(platform.to_owned())
    .bind(message_id.to_owned())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = pending {
        let status: String = row.try_get(0)?;
        let rank: i64 = row.try_get(1)?;
        raise_status(tx, platform, message_id, &status, rank).await?;
    }
    Ok(())
}

async fn merge_status(
    tx: &mut Transaction<'_, Any>,
    platform: &str,
    message_id: &str,
    status: DeliveryStatus,
    touched: &mut Vec<Touched>,
) -> Result<(), sqlx::Error> {
    let rank = status_rank(status);
    let rows = raise_status(tx, platform, message_id, status.as_str(), rank).await?;
    if rows.is_empty() {
        // No message yet (or a higher status already): remember the best report.
        sqlx::query(
            "INSERT INTO pending_statuses (platform, message_id, status_rank, status) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (platform, message_id) DO UPDATE \
             SET status = excluded.status, status_rank = excluded.status_rank \
             WHERE pending_statuses.status_rank < excluded.status_rank",
        )
        .bind(platform.to_owned())
        .bind(message_id.to_owned())
        .bind(rank)
        .bind(status.as_str().to_owned())
        .execute(&mut **tx)
        .await?;
    }
    touched.extend(rows.into_iter().map(|message_row| Touched {
        message_row,
        created: false,
    }));
    Ok(())
}

/// Raises a message's status when `rank` beats the stored one; returns the rows changed.
async fn raise_status(
    tx: &mut Transaction<'_, Any>,
    platform: &str,
    message_id: &str,
    status: &str,
    rank: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query(
        "UPDATE messages SET status = $1, status_rank = $2 \
         WHERE platform = $3 AND message_id = $4 AND status_rank < $2 RETURNING id",
    )
    .bind(status.to_owned())
    .bind(rank)
    .bind(platform.to_owned())
    .bind(message_id.to_owned())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|row| row.try_get(0)).collect()
}
