//! What the inbox API reads and writes: conversations, messages, outbound sends, analytics.

use std::fmt::Write as _;

use serde::Serialize;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::webhooks::{Touched, fold_pending_status, status_rank};
use super::{Store, StoreError};
use messaging_core::DeliveryStatus;

/// A page of a listing: start after `after` (the last row of the previous page), `limit` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// The sort key and id of the last row already seen.
    pub after: Option<(i64, i64)>,
    /// How many rows at most.
    pub limit: i64,
}

/// Which conversations to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationFilter {
    /// Only this platform.
    pub platform: Option<String>,
    /// Only conversations with unread messages.
    pub unread: bool,
}

/// A conversation as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConversationRow {
    /// The conversation id, used in the API's paths.
    pub id: i64,
    /// `whatsapp`, `messenger` or `instagram`.
    pub platform: String,
    /// The connected account it belongs to (`/api/platforms/` ids).
    pub platform_account_id: i64,
    /// The business side: phone number id, Page id or Instagram account id.
    pub account_id: String,
    /// The person: WhatsApp id, PSID or IGSID.
    pub counterpart_id: String,
    /// The newest message's time (Unix ms).
    pub last_message_at: i64,
    /// The newest inbound message's time (Unix ms): the reply window runs from it.
    pub last_inbound_at: Option<i64>,
    /// A preview of the newest message.
    pub last_message_preview: Option<String>,
    /// Inbound messages not yet marked read.
    pub unread_count: i64,
}

/// A message as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageRow {
    /// The row id.
    pub id: i64,
    /// The conversation.
    pub conversation_id: i64,
    /// `whatsapp`, `messenger` or `instagram`.
    pub platform: String,
    /// The wamid or mid (`pending:…` until the send returns).
    pub message_id: String,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// Who sent it.
    pub sender_id: String,
    /// Who it is for.
    pub recipient_id: String,
    /// The text.
    pub text: Option<String>,
    /// The attachments, normalized.
    pub attachments: serde_json::Value,
    /// The message it replies to.
    pub reply_to: Option<String>,
    /// The person's reaction to it.
    pub reaction: Option<String>,
    /// When it was sent (Unix ms).
    pub timestamp_ms: i64,
    /// `pending`, `sent`, `delivered`, `read`, `failed` or `ambiguous` for outbound messages.
    pub status: Option<String>,
    /// The Graph error of a failed or ambiguous send.
    pub error: Option<serde_json::Value>,
    /// Whether this server sent it (from the inbox API).
    pub sent_by_server: bool,
}

/// How a send through the platform ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutboundOutcome {
    /// Meta accepted it with this id.
    Sent(String),
    /// Meta refused it; nothing was delivered.
    Failed(serde_json::Value),
    /// It may have reached Meta; it was not retried.
    Ambiguous(serde_json::Value),
}

/// One row of the daily analytics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DailyRow {
    /// `whatsapp`, `messenger` or `instagram`.
    pub platform: String,
    /// The UTC day, `YYYY-MM-DD`.
    pub day: String,
    /// Messages that day.
    pub messages_total: i64,
    /// Of which inbound.
    pub messages_incoming: i64,
    /// Of which outbound.
    pub messages_outgoing: i64,
    /// Conversations with a message that day.
    pub conversations: i64,
    /// Conversations whose first message was that day.
    pub new_conversations: i64,
    /// The median time from an inbound message to the first outbound one after it.
    pub median_first_response_ms: Option<i64>,
}

const CONVERSATION_COLUMNS: &str = "c.id, c.platform, a.id, c.account_id, c.counterpart_id, \
     c.last_message_at, c.last_inbound_at, c.last_preview, c.unread_count";

/// Conversations are visible to the user who connected their account.
const CONVERSATION_FROM: &str = "FROM conversations c JOIN platform_accounts a \
     ON a.platform = c.platform AND a.external_id = c.account_id";

const MESSAGE_COLUMNS: &str = "m.id, m.conversation_id, m.platform, m.message_id, m.direction, \
     m.sender_id, m.recipient_id, m.text, m.attachments, m.reply_to, m.reaction, m.timestamp_ms, \
     m.status, m.error, m.sent_by_server";

fn conversation_from_row(row: &AnyRow) -> Result<ConversationRow, StoreError> {
    Ok(ConversationRow {
        id: row.try_get(0)?,
        platform: row.try_get(1)?,
        platform_account_id: row.try_get(2)?,
        account_id: row.try_get(3)?,
        counterpart_id: row.try_get(4)?,
        last_message_at: row.try_get(5)?,
        last_inbound_at: row.try_get(6)?,
        last_message_preview: row.try_get(7)?,
        unread_count: row.try_get(8)?,
    })
}

