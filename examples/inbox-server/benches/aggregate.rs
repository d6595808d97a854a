//! The aggregator at scale: one million messages over 1,000 accounts (100 users, 10,000
//! conversations, 30 days), on SQLite and, when `DATABASE_URL` points at one, PostgreSQL;
//! a full run, then an incremental run after one new hour of traffic.
//!
//! `cargo bench -p inbox-server --bench aggregate` (`BENCH_MESSAGES=…` for another size).
//! Not a test: it prints the figures for `docs/PERFORMANCE.md`.

use std::time::Instant;

use inbox_server::aggregate::{LAST_RUN, run_incremental, run_range};
use inbox_server::store::{Backend, DAY_MS, Store, now_ms};

const ACCOUNTS: i64 = 1_000;
const USERS: i64 = 100;
const CONVERSATIONS: i64 = 10_000;
const DAYS: i64 = 30;

async fn seed(store: &Store, messages: i64, first_day: i64) {
    let pool = store.pool();
    // Users, accounts (a third per platform), conversations.
    let series = |n: i64| match store.backend() {
        Backend::Sqlite => format!(
            "WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < {}) ",
            n - 1
        ),
        Backend::Postgres => format!(
            "WITH seq(n) AS (SELECT generate_series(CAST(0 AS BIGINT), {})) ",
            n - 1
        ),
    };
    let platform = "CASE n % 3 WHEN 0 THEN 'whatsapp' WHEN 1 THEN 'messenger' ELSE 'instagram' END";
    for sql in [
        format!(
            "{}INSERT INTO users (name, created_at) SELECT 'user' || CAST(n AS TEXT), 0 FROM seq",
            series(USERS)
        ),
        format!(
            "{}INSERT INTO platform_accounts (user_id, platform, external_id, access_token, status, \
             metadata, created_at, updated_at) SELECT n % {USERS} + 1, {platform}, 'acct' || CAST(n AS TEXT), \
             'sealed', 'active', '{{}}', 0, 0 FROM seq",
            series(ACCOUNTS)
        ),
        format!(
            "{}INSERT INTO conversations (platform, account_id, counterpart_id, last_message_at, created_at) \
             SELECT {}, 'acct' || CAST(n % {ACCOUNTS} AS TEXT), 'person' || CAST(n AS TEXT), 0, {} FROM seq",
            series(CONVERSATIONS),
            platform.replace("n % 3", &format!("(n % {ACCOUNTS}) % 3")),
            first_day * DAY_MS
        ),
        // Each conversation alternates inbound and outbound, spread over the days.
        format!(
            "{}INSERT INTO messages (platform, message_id, conversation_id, direction, sender_id, \
             recipient_id, attachments, timestamp_ms, status_rank, inserted_at) \
             SELECT c.platform, 'bench' || CAST(s.n AS TEXT), c.id, \
             CASE WHEN (s.n / {CONVERSATIONS}) % 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'x', 'y', '[]', \
             {start} + (s.n / {CONVERSATIONS}) * {step} + (s.n % {CONVERSATIONS}) * 7, 0, 0 \
             FROM seq s JOIN conversations c ON c.id = s.n % {CONVERSATIONS} + 1",
            series(messages),
            start = first_day * DAY_MS,
            step = DAYS * DAY_MS / (messages / CONVERSATIONS).max(1),
        ),
    ] {
        sqlx::query(&sql).execute(pool).await.unwrap();
    }
}

async fn one_hour_more(store: &Store, messages: i64, last_day: i64) -> i64 {
    let hour = (messages / DAYS / 24).max(1);
    let start = last_day * DAY_MS + 22 * 3_600_000;
    let now = now_ms();
    let series = match store.backend() {
        Backend::Sqlite => format!(
            "WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < {}) ",
            hour - 1
        ),
        Backend::Postgres => format!(
            "WITH seq(n) AS (SELECT generate_series(CAST(0 AS BIGINT), {})) ",
            hour - 1
        ),
    };
    sqlx::query(&format!(
        "{series}INSERT INTO messages (platform, message_id, conversation_id, direction, sender_id, \
         recipient_id, attachments, timestamp_ms, status_rank, inserted_at) \
         SELECT c.platform, 'new' || CAST(s.n AS TEXT), c.id, 'inbound', 'x', 'y', '[]', \
         {start} + s.n * 2000, 0, {now} FROM seq s JOIN conversations c ON c.id = s.n % {CONVERSATIONS} + 1"
    ))
    .execute(store.pool())
    .await
    .unwrap();
    hour
}

async fn measure(name: &str, store: Store, messages: i64) {
    let first_day = now_ms() / DAY_MS - DAYS - 1;
    let seeding = Instant::now();
    seed(&store, messages, first_day).await;
    let seeded = seeding.elapsed();
    let full = Instant::now();
    let report = run_range(&store, first_day, first_day + DAYS)
        .await
        .unwrap();
    let full = full.elapsed();
    // The hourly run: the last one just happened; one new hour of traffic arrives.
    store.set_job_state(LAST_RUN, now_ms()).await.unwrap();
    let added = one_hour_more(&store, messages, first_day + DAYS - 1).await;
    let incremental = Instant::now();
    let hourly = run_incremental(&store).await.unwrap();
    let incremental = incremental.elapsed();
    println!(
        "{name}: {messages} messages, {ACCOUNTS} accounts (seeded in {:.1} s) | full: {} days, {} rows in {:.2} s | \
         incremental after {added} new messages: {} day(s) in {:.3} s ({:.1}% of full)",
        seeded.as_secs_f64(),
        report.days.len(),
        report.rows,
        full.as_secs_f64(),
        hourly.days.len(),
        incremental.as_secs_f64(),
        100.0 * incremental.as_secs_f64() / full.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let messages: i64 = std::env::var("BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("inbox-aggregate-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Store::connect(&format!("sqlite:{}", dir.join("bench.db").display()))
        .await
        .unwrap();
    measure("sqlite", sqlite, messages).await;
    let _ = std::fs::remove_dir_all(&dir);
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let schema = format!("inbox_bench_{}", std::process::id());
            let admin = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await
                .unwrap();
            let sep = if url.contains('?') { '&' } else { '?' };
            let store = Store::connect(&format!("{url}{sep}options=-c%20search_path%3D{schema}"))
                .await
                .unwrap();
            measure("postgres", store, messages).await;
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&admin)
                .await
                .unwrap();
        }
        _ => println!("postgres: skipped (DATABASE_URL is not a PostgreSQL URL)"),
    }
}
