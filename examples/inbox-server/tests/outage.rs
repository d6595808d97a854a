//! A PostgreSQL outage under the real binary: the server reaches the database through a TCP
//! proxy of the test's own, which carries traffic, then fails in one of two ways while signed
//! WhatsApp webhooks keep arriving, then recovers:
//!
//! - refused: every open connection is cut and new connects are refused (the database, or
//!   the host in front of it, is down);
//! - silent: every open connection stops carrying bytes and new connects are accepted but
//!   never answered (a network partition, a hung host). This is the case that hangs a server
//!   without deadlines. When it heals the proxy closes the silenced connections, as a
//!   middlebox that lost their state does.
//!
//! During the outage every webhook must be answered 5xx within [`ANSWER_BOUND`] (so that Meta
//! counts it as failed and sends it again), never 200; after it, the driver re-sends every
//! body that did not get a 200, like Meta, and in the end each event is stored exactly once
//! and nothing is half-applied.
//!
//! Runs only with `INBOX_FAULT_TESTS=1` and a PostgreSQL `DATABASE_URL`.
#![allow(clippy::too_many_lines)] // one run of the scenario, read top to bottom

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::binary::{fault_tests_enabled, free_port, ready, spawn};
use inbox_server::intake::COMMIT_DEADLINE;
use inbox_server::store::Store;
use metabiz_webhook_verify::SIGNATURE_256_HEADER;
use serde_json::{Value, json};
use sqlx::Row as _;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The longest any webhook may wait for its answer, in or out of the outage: the intake's
/// commit deadline (3 s, chosen under Messenger's 5 s delivery timeout) plus 2 s for the
/// request itself on a loaded 2-core machine. Without the deadline a silent database holds a
/// request until the router's 30 s timeout, so this bound tells the two apart.
const ANSWER_BOUND: Duration = Duration::from_secs(5);
/// Traffic flows normally this long before the outage.
const BEFORE: Duration = Duration::from_secs(2);
/// How long the outage lasts.
const OUTAGE: Duration = Duration::from_secs(6);
/// A request sent this long after the cut can no longer ride a connection the proxy has not
/// cut yet (the cut reaches each connection's task asynchronously).
const CUT_SETTLED: Duration = Duration::from_millis(200);
/// New bodies start this far apart while the outage phases run.
const PACE: Duration = Duration::from_millis(10);
const SENDERS: usize = 16;
const CUSTOMERS: usize = 20;
const WABA: &str = "102290129340398";
const PHONE: &str = "106540352242922";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Up,
    Refused,
    Silent,
}

/// A TCP proxy in front of PostgreSQL whose failures the test switches.
struct Proxy {
    addr: SocketAddr,
    mode: watch::Sender<Mode>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (mode, watching) = watch::channel(Mode::Up);
        let task = tokio::spawn(accept(listener, addr, upstream, watching));
        Self { addr, mode, task }
    }

    fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept(
    listener: TcpListener,
    addr: SocketAddr,
    upstream: SocketAddr,
    mut mode: watch::Receiver<Mode>,
) {
    let mut listener = Some(listener);
    loop {
        let now = *mode.borrow_and_update();
        if now == Mode::Refused {
            // Not listening: a connect gets a refusal (RST) from the kernel.
            listener = None;
            if mode.changed().await.is_err() {
                return;
            }
            continue;
        }
        let Some(open) = &listener else {
            // Listen again on the same port (SO_REUSEADDR, which tokio sets).
            match TcpListener::bind(addr).await {
                Ok(bound) => listener = Some(bound),
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
            continue;
        };
        tokio::select! {
            accepted = open.accept() => {
                if let Ok((client, _)) = accepted {
                    tokio::spawn(pipe(client, upstream, mode.clone()));
                }
            }
            changed = mode.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
    }
}

/// Carries one connection while the proxy is up; on `Refused` closes it, on `Silent` keeps it
/// open without a byte either way until the mode changes, then closes it.
async fn pipe(mut client: TcpStream, upstream: SocketAddr, mut mode: watch::Receiver<Mode>) {
    if *mode.borrow_and_update() == Mode::Up {
        let Ok(mut server) = TcpStream::connect(upstream).await else {
            return;
        };
        tokio::select! {
            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => return,
            _ = mode.changed() => {}
        }
        if *mode.borrow_and_update() == Mode::Silent {
            let _ = mode.changed().await;
        }
    } else {
        // Accepted while silent: never answered, closed when the mode changes.
        let _ = mode.changed().await;
    }
}

/// A WhatsApp text message webhook, as Meta sends it.
fn wa_text(n: usize, timestamp_s: u64) -> Vec<u8> {
    let from = format!("1650555{:04}", n % CUSTOMERS);
    json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE},
        "contacts": [{"profile": {"name": "Sheena"}, "wa_id": from}],
        "messages": [{"from": from, "id": wamid(n), "timestamp": timestamp_s.to_string(), "type": "text", "text": {"body": format!("message {n}")}}]
    }}]}]})
    .to_string()
    .into_bytes()
}

