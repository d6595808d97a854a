//! The daily analytics table: per user, platform and UTC day, recomputed a whole day at a
//! time so that a run is idempotent.

use std::collections::{BTreeSet, HashMap};

use futures_util::TryStreamExt as _;
use sqlx::Row as _;

use super::{Store, StoreError};

/// Milliseconds in a day: a UTC day number is `timestamp_ms / DAY_MS`.
pub const DAY_MS: i64 = 86_400_000;

/// The `YYYY-MM-DD` of a UTC day number.
pub fn day_key(day: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(day * 86_400)
        .map_or(time::Date::MIN, time::OffsetDateTime::date);
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The UTC day number of a `YYYY-MM-DD`.
pub fn day_number(key: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(key, format).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp() / 86_400)
}

#[derive(Default)]
struct Day {
    total: i64,
    incoming: i64,
    conversations: i64,
    new_conversations: i64,
    responses: Vec<i64>,
}

fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        // The mean of the two middle values, rounded down.
        values[mid - 1] + (values[mid] - values[mid - 1]) / 2
    })
}

impl Store {
    /// The UTC days of the messages written at or after `since_ms`, in order.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn touched_days_since(&self, since_ms: i64) -> Result<Vec<i64>, StoreError> {
        // On a read connection (a small page cache), from `messages_inserted_at` alone: the
        // scan covers every message written since the last run, and it must neither hold
        // the writer nor fill the writer's cache. No `DISTINCT`: SQLite would sort every
        // row of the scan to find the few days among them. The first and last day first;
        // usually they are the same.
        let row = sqlx::query(
            "SELECT MIN(timestamp_ms), MAX(timestamp_ms) FROM messages WHERE inserted_at >= $1",
        )
        .bind(since_ms)
        .fetch_one(&self.reads)
        .await?;
        let (first, last): (Option<i64>, Option<i64>) = (row.try_get(0)?, row.try_get(1)?);
        let Some((first, last)) = first.zip(last) else {
            return Ok(Vec::new());
        };
        if first / DAY_MS == last / DAY_MS {
            return Ok(vec![first / DAY_MS]);
        }
        // Several days (a backfill, a late delivery): each row's day, kept once here.
        let mut days = BTreeSet::new();
        let mut rows = sqlx::query("SELECT timestamp_ms FROM messages WHERE inserted_at >= $1")
            .bind(since_ms)
            .fetch(&self.reads);
        while let Some(row) = rows.try_next().await? {
            days.insert(row.try_get::<i64, _>(0)? / DAY_MS);
        }
        Ok(days.into_iter().collect())
    }

    /// The first and last UTC day with a message.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn message_days(&self) -> Result<Option<(i64, i64)>, StoreError> {
        let row = sqlx::query("SELECT MIN(timestamp_ms), MAX(timestamp_ms) FROM messages")
            .fetch_one(&self.pool)
            .await?;
        let (first, last): (Option<i64>, Option<i64>) = (row.try_get(0)?, row.try_get(1)?);
        Ok(first.zip(last).map(|(a, b)| (a / DAY_MS, b / DAY_MS)))
    }

    /// Recomputes every user's and platform's row of one UTC day from the messages; returns
    /// how many rows the day has now. Running it twice gives the same rows.
    ///
    /// The median first-response time takes, in each conversation, each inbound message of
    /// that day that opens a turn (the first since the business last wrote, looking back a
    /// day) and the time to the business's next message (counted up to a day later).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn recompute_day(&self, day: i64) -> Result<usize, StoreError> {
        let (start, end) = (day * DAY_MS, (day + 1) * DAY_MS);
        let mut days: HashMap<(i64, String), Day> = HashMap::new();
        let fresh = sqlx::query(
            "SELECT a.user_id, c.platform, COUNT(*) FROM conversations c \
             JOIN platform_accounts a ON a.platform = c.platform AND a.external_id = c.account_id \
             WHERE c.created_at >= $1 AND c.created_at < $2 GROUP BY a.user_id, c.platform",
        )
        .bind(start)
        .bind(end)
        .fetch_all(&self.reads)
        .await?;
        for row in &fresh {
            days.entry((row.try_get(0)?, row.try_get(1)?))
                .or_default()
                .new_conversations = row.try_get(2)?;
        }
        // One scan in the order of `messages_conversation` (conversation, time, row id,
        // with the direction), so the database sorts nothing and reads no table page: a sort
        // of three days of messages would take memory in proportion to the day, and a table
        // lookup per message fills the page cache. The `IN` list, from the covering
        // `messages_timestamp`, keeps the scan to the conversations with a message in the
        // window.
        let mut timeline = sqlx::query(
            "SELECT a.user_id, c.platform, m.conversation_id, m.direction, m.timestamp_ms \
             FROM messages m JOIN conversations c ON c.id = m.conversation_id \
             JOIN platform_accounts a ON a.platform = c.platform AND a.external_id = c.account_id \
             WHERE m.conversation_id IN \
             (SELECT conversation_id FROM messages WHERE timestamp_ms >= $1 AND timestamp_ms < $2) \
             AND m.timestamp_ms >= $1 AND m.timestamp_ms < $2 \
             ORDER BY m.conversation_id, m.timestamp_ms, m.id",
        )
        .bind(start - DAY_MS)
        .bind(end + DAY_MS)
        .fetch(&self.reads);
        let mut current = None;
        let mut counted = false;
        let mut waiting: Option<i64> = None;
        // Row by row: three days of messages never sit in memory at once.
        while let Some(row) = timeline.try_next().await? {
            let conversation: i64 = row.try_get(2)?;
            if current != Some(conversation) {
                current = Some(conversation);
                counted = false;
                waiting = None;
            }
            let inbound = row.try_get::<String, _>(3)? == "inbound";
            let at: i64 = row.try_get(4)?;
            let today = (start..end).contains(&at);
            if today {
                let day = days.entry((row.try_get(0)?, row.try_get(1)?)).or_default();
                day.total += 1;
                day.incoming += i64::from(inbound);
                if !counted {
                    counted = true;
                    day.conversations += 1;
                }
            }
            if inbound {
                waiting.get_or_insert(at);
            } else if let Some(since) = waiting.take()
                && (start..end).contains(&since)
            {
                days.entry((row.try_get(0)?, row.try_get(1)?))
                    .or_default()
                    .responses
                    .push(at - since);
            }
        }
        let key = day_key(day);
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM analytics_daily WHERE day = $1")
            .bind(key.clone())
            .execute(&mut *tx)
            .await?;
        let mut written = 0;
        for ((user_id, platform), mut day) in days {
            if day.total == 0 && day.new_conversations == 0 {
                continue;
            }
            sqlx::query(
                "INSERT INTO analytics_daily (user_id, platform, day, messages_total, \
                 messages_incoming, messages_outgoing, conversations, new_conversations, \
                 median_first_response_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(user_id)
            .bind(platform)
            .bind(key.clone())
            .bind(day.total)
            .bind(day.incoming)
            .bind(day.total - day.incoming)
            .bind(day.conversations)
            .bind(day.new_conversations)
            .bind(median(&mut day.responses))
            .execute(&mut *tx)
            .await?;
            written += 1;
        }
        tx.commit().await?;
        Ok(written)
    }

    /// A job's saved progress (such as the aggregator's last run).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn job_state(&self, name: &str) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT value FROM job_state WHERE name = $1")
            .bind(name.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    /// Saves a job's progress.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database fails.
    pub async fn set_job_state(&self, name: &str, value: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO job_state (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name.to_owned())
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_convert_both_ways() {
        assert_eq!(day_key(0), "1970-01-01");
        let day = 1_764_547_200_000 / DAY_MS; // 2025-12-01
        assert_eq!(day_key(day), "2025-12-01");
        assert_eq!(day_number("2025-12-01"), Some(day));
        assert_eq!(day_number("2025-13-01"), None);
    }

    #[test]
    fn the_median_of_even_and_odd_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [10, 1, 4, 2]), Some(3));
    }
}