fn message_from_row(row: &AnyRow) -> Result<MessageRow, StoreError> {
    let attachments: String = row.try_get(8)?;
    let error: Option<String> = row.try_get(13)?;
    Ok(MessageRow {
        id: row.try_get(0)?,
        conversation_id: row.try_get(1)?,
        platform: row.try_get(2)?,
        message_id: row.try_get(3)?,
        direction: row.try_get(4)?,
        sender_id: row.try_get(5)?,
        recipient_id: row.try_get(6)?,
        text: row.try_get(7)?,
        attachments: serde_json::from_str(&attachments)
            .map_err(|e| StoreError::Corrupt(format!("message attachments: {e}")))?,
        reply_to: row.try_get(9)?,
        reaction: row.try_get(10)?,
        timestamp_ms: row.try_get(11)?,
        status: row.try_get(12)?,
        error: error
            .map(|e| serde_json::from_str(&e).unwrap_or(serde_json::Value::String(e)))
            .filter(|e| !e.is_null()),
        sent_by_server: row.try_get::<i64, _>(14)? != 0,
    })
}

impl Store {
    /// A page of the user's conversations, newest first.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn conversations(
        &self,
        user_id: i64,
        filter: &ConversationFilter,
        page: PageRequest,
    ) -> Result<Vec<ConversationRow>, StoreError> {
        let mut sql =
            format!("SELECT {CONVERSATION_COLUMNS} {CONVERSATION_FROM} WHERE a.user_id = $1");
        let mut n = 1;
        if filter.platform.is_some() {
            n += 1;
            let _ = write!(sql, " AND c.platform = ${n}");
        }
        if filter.unread {
            sql.push_str(" AND c.unread_count > 0");
        }
        if page.after.is_some() {
            let _ = write!(
                sql,
                " AND (c.last_message_at < ${a} OR (c.last_message_at = ${a} AND c.id < ${b}))",
                a = n + 1,
                b = n + 2
            );
            n += 2;
        }
        let _ = write!(
            sql,
            " ORDER BY c.last_message_at DESC, c.id DESC LIMIT ${}",
            n + 1
        );
        let mut query = sqlx::query(&sql).bind(user_id);
        if let Some(platform) = &filter.platform {
            query = query.bind(platform.clone());
        }
        if let Some((at, id)) = page.after {
            query = query.bind(at).bind(id);
        }
        let rows = query.bind(page.limit).fetch_all(&self.reads).await?;
        rows.iter().map(conversation_from_row).collect()
    }

    /// One of the user's conversations; `None` when it is not theirs.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn conversation(
        &self,
        user_id: i64,
        id: i64,
    ) -> Result<Option<ConversationRow>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CONVERSATION_COLUMNS} {CONVERSATION_FROM} WHERE c.id = $1 AND a.user_id = $2"
        ))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.reads)
        .await?;
        row.as_ref().map(conversation_from_row).transpose()
    }

    /// A page of a conversation's messages, newest first. The caller checked that the
    /// conversation is the user's.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn messages(
        &self,
        conversation_id: i64,
        page: PageRequest,
    ) -> Result<Vec<MessageRow>, StoreError> {
        let rows = match page.after {
            None => {
                sqlx::query(&format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = $1 \
                     ORDER BY m.timestamp_ms DESC, m.id DESC LIMIT $2"
                ))
                .bind(conversation_id)
                .bind(page.limit)
                .fetch_all(&self.reads)
                .await?
            }
            Some((at, id)) => {
                sqlx::query(&format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = $1 \
                     AND (m.timestamp_ms < $2 OR (m.timestamp_ms = $2 AND m.id < $3)) \
                     ORDER BY m.timestamp_ms DESC, m.id DESC LIMIT $4"
                ))
                .bind(conversation_id)
                .bind(at)
                .bind(id)
                .bind(page.limit)
                .fetch_all(&self.reads)
                .await?
            }
        };
        rows.iter().map(message_from_row).collect()
    }

    /// A message row and the user who may see it (the owner of its account), for the live
    /// feed; `None` when the row is gone or its account is not connected.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn message_for_live(
        &self,
        row_id: i64,
    ) -> Result<Option<(i64, MessageRow)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {MESSAGE_COLUMNS}, a.user_id FROM messages m \
             JOIN conversations c ON c.id = m.conversation_id \
             JOIN platform_accounts a ON a.platform = c.platform AND a.external_id = c.account_id \
             WHERE m.id = $1"
        ))
        .bind(row_id)
        .fetch_optional(&self.reads)
        .await?;
        row.map(|row| Ok((row.try_get(15)?, message_from_row(&row)?)))
            .transpose()
    }

    /// Every stored message, in arrival order (tests and tools).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn all_messages(&self) -> Result<Vec<MessageRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages m ORDER BY m.id"
        ))
        .fetch_all(&self.reads)
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// How many conversations there are, whoever's.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn conversation_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM conversations")
            .fetch_one(&self.reads)
            .await?
            .try_get(0)?)
    }

    /// Stores an outbound message as `pending` before it is sent.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn begin_outbound(
        &self,
        conversation: &ConversationRow,
        text: &str,
        now_ms: i64,
    ) -> Result<MessageRow, StoreError> {
        let placeholder = format!("pending:{}", crate::auth::random_token(12));
        let mut tx = self.begin().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO messages (platform, message_id, conversation_id, direction, sender_id, \
             recipient_id, text, attachments, timestamp_ms, status, status_rank, sent_by_server, \
             inserted_at) VALUES ($1, $2, $3, 'outbound', $4, $5, $6, '[]', $7, 'pending', 0, 1, $7) \
             RETURNING {}",
            MESSAGE_COLUMNS.replace("m.", "")
        ))
        .bind(conversation.platform.clone())
        .bind(placeholder)
        .bind(conversation.id)
        .bind(conversation.account_id.clone())
        .bind(conversation.counterpart_id.clone())
        .bind(text.to_owned())
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE conversations SET last_message_at = $1, last_preview = $2 \
             WHERE id = $3 AND last_message_at <= $1",
        )
        .bind(now_ms)
        .bind(text.chars().take(120).collect::<String>())
        .bind(conversation.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        message_from_row(&row)
    }

    /// Records how the send of a pending message ended. When Meta's echo of it arrived first
    /// (it can: webhooks race the send's answer), the echo's row is folded into this one, so
    /// the message is stored once.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn finish_outbound(
        &self,
        row_id: i64,
        outcome: &OutboundOutcome,
    ) -> Result<Vec<Touched>, StoreError> {
        let mut tx = self.begin().await?;
        let mut touched = vec![Touched {
            message_row: row_id,
            created: false,
        }];
        match outcome {
            OutboundOutcome::Sent(message_id) => {
                let row =
                    sqlx::query("SELECT platform, status, status_rank FROM messages WHERE id = $1")
                        .bind(row_id)
                        .fetch_one(&mut *tx)
                        .await?;
                let platform: String = row.try_get(0)?;
                let echo = sqlx::query(
                    "DELETE FROM messages WHERE platform = $1 AND message_id = $2 AND id <> $3 \
                     RETURNING status, status_rank",
                )
                .bind(platform.clone())
                .bind(message_id.clone())
                .bind(row_id)
                .fetch_optional(&mut *tx)
                .await?;
                let sent = DeliveryStatus::Sent;
                let (mut status, mut rank) = (sent.as_str().to_owned(), status_rank(sent));
                // A read watermark may have covered the row while it was on its way.
                let own_rank: i64 = row.try_get(2)?;
                if own_rank > rank {
                    rank = own_rank;
                    status = row.try_get::<Option<String>, _>(1)?.unwrap_or(status);
                }
                if let Some(echo) = echo {
                    let echo_rank: i64 = echo.try_get(1)?;
                    if echo_rank > rank {
                        rank = echo_rank;
                        status = echo.try_get::<Option<String>, _>(0)?.unwrap_or(status);
                    }
                }
                sqlx::query(
                    "UPDATE messages SET message_id = $1, status = $2, status_rank = $3, \
                     error = NULL WHERE id = $4",
                )
                .bind(message_id.clone())
                .bind(status)
                .bind(rank)
                .bind(row_id)
                .execute(&mut *tx)
                .await?;
                fold_pending_status(&mut tx, &platform, message_id).await?;
            }
            OutboundOutcome::Failed(error) | OutboundOutcome::Ambiguous(error) => {
                let status = if matches!(outcome, OutboundOutcome::Failed(_)) {
                    "failed"
                } else {
                    "ambiguous"
                };
                sqlx::query("UPDATE messages SET status = $1, error = $2 WHERE id = $3")
                    .bind(status.to_owned())
                    .bind(error.to_string())
                    .bind(row_id)
                    .execute(&mut *tx)
                    .await?;
                if matches!(outcome, OutboundOutcome::Ambiguous(_)) {
                    adopt_echo(&mut tx, row_id).await?;
                }
            }
        }
        tx.commit().await?;
        touched.dedup();
        Ok(touched)
    }

    /// Marks as `ambiguous` the replies left `pending` by a stop in the middle of their send
    /// (begun before `before_ms`): they may have reached Meta, so they are not sent again.
    /// Returns how many.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn settle_stale_pending(&self, before_ms: i64) -> Result<u64, StoreError> {
        let result = sqlx::query(
            "UPDATE messages SET status = 'ambiguous', \
             error = '{\"message\":\"the server stopped during the send\"}' \
             WHERE status = 'pending' AND sent_by_server = 1 AND timestamp_ms < $1",
        )
        .bind(before_ms)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    /// One message row.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn message(&self, row_id: i64) -> Result<Option<MessageRow>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.id = $1"
        ))
        .bind(row_id)
        .fetch_optional(&self.reads)
        .await?;
        row.as_ref().map(message_from_row).transpose()
    }

    /// Marks a conversation read on this side; returns the newest inbound message's id, to
    /// tell the platform.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn mark_conversation_read(
        &self,
        conversation_id: i64,
    ) -> Result<Option<String>, StoreError> {
        sqlx::query("UPDATE conversations SET unread_count = 0 WHERE id = $1")
            .bind(conversation_id)
            .execute(&self.pool)
            .await?;
        let row = sqlx::query(
            "SELECT message_id FROM messages WHERE conversation_id = $1 AND direction = 'inbound' \
             ORDER BY timestamp_ms DESC, id DESC LIMIT 1",
        )
        .bind(conversation_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    /// The user's daily analytics between two UTC days (inclusive), oldest first.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn daily(
        &self,
        user_id: i64,
        from: &str,
        to: &str,
        platform: Option<&str>,
    ) -> Result<Vec<DailyRow>, StoreError> {
        let mut sql =
            "SELECT platform, day, messages_total, messages_incoming, messages_outgoing, \
             conversations, new_conversations, median_first_response_ms FROM analytics_daily \
             WHERE user_id = $1 AND day >= $2 AND day <= $3"
                .to_owned();
        if platform.is_some() {
            sql.push_str(" AND platform = $4");
        }
        sql.push_str(" ORDER BY day, platform");
        let mut query = sqlx::query(&sql)
            .bind(user_id)
            .bind(from.to_owned())
            .bind(to.to_owned());
        if let Some(platform) = platform {
            query = query.bind(platform.to_owned());
        }
        let rows = query.fetch_all(&self.reads).await?;
        rows.iter()
            .map(|row| {
                Ok(DailyRow {
                    platform: row.try_get(0)?,
                    day: row.try_get(1)?,
                    messages_total: row.try_get(2)?,
                    messages_incoming: row.try_get(3)?,
                    messages_outgoing: row.try_get(4)?,
                    conversations: row.try_get(5)?,
                    new_conversations: row.try_get(6)?,
                    median_first_response_ms: row.try_get(7)?,
                })
            })
            .collect()
    }
}

