//! Crash safety of the webhook intake, with the real binary: while 16 senders deliver 2,000
//! signed WhatsApp messages the way Meta does (each body again and again until it gets a
//! 200), the server is killed with SIGKILL at random moments and restarted on the same database. In the
//! end every message is stored exactly once: none of the bodies answered 200 was lost (it was
//! never sent again, so a body answered before its commit would be missing), and the
//! deliveries that were cut between the commit and the 200 left only harmless duplicate log
//! rows.
//!
//! Runs only with `INBOX_FAULT_TESTS=1` (each run takes seconds and starts processes); on
//! SQLite always, on PostgreSQL when `DATABASE_URL` names a server. `INBOX_FAULT_SEED` replays
//! the kill times of a printed seed.
//!
//! A SIGKILL leaves the kernel's page cache intact, so this proves that no 200 leaves before
//! the commit and that recovery after an abrupt stop is complete, not that an fsync reached
//! the platter (that is the database's `synchronous` setting, see the store's docs).
#![allow(clippy::too_many_lines)] // one run of the scenario, read top to bottom

mod common;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::binary::{Server, fault_tests_enabled, free_port, ready, spawn};
use inbox_server::store::Store;
use metabiz_webhook_verify::SIGNATURE_256_HEADER;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use serde_json::{Value, json};
use sqlx::Row as _;

/// The messages delivered, one per body.
const EVENTS: usize = 2_000;
/// Concurrent senders, like Meta's parallel deliveries.
const SENDERS: usize = 16;
/// The bodies start this far apart, so that sending spans many kills (unpaced, the server
/// takes 2,000 bodies in well under a second).
const PACE: Duration = Duration::from_millis(5);
/// The fewest kills a run must see while sending.
const MIN_KILLS: usize = 5;
/// Customers the messages come from (conversations).
const CUSTOMERS: usize = 20;
const WABA: &str = "102290129340398";
const PHONE: &str = "106540352242922";

fn enabled(test: &str) -> bool {
    fault_tests_enabled(test, "it starts and kills servers")
}

fn seed() -> u64 {
    std::env::var("INBOX_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs() ^ u64::from(d.subsec_nanos()))
        })
}

/// A WhatsApp text message webhook, as Meta sends it.
fn wa_text(wamid: &str, from: &str, text: &str, timestamp_s: u64) -> Vec<u8> {
    json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE},
        "contacts": [{"profile": {"name": "Sheena"}, "wa_id": from}],
        "messages": [{"from": from, "id": wamid, "timestamp": timestamp_s.to_string(), "type": "text", "text": {"body": text}}]
    }}]}]})
    .to_string()
    .into_bytes()
}

fn wamid(n: usize) -> String {
    format!("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBRDUkFTSA{n:05}AA==")
}

/// What the senders saw.
#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    ok: AtomicU64,
    connection_errors: AtomicU64,
    server_errors: AtomicU64,
    /// Anything but 200 and 5xx: a signed, well-formed body must never get it.
    other: AtomicU64,
    most_attempts: AtomicU64,
}

