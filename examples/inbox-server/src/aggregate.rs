//! The analytics aggregator: per user, platform and UTC day, messages total / incoming /
//! outgoing, conversations, new conversations and the median first-response time, written to
//! `analytics_daily`.
//!
//! A run is incremental: it recomputes only the days of the messages written since the last
//! run (with five minutes of overlap for transactions that committed late), each day whole,
//! so running it twice gives the same rows. Across instances it runs once per period: the
//! lease `aggregate` is claimed for the period and not given back.

use std::time::Duration;

use crate::store::{Store, StoreError};

/// The `job_state` entry holding when the last incremental run started.
pub const LAST_RUN: &str = "aggregate.last_run_started";

/// How far before the last run's start the next one looks again.
pub const OVERLAP_MS: i64 = 5 * 60 * 1000;

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AggregateReport {
    /// The UTC day numbers recomputed.
    pub days: Vec<i64>,
    /// Rows those days have now.
    pub rows: usize,
}

/// Recomputes the days touched since the last run (all days on the first run).
///
/// # Errors
///
/// A [`StoreError`] when the database fails; the last-run mark only moves when every day is
/// written, so a failed run is redone whole.
pub async fn run_incremental(store: &Store) -> Result<AggregateReport, StoreError> {
    let started = store.db_now_ms().await?;
    let since = store
        .job_state(LAST_RUN)
        .await?
        .map_or(i64::MIN, |last| last - OVERLAP_MS);
    let days = store.touched_days_since(since).await?;
    let report = recompute(store, days).await?;
    store.set_job_state(LAST_RUN, started).await?;
    Ok(report)
}

/// Recomputes every day from `from` to `to` (UTC day numbers, inclusive).
///
/// # Errors
///
/// A [`StoreError`] when the database fails.
pub async fn run_range(store: &Store, from: i64, to: i64) -> Result<AggregateReport, StoreError> {
    recompute(store, (from..=to).collect()).await
}

async fn recompute(store: &Store, days: Vec<i64>) -> Result<AggregateReport, StoreError> {
    let mut rows = 0;
    for day in &days {
        rows += store.recompute_day(*day).await?;
    }
    Ok(AggregateReport { days, rows })
}

/// Runs the incremental aggregation once every `period`, on one instance only per period.
pub async fn run(store: Store, period: Duration, holder: String) {
    let period_ms = i64::try_from(period.as_millis()).unwrap_or(i64::MAX);
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match store.claim_lease("aggregate", &holder, period_ms).await {
            Ok(true) => match run_incremental(&store).await {
                Ok(report) => tracing::info!(
                    days = report.days.len(),
                    rows = report.rows,
                    "analytics aggregated"
                ),
                Err(error) => tracing::warn!(%error, "the analytics run failed"),
            },
            Ok(false) => tracing::debug!("another instance aggregates this period"),
            Err(error) => tracing::warn!(%error, "could not claim the analytics lease"),
        }
    }
}