fn wamid(n: usize) -> String {
    format!("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBRPVVRBR0U{n:05}AA==")
}

/// One delivery attempt: when it left (since the start), how long its answer took, and the
/// status (`None`: no HTTP answer at all).
#[derive(Clone, Copy, Debug)]
struct Attempt {
    body: usize,
    sent: Duration,
    latency: Duration,
    status: Option<u16>,
}

async fn post(http: &reqwest::Client, url: &str, body: &[u8]) -> Option<u16> {
    http.post(url)
        .header("content-type", "application/json")
        .header(SIGNATURE_256_HEADER, common::signature(body))
        .body(body.to_vec())
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

async fn run(mode: Mode) {
    let name = format!("{mode:?}").to_lowercase();
    let Ok(url) = std::env::var("DATABASE_URL") else {
        eprintln!("outage/{name}: skipped, DATABASE_URL does not name a PostgreSQL server");
        return;
    };
    if !url.starts_with("postgres") {
        eprintln!("outage/{name}: skipped, DATABASE_URL does not name a PostgreSQL server");
        return;
    }
    let started = Instant::now();
    let direct = common::pg_schema(&url, &format!("outage_{name}_{}", std::process::id())).await;
    let parsed = url::Url::parse(&direct).unwrap();
    let upstream = tokio::net::lookup_host((
        parsed.host_str().unwrap().to_owned(),
        parsed.port().unwrap_or(5432),
    ))
    .await
    .unwrap()
    .next()
    .unwrap();
    let proxy = Proxy::start(upstream).await;
    let mut proxied = parsed.clone();
    proxied.set_host(Some("127.0.0.1")).unwrap();
    proxied.set_port(Some(proxy.addr.port())).unwrap();

    let dir =
        std::env::temp_dir().join(format!("inbox-server-outage-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("server.log");
    let port = free_port();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(40))
        .build()
        .unwrap();
    let mut server = spawn(proxied.as_str(), port, &log);
    ready(&http, port, &mut server, &log).await;
    let endpoint = format!("http://127.0.0.1:{port}/api/webhooks/whatsapp/");
    let now_s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();

    // Phases 1 and 2: fresh bodies, each sent once, while the proxy is up and then failing.
    let t0 = tokio::time::Instant::now();
    let control = {
        let proxy_mode = proxy.mode.clone();
        tokio::spawn(async move {
            tokio::time::sleep_until(t0 + BEFORE).await;
            proxy_mode.send_replace(mode);
        })
    };
    let next = Arc::new(Mutex::new(0usize));
    let mut senders = Vec::new();
    for _ in 0..SENDERS {
        let (http, endpoint, next) = (http.clone(), endpoint.clone(), next.clone());
        senders.push(tokio::spawn(async move {
            let mut attempts = Vec::new();
            loop {
                let n = {
                    let mut next = next.lock().unwrap();
                    *next += 1;
                    *next - 1
                };
                let at = t0 + PACE * u32::try_from(n).unwrap();
                if at >= t0 + BEFORE + OUTAGE {
                    return attempts;
                }
                tokio::time::sleep_until(at).await;
                if tokio::time::Instant::now() >= t0 + BEFORE + OUTAGE {
                    // Held up past the end of the outage: not sent in phases 1-2.
                    attempts.push(Attempt {
                        body: n,
                        sent: t0.elapsed(),
                        latency: Duration::ZERO,
                        status: Some(0),
                    });
                    continue;
                }
                let sent = t0.elapsed();
                let clock = Instant::now();
                let status = post(&http, &endpoint, &wa_text(n, now_s)).await;
                attempts.push(Attempt {
                    body: n,
                    sent,
                    latency: clock.elapsed(),
                    status,
                });
            }
        }));
    }
    let mut attempts: Vec<Attempt> = Vec::new();
    for sender in senders {
        attempts.extend(sender.await.unwrap());
    }
    control.await.unwrap();
    attempts.sort_by_key(|a| a.body);
    let events = attempts.len();
    let not_sent = attempts.iter().filter(|a| a.status == Some(0)).count();
    let attempts: Vec<Attempt> = attempts
        .into_iter()
        .filter(|a| a.status != Some(0))
        .collect();

    // Phase 3: the database is back; every body without a 200 is sent again until it gets
    // one, as Meta does.
    proxy.set(Mode::Up);
    let healed = Instant::now();
    let owed: Vec<usize> = (0..events)
        .filter(|n| {
            !attempts
                .iter()
                .any(|a| a.body == *n && a.status == Some(200))
        })
        .collect();
    let owed_count = owed.len();
    let queue = Arc::new(Mutex::new(owed));
    let first_ok: Arc<Mutex<Option<Duration>>> = Arc::default();
    let mut resenders = Vec::new();
    for _ in 0..SENDERS {
        let (http, endpoint, queue, first_ok) = (
            http.clone(),
            endpoint.clone(),
            queue.clone(),
            first_ok.clone(),
        );
        resenders.push(tokio::spawn(async move {
            let mut requests = 0u64;
            loop {
                let Some(n) = queue.lock().unwrap().pop() else {
                    return requests;
                };
                let body = wa_text(n, now_s);
                let mut tries = 0;
                loop {
                    tries += 1;
                    requests += 1;
                    if post(&http, &endpoint, &body).await == Some(200) {
                        first_ok.lock().unwrap().get_or_insert(healed.elapsed());
                        break;
                    }
                    assert!(tries < 100, "body {n} never got a 200 after the outage");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }));
    }
    let mut resent = 0;
    for resender in resenders {
        resent += resender.await.unwrap();
    }
    let recovered = *first_ok.lock().unwrap();

    // Everything processed (read directly, not through the proxy).
    let store = Store::connect(&direct).await.unwrap();
    let wanted: HashSet<String> = (0..events).map(wamid).collect();
    let deadline = Instant::now() + Duration::from_secs(20);
    let (rows, messages) = loop {
        let mut rows: Vec<(String, Option<String>)> = Vec::new();
        for row in sqlx::query("SELECT id, state FROM webhook_log ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap()
        {
            // The body as received (a large one is stored compressed).
            let (_, body) = store.logged_body(row.get(0)).await.unwrap().unwrap();
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let id = body["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
                .as_str()
                .map(str::to_owned);
            rows.push((row.get(1), id));
        }
        let messages: Vec<String> =
            sqlx::query_scalar("SELECT message_id FROM messages WHERE platform = 'whatsapp'")
                .fetch_all(store.pool())
                .await
                .unwrap();
        let stored: HashSet<&str> = messages.iter().map(String::as_str).collect();
        let mut copies: HashMap<&str, usize> = HashMap::new();
        for id in rows.iter().filter_map(|(_, id)| id.as_deref()) {
            *copies.entry(id).or_default() += 1;
        }
        // A pending copy of a stored event is the retry loop's, half a minute away.
        let done = wanted.iter().all(|id| stored.contains(id.as_str()))
            && rows.iter().all(|(state, id)| {
                state == "processed" || id.as_deref().is_some_and(|id| copies[id] > 1)
            });
        if done || Instant::now() > deadline {
            break (rows, messages);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applied_events")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let conversations: Vec<(i64, i64)> = sqlx::query(
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

    let cut = BEFORE + CUT_SETTLED;
    let before: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| a.sent + a.latency < BEFORE)
        .collect();
    let during: Vec<&Attempt> = attempts.iter().filter(|a| a.sent >= cut).collect();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    for attempt in &during {
        let code = attempt
            .status
            .map_or("no answer".to_owned(), |s| s.to_string());
        *codes.entry(code).or_default() += 1;
    }
    let max_latency = attempts.iter().map(|a| a.latency).max().unwrap_or_default();
    let max_during = during.iter().map(|a| a.latency).max().unwrap_or_default();
    let mut per_id: HashMap<&str, usize> = HashMap::new();
    for (_, id) in &rows {
        if let Some(id) = id {
            *per_id.entry(id.as_str()).or_default() += 1;
        }
    }
    let stored: HashSet<&str> = messages.iter().map(String::as_str).collect();
    let pending: Vec<&(String, Option<String>)> = rows
        .iter()
        .filter(|(state, _)| state != "processed")
        .collect();
    eprintln!(
        "outage/{name}: {events} events ({not_sent} held past the outage by a slow answer); \
         before the outage {} requests, all answered in {:.0} ms at most; in the outage {} \
         requests, statuses {codes:?}, max latency {:.0} ms (of all requests {:.0} ms; bound {} \
         ms, commit deadline {} ms); after it {owed_count} bodies owed, {resent} requests, first 200 {:.0} ms after \
         the heal; {} log rows, {} duplicates, {} not processed; {} messages stored, {applied} \
         applied events; total {:.1} s; server log {}",
        before.len(),
        before
            .iter()
            .map(|a| a.latency)
            .max()
            .unwrap_or_default()
            .as_secs_f64()
            * 1e3,
        during.len(),
        max_during.as_secs_f64() * 1e3,
        max_latency.as_secs_f64() * 1e3,
        ANSWER_BOUND.as_millis(),
        COMMIT_DEADLINE.as_millis(),
        recovered.unwrap_or_default().as_secs_f64() * 1e3,
        rows.len(),
        rows.len().saturating_sub(per_id.len()),
        pending.len(),
        messages.len(),
        started.elapsed().as_secs_f64(),
        log.display(),
    );

    assert!(
        max_latency <= ANSWER_BOUND,
        "an answer took {max_latency:?}, over {ANSWER_BOUND:?}"
    );
    assert!(
        before.len() >= 50 && before.iter().all(|a| a.status == Some(200)),
        "before the outage every webhook is logged"
    );
    assert!(
        during.len() >= 10,
        "the outage saw too few requests to prove anything"
    );
    for attempt in &during {
        let status = attempt.status.expect("an answer, not a dropped connection");
        assert!(
            (500..600).contains(&status),
            "body {} sent {:?} into the outage got {status}",
            attempt.body,
            attempt.sent
        );
    }
    assert!(owed_count >= during.len());
    assert!(recovered.is_some_and(|t| t < Duration::from_secs(10)));
    // Exactly once, nothing half-applied.
    assert_eq!(messages.len(), events, "one message row per event");
    assert_eq!(stored.len(), events, "no message twice");
    assert!(wanted.iter().all(|id| stored.contains(id.as_str())));
    assert_eq!(
        usize::try_from(applied).unwrap(),
        events,
        "each event applied once"
    );
    assert!(rows.iter().all(|(_, id)| id.is_some()));
    for (state, id) in &pending {
        // Only a body whose commit outcome was unknown (its handler answered 5xx, it was
        // resent) may wait for the retry loop; its event is stored from its copy.
        assert_eq!(state, "pending", "a log row failed");
        let id = id.as_deref().unwrap();
        assert!(per_id[id] > 1 && stored.contains(id));
    }
    assert_eq!(conversations.len(), CUSTOMERS);
    for (unread, held) in conversations {
        assert_eq!(
            unread, held,
            "a conversation's counts disagree with its messages"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn enabled(test: &str) -> bool {
    fault_tests_enabled(test, "it starts a server and a proxy")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_database_gets_quick_5xx_then_every_event_once() {
    if enabled("a_refused_database_gets_quick_5xx_then_every_event_once") {
        run(Mode::Refused).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_database_gets_quick_5xx_then_every_event_once() {
    if enabled("a_silent_database_gets_quick_5xx_then_every_event_once") {
        run(Mode::Silent).await;
    }
}