/// Delivers `bodies` like Meta: each one until it gets a 200, with a short back-off after a
/// connection error or a 5xx. Returns the indexes answered 200 (all of them, or it panics).
async fn deliver(bodies: Arc<Vec<Vec<u8>>>, port: u16, tally: Arc<Tally>) -> Vec<usize> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/api/webhooks/whatsapp/");
    let next = Arc::new(AtomicUsize::new(0));
    let start = tokio::time::Instant::now();
    let mut senders = Vec::new();
    for _ in 0..SENDERS {
        let (http, url, next, bodies, tally) = (
            http.clone(),
            url.clone(),
            next.clone(),
            bodies.clone(),
            tally.clone(),
        );
        senders.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= bodies.len() {
                    return acked;
                }
                tokio::time::sleep_until(start + PACE * u32::try_from(n).unwrap()).await;
                let body = &bodies[n];
                let signature = common::signature(body);
                let mut attempts = 0u64;
                loop {
                    attempts += 1;
                    assert!(attempts < 2_000, "body {n} never got a 200");
                    tally.requests.fetch_add(1, Ordering::Relaxed);
                    let sent = http
                        .post(&url)
                        .header("content-type", "application/json")
                        .header(SIGNATURE_256_HEADER, &signature)
                        .body(body.clone())
                        .send()
                        .await;
                    match sent.map(|r| r.status()) {
                        Ok(status) if status == reqwest::StatusCode::OK => {
                            tally.ok.fetch_add(1, Ordering::Relaxed);
                            break;
                        }
                        Ok(status) if status.is_server_error() => {
                            tally.server_errors.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(status) => {
                            tally.other.fetch_add(1, Ordering::Relaxed);
                            panic!("body {n} got {status}");
                        }
                        Err(_) => {
                            tally.connection_errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    let backoff = 20u64 << attempts.min(4);
                    tokio::time::sleep(Duration::from_millis(backoff)).await;
                }
                tally.most_attempts.fetch_max(attempts, Ordering::Relaxed);
                acked.push(n);
            }
        }));
    }
    let mut acked = Vec::new();
    for sender in senders {
        acked.extend(sender.await.unwrap());
    }
    acked
}

/// SIGKILLs and restarts the server at random moments until `stop`; returns the server then
/// running and the number of kills.
async fn killer(
    mut server: Server,
    database: String,
    port: u16,
    log: PathBuf,
    seed: u64,
    stop: Arc<AtomicBool>,
) -> (Server, usize) {
    let http = reqwest::Client::new();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut kills = 0;
    loop {
        ready(&http, port, &mut server, &log).await;
        let wait = Duration::from_millis(rng.random_range(200..=800));
        tokio::time::sleep(wait).await;
        if stop.load(Ordering::SeqCst) {
            return (server, kills);
        }
        server.kill();
        kills += 1;
        server = spawn(&database, port, &log);
    }
}

/// One log row's state, and the message id its body carries.
struct LogEntry {
    state: String,
    last_error: Option<String>,
    wamid: Option<String>,
}

async fn log_entries(store: &Store) -> Vec<LogEntry> {
    let rows = sqlx::query("SELECT id, state, last_error FROM webhook_log ORDER BY id")
        .fetch_all(store.pool())
        .await
        .unwrap();
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        // The body as received (a large one is stored compressed).
        let (_, body) = store.logged_body(row.get(0)).await.unwrap().unwrap();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        entries.push(LogEntry {
            state: row.get(1),
            last_error: row.get(2),
            wamid: body["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
                .as_str()
                .map(str::to_owned),
        });
    }
    entries
}