/// The other order of [`claim_ambiguous`](super::webhooks): the echo of an ambiguous reply
/// came in while the send was still waiting for its answer, as a row of its own. That row is
/// folded into the reply's (its id and status taken over, the echo row removed), so the
/// reply shows once, as sent.
async fn adopt_echo(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    row_id: i64,
) -> Result<(), StoreError> {
    let echo = sqlx::query(
        "SELECT e.id, e.message_id, e.status, e.status_rank FROM messages e \
         JOIN messages r ON r.id = $1 \
         WHERE e.conversation_id = r.conversation_id AND e.direction = 'outbound' \
         AND e.sent_by_server = 0 AND e.text = r.text AND e.id <> r.id \
         AND ABS(e.timestamp_ms - r.timestamp_ms) <= $2 ORDER BY e.timestamp_ms, e.id LIMIT 1",
    )
    .bind(row_id)
    .bind(super::webhooks::ECHO_SKEW_MS)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(echo) = echo else { return Ok(()) };
    let echo_row: i64 = echo.try_get(0)?;
    let message_id: String = echo.try_get(1)?;
    let sent = DeliveryStatus::Sent;
    let echo_rank: i64 = echo.try_get(3)?;
    let (status, rank) = if echo_rank > status_rank(sent) {
        (
            echo.try_get::<Option<String>, _>(2)?
                .unwrap_or_else(|| sent.as_str().to_owned()),
            echo_rank,
        )
    } else {
        (sent.as_str().to_owned(), status_rank(sent))
    };
    sqlx::query("DELETE FROM messages WHERE id = $1")
        .bind(echo_row)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE messages SET message_id = $1, status = $2, status_rank = $3, error = NULL \
         WHERE id = $4",
    )
    .bind(message_id)
    .bind(status)
    .bind(rank)
    .bind(row_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