async fn pending(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM webhook_log WHERE state = 'pending'")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn run(backend: &str, database: String, log: PathBuf) {
    let seed = seed();
    eprintln!("crash/{backend}: seed {seed} (INBOX_FAULT_SEED={seed} replays the kill times)");
    let started = Instant::now();
    let port = free_port();
    let now_s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..EVENTS)
            .map(|n| {
                let from = format!("1650555{:04}", n % CUSTOMERS);
                wa_text(&wamid(n), &from, &format!("message {n}"), now_s)
            })
            .collect(),
    );
    let http = reqwest::Client::new();
    let mut server = spawn(&database, port, &log);
    ready(&http, port, &mut server, &log).await;

    let stop = Arc::new(AtomicBool::new(false));
    let killing = tokio::spawn(killer(
        server,
        database.clone(),
        port,
        log.clone(),
        seed,
        stop.clone(),
    ));
    let tally = Arc::new(Tally::default());
    let acked = deliver(bodies.clone(), port, tally.clone()).await;
    stop.store(true, Ordering::SeqCst);
    let (mut server, kills) = killing.await.unwrap();
    let sending = started.elapsed();

    // Restarted once more: what the last instance left pending is replayed at start.
    server.kill();
    drop(server);
    let mut server = spawn(&database, port, &log);
    ready(&http, port, &mut server, &log).await;
    let store = Store::connect(&database).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while pending(&store).await > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let entries = log_entries(&store).await;
    let messages: Vec<String> =
        sqlx::query_scalar("SELECT message_id FROM messages WHERE platform = 'whatsapp'")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let unread: Vec<(i64, i64)> = sqlx::query(
        "SELECT c.unread_count, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) \
         FROM conversations c",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .map(|row| (row.get(0), row.get(1)))
    .collect();
    drop(server);

    let requests = tally.requests.load(Ordering::Relaxed);
    let distinct: HashSet<&str> = messages.iter().map(String::as_str).collect();
    let mut logged: HashMap<&str, usize> = HashMap::new();
    for entry in &entries {
        if let Some(id) = &entry.wamid {
            *logged.entry(id.as_str()).or_default() += 1;
        }
    }
    let duplicates = entries.len().saturating_sub(logged.len());
    eprintln!(
        "crash/{backend}: {EVENTS} events sent, {requests} requests, {} re-sends \
         ({} connection errors, {} 5xx; at most {} attempts for one body), {kills} kills, \
         {} log rows, {} stored messages, {duplicates} duplicate log rows, {} conversations; \
         sending {:.1} s, total {:.1} s",
        requests - EVENTS as u64,
        tally.connection_errors.load(Ordering::Relaxed),
        tally.server_errors.load(Ordering::Relaxed),
        tally.most_attempts.load(Ordering::Relaxed),
        entries.len(),
        messages.len(),
        unread.len(),
        sending.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );

    assert!(
        kills >= MIN_KILLS,
        "only {kills} kills while sending: the run proves too little"
    );
    assert_eq!(
        acked.len(),
        EVENTS,
        "every body was answered 200 in the end"
    );
    assert_eq!(tally.other.load(Ordering::Relaxed), 0);
    // A body answered 200 was never sent again: it must be in the log.
    let unlogged: Vec<String> = acked
        .iter()
        .map(|&n| wamid(n))
        .filter(|id| !logged.contains_key(id.as_str()))
        .collect();
    assert!(
        unlogged.is_empty(),
        "{} bodies answered 200 are not in the log (first: {:?})",
        unlogged.len(),
        unlogged.first()
    );
    let stray: Vec<&LogEntry> = entries.iter().filter(|e| e.state != "processed").collect();
    assert!(
        stray.is_empty(),
        "{} log rows are not processed, e.g. {:?} / {:?}",
        stray.len(),
        stray[0].state,
        stray[0].last_error
    );
    assert!(
        entries.iter().all(|e| e.wamid.is_some()),
        "a log row holds another body"
    );
    assert_eq!(messages.len(), EVENTS, "one message row per event");
    assert_eq!(distinct.len(), EVENTS, "no message twice");
    let missing: Vec<String> = (0..EVENTS)
        .map(wamid)
        .filter(|id| !distinct.contains(id.as_str()))
        .collect();
    assert!(missing.is_empty(), "messages missing: {missing:?}");
    // Nothing half-applied: each conversation counts exactly the messages it holds.
    assert_eq!(unread.len(), CUSTOMERS);
    for (count, held) in unread {
        assert_eq!(
            count, held,
            "a conversation's unread count disagrees with its messages"
        );
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("inbox-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_every_message_once_through_repeated_sigkills() {
    if !enabled("sqlite_every_message_once_through_repeated_sigkills") {
        return;
    }
    let dir = scratch("crash-sqlite");
    let database = format!("sqlite:{}", dir.join("inbox.db").display());
    run("sqlite", database, dir.join("server.log")).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_every_message_once_through_repeated_sigkills() {
    if !enabled("postgres_every_message_once_through_repeated_sigkills") {
        return;
    }
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            eprintln!(
                "postgres_every_message_once_through_repeated_sigkills: skipped, \
                 DATABASE_URL does not name a PostgreSQL server"
            );
            return;
        }
    };
    let dir = scratch("crash-postgres");
    let database = common::pg_schema(&url, &format!("crash_{}", std::process::id())).await;
    run("postgres", database, dir.join("server.log")).await;
    let _ = std::fs::remove_dir_all(&dir);
}
