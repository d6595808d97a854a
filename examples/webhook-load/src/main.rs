#![doc = include_str!("../README.md")]

use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use clap::{Args, Parser, Subcommand};
use hdrhistogram::Histogram;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::{Request, StatusCode, Uri, header};
use hyper_util::rt::TokioIo;
use sha2::Sha256;
use tokio::sync::Notify;

/// The shared harness's `single` body (`bench.py`): one WhatsApp text message, 800 bytes of
/// compact JSON, byte for byte.
const TEMPLATE: &str = concat!(
    r#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":"#,
    r#"{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","#,
    r#""phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Kerry Fisher"},"#,
    r#""wa_id":"16315551181","user_id":"US.13491208655302741918"}],"messages":[{"from":"16315551181","#,
    r#""from_user_id":"US.13491208655302741918","#,
    r#""id":"wamid.HBgLMTYzMTU1NTExODEVAgASGBQzQUI4QzQ1NjdEMkY5RTBGQTY00AA==","#,
    r#""timestamp":"1717171717","type":"text","text":{"body":"Hi! I'd like to check the status of "#,
    r#"my order #123456, it was supposed to arrive yesterday but the tracking page still says "#,
    r#"'label created'. Could you tell me when it will ship, and whether I can change the "#,
    r#"delivery address to my office? Got it Mon. Thanx"}}]},"field":"messages"}]}]}"#,
);

/// The part of the message id that stays; the 24 characters after it become
/// `<8 hex run nonce><16 hex sequence number>`, so the length and the base64 alphabet stay.
const ID_PREFIX: &str = "\"id\":\"wamid.HBgLMTYzMTU1NTExODEVAgASGBQ";
const ID_VARIABLE_LEN: usize = 24;

/// A latency histogram's range, in microseconds: 1 µs to one hour, three significant digits.
const HISTOGRAM_MAX_US: u64 = 3_600_000_000;

/// The open loop's pacer sleeps at least this long between two releases (see [`pace`]).
const PACER_TICK: Duration = Duration::from_micros(200);

/// Above this tool lag at the 99th percentile the tool says that it fell behind.
const BEHIND_P99: Duration = Duration::from_millis(1);

#[derive(Parser, Debug)]
#[command(
    name = "webhook-load",
    about = "Signed WhatsApp webhook load against a loopback URL: `peak` (closed loop) or \
             `rate` (open loop, latency from each request's scheduled send time)"
)]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand, Debug)]
enum Mode {
    /// Closed loop: every connection keeps one request in flight for the duration.
    Peak(Common),
    /// Open loop: requests scheduled at a constant rate, shared by the connections.
    Rate(RateArgs),
}

#[derive(Args, Debug, Clone)]
struct Common {
    /// `http://127.0.0.1:PORT/path` (loopback only: 127.0.0.0/8, `localhost`, `[::1]`).
    #[arg(long)]
    url: String,
    /// HMAC-SHA256 key of `X-Hub-Signature-256`.
    #[arg(long, default_value = "testsecret", hide_default_value = true)]
    secret: String,
    /// Keep-alive HTTP/1.1 connections, at most one request in flight on each.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// OS threads (each a single-threaded runtime); the connections are shared out among them.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Seconds of load (`rate`: requests are scheduled over this time).
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds before a request counts as an error and its connection is replaced; `rate`
    /// also stops waiting for the last responses this long after the schedule ends.
    #[arg(long, default_value_t = 10.0)]
    timeout: f64,
}

#[derive(Args, Debug)]
struct RateArgs {
    #[command(flatten)]
    common: Common,
    /// Requests per second, scheduled at even intervals.
    #[arg(long)]
    rps: f64,
}

/// Where the requests go: an address resolved without DNS, and the request's authority and
/// path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    addr: SocketAddr,
    authority: String,
    path: String,
}

/// Accepts only `http://` URLs whose host is a loopback address: this tool must never load
/// anyone else's server.
fn parse_target(url: &str) -> Result<Target, String> {
    let uri: Uri = url
        .parse()
        .map_err(|e| format!("invalid URL {url:?}: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!("{url:?}: only http:// URLs are supported"));
    }
    let authority = uri.authority().ok_or_else(|| format!("{url:?}: no host"))?;
    if authority.as_str().contains('@') {
        return Err(format!("{url:?}: user info is not supported"));
    }
    let host = authority.host();
    let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .map_err(|_| format!("{url:?}: the host must be a loopback IP address or localhost"))?
    };
    if !ip.is_loopback() {
        return Err(format!("{url:?}: refusing a host that is not loopback"));
    }
    let port = authority.port_u16().unwrap_or(80);
    let path = uri
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    Ok(Target {
        addr: SocketAddr::new(ip, port),
        authority: authority.as_str().to_owned(),
        path,
    })
}

/// Makes the request bodies: the template with a fresh message id, and its signature.
#[derive(Clone)]
struct Bodies {
    keyed: Hmac<Sha256>,
    id_at: usize,
    nonce: [u8; 8],
    sequence: Arc<AtomicU64>,
}

impl std::fmt::Debug for Bodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bodies").finish_non_exhaustive()
    }
}

impl Bodies {
    fn new(secret: &str, nonce: [u8; 8]) -> Self {
        let id_at = TEMPLATE
            .find(ID_PREFIX)
            .map(|at| at + ID_PREFIX.len())
            .expect("the template holds a message id");
        Self {
            keyed: Hmac::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length"),
            id_at,
            nonce,
            sequence: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The next body, whose message id no other request of this run (nor, by the nonce, of
    /// another run) carries, and its `X-Hub-Signature-256` value.
    fn next(&self) -> (Bytes, String) {
        let n = self.sequence.fetch_add(1, Ordering::Relaxed);
        let mut body = TEMPLATE.as_bytes().to_vec();
        let id = &mut body[self.id_at..self.id_at + ID_VARIABLE_LEN];
        id[..8].copy_from_slice(&self.nonce);
        id[8..].copy_from_slice(hex::encode_upper(n.to_be_bytes()).as_bytes());
        let signature = sign(&self.keyed, &body);
        (Bytes::from(body), signature)
    }
}

fn sign(keyed: &Hmac<Sha256>, body: &[u8]) -> String {
    let mut mac = keyed.clone();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Eight hex characters that differ from run to run (time and process id, hashed).
fn run_nonce() -> [u8; 8] {
    use sha2::Digest as _;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let mut hasher = Sha256::new();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    let digest = hasher.finalize();
    let mut nonce = [0; 8];
    nonce.copy_from_slice(hex::encode_upper(&digest[..4]).as_bytes());
    nonce
}

type Sender = http1::SendRequest<Full<Bytes>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn connect(target: &Target) -> Result<Sender, BoxError> {
    let stream = tokio::net::TcpStream::connect(target.addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::task::spawn_local(async move {
        // Its errors reach the sender's next request.
        let _ = connection.await;
    });
    Ok(sender)
}

/// One request and its whole response; a dead connection is reopened first.
async fn exchange(
    sender: &mut Option<Sender>,
    target: &Target,
    body: Bytes,
    signature: &str,
) -> Result<StatusCode, BoxError> {
    if sender.as_ref().is_none_or(Sender::is_closed) {
        *sender = Some(connect(target).await?);
    }
    let Some(open) = sender.as_mut() else {
        unreachable!("opened above")
    };
    open.ready().await?;
    let request = Request::post(target.path.as_str())
        .header(header::HOST, target.authority.as_str())
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-hub-signature-256", signature)
        .body(Full::new(body))?;
    let response = open.send_request(request).await?;
    let status = response.status();
    response.into_body().collect().await?;
    Ok(status)
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HISTOGRAM_MAX_US, 3).expect("valid histogram bounds")
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// What one thread measured; merged at the end.
#[derive(Debug)]
struct Stats {
    /// `peak`: send to last byte; `rate`: scheduled send time to last byte.
    latency: Histogram<u64>,
    /// `rate` only: actual send to last byte (what a closed-loop tool would report).
    service: Histogram<u64>,
    /// `rate` only: how late the tool itself sent what it could have sent on time.
    tool_lag: Histogram<u64>,
    responses: u64,
    non2xx: u64,
    errors: u64,
    /// `rate`: requests that found every connection busy and waited for one.
    conn_waits: u64,
    /// `rate`: requests the schedule held that were never sent (the drain time ran out).
    unsent: u64,
    last_done: Option<Instant>,
}

impl Stats {
    fn new() -> Self {
        Self {
            latency: histogram(),
            service: histogram(),
            tool_lag: histogram(),
            responses: 0,
            non2xx: 0,
            errors: 0,
            conn_waits: 0,
            unsent: 0,
            last_done: None,
        }
    }

    fn merge(&mut self, other: &Self) {
        // Same bounds on both sides: adding cannot fail.
        let _ = self.latency.add(&other.latency);
        let _ = self.service.add(&other.service);
        let _ = self.tool_lag.add(&other.tool_lag);
        self.responses += other.responses;
        self.non2xx += other.non2xx;
        self.errors += other.errors;
        self.conn_waits += other.conn_waits;
        self.unsent += other.unsent;
        self.last_done = self.last_done.max(other.last_done);
    }

    fn response(&mut self, status: StatusCode, done: Instant) {
        self.responses += 1;
        if !status.is_success() {
            self.non2xx += 1;
        }
        self.last_done = self.last_done.max(Some(done));
    }
}

/// The open loop's schedule: request *i* is due at `start + i × interval`. The pacer thread
/// releases each request when it is due, and a free connection takes the oldest released one.
///
/// Shared by the pacer and every connection of every thread without a lock: two counters,
/// and a [`Notify`] that wakes one idle connection per released request. A connection that
/// finishes a request while others are released and waiting (the server fell behind) takes
/// the next one at once, with no wake-up and no hand-off between threads. (A queue behind a
/// lock made every take a hand-off between the two threads once requests queued, which held
/// the tool's own rate near 20,000 requests/s on two cores, below what servers it measured
/// could answer.)
struct Schedule {
    /// Set by [`Schedule::begin`] when the load starts, before the first release.
    start: std::sync::OnceLock<Instant>,
    interval_ns: f64,
    total: u64,
    /// Requests the pacer has released (each when due, never before).
    released: AtomicU64,
    /// Requests a connection has taken; never more than `released`.
    taken: AtomicU64,
    /// One notification per released request, for a connection waiting for one.
    wake: Notify,
    /// Connections waiting for a request right now.
    idle: AtomicU64,
}

impl Schedule {
    fn new(rps: f64, duration: Duration) -> Self {
        Self {
            start: std::sync::OnceLock::new(),
            interval_ns: 1e9 / rps,
            total: scheduled_total(rps, duration),
            released: AtomicU64::new(0),
            taken: AtomicU64::new(0),
            wake: Notify::new(),
            idle: AtomicU64::new(0),
        }
    }

    /// Starts the clock of the schedule (once; later calls change nothing).
    fn begin(&self, start: Instant) -> Instant {
        *self.start.get_or_init(|| start)
    }

    /// When request `index` is due. Nothing is released before [`Schedule::begin`], so a
    /// connection never asks earlier.
    fn due(&self, index: u64) -> Instant {
        let start = self.begin(Instant::now());
        start + Duration::from_nanos(nanos_at(index, self.interval_ns))
    }

    /// Takes the oldest released request no connection has taken yet.
    fn try_take(&self) -> Option<u64> {
        let mut taken = self.taken.load(Ordering::Acquire);
        loop {
            if taken >= self.released.load(Ordering::Acquire) {
                return None;
            }
            match self.taken.compare_exchange_weak(
                taken,
                taken + 1,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return Some(taken),
                Err(now) => taken = now,
            }
        }
    }

    /// Every request of the schedule has been taken.
    fn exhausted(&self) -> bool {
        self.taken.load(Ordering::Acquire) >= self.total
    }

    /// Waits for a released request and takes it; `None` once every request is taken or at
    /// `stop`.
    async fn take(&self, stop: Instant) -> Option<u64> {
        loop {
            // Registered before looking, so a release between the look and the wait still
            // wakes this connection.
            let notified = self.wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(index) = self.try_take() {
                return Some(index);
            }
            if self.exhausted() {
                return None;
            }
            self.idle.fetch_add(1, Ordering::AcqRel);
            let stopped = tokio::select! {
                biased;
                () = tokio::time::sleep_until(stop.into()) => true,
                () = &mut notified => false,
            };
            self.idle.fetch_sub(1, Ordering::AcqRel);
            if stopped {
                return None;
            }
        }
    }
}

/// What the connections of one thread share.
struct Shared {
    target: Target,
    bodies: Bodies,
    timeout: Duration,
    stats: RefCell<Stats>,
}

#[derive(Clone, Copy, Debug)]
enum Plan {
    /// Stop sending at `duration` after the start.
    Closed { duration: Duration },
    /// Take requests until the schedule is done; give up `drain` after the schedule's end.
    Open { duration: Duration, drain: Duration },
}

/// Runs `connections` connections on a single-threaded runtime on this thread.
fn run_thread(
    shared: Shared,
    connections: usize,
    plan: Plan,
    schedule: Option<&Arc<Schedule>>,
    ready: &Barrier,
) -> Stats {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let local = tokio::task::LocalSet::new();
    let shared = Rc::new(shared);
    local.block_on(&runtime, async {
        // Connect before the clock starts; a failure is retried by the first request.
        let mut senders = Vec::with_capacity(connections);
        for _ in 0..connections {
            senders.push(connect(&shared.target).await.ok());
        }
        // Every thread and the pacer start together: nothing else needs this thread meanwhile.
        ready.wait();
        let start = Instant::now();
        let mut tasks = Vec::with_capacity(connections);
        for sender in senders {
            let shared = shared.clone();
            let schedule = schedule.cloned();
            tasks.push(tokio::task::spawn_local(async move {
                match (plan, schedule) {
                    (Plan::Open { duration, drain }, Some(schedule)) => {
                        let stop = start + duration + drain;
                        open_loop(&shared, sender, &schedule, stop).await;
                    }
                    (Plan::Closed { duration }, _) | (Plan::Open { duration, .. }, None) => {
                        closed_loop(&shared, sender, start + duration).await;
                    }
                }
            }));
        }
        for task in tasks {
            let _ = task.await;
        }
    });
    Rc::into_inner(shared).map_or_else(Stats::new, |s| s.stats.into_inner())
}

/// One request in flight at a time until `deadline`; responses after it are not counted.
async fn closed_loop(shared: &Shared, mut sender: Option<Sender>, deadline: Instant) {
    while Instant::now() < deadline {
        let (body, signature) = shared.bodies.next();
        let sent = Instant::now();
        let limit = (sent + shared.timeout).min(deadline);
        let result = tokio::time::timeout_at(
            limit.into(),
            exchange(&mut sender, &shared.target, body, &signature),
        )
        .await;
        let done = Instant::now();
        match result {
            Ok(Ok(code)) => {
                let mut stats = shared.stats.borrow_mut();
                stats.latency.saturating_record(micros(done - sent));
                stats.response(code, done);
            }
            Ok(Err(_)) => {
                shared.stats.borrow_mut().errors += 1;
                sender = None;
                // A refused connection fails at once: do not spin on it.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            // In flight when the time was up: neither counted nor an error.
            Err(_) if done >= deadline => break,
            Err(_) => {
                shared.stats.borrow_mut().errors += 1;
                sender = None;
            }
        }
    }
}

/// Takes the next due request whenever this connection is free; latency counts from the
/// request's scheduled time, so time spent waiting for a connection is part of it.
async fn open_loop(
    shared: &Shared,
    mut sender: Option<Sender>,
    schedule: &Schedule,
    stop: Instant,
) {
    loop {
        let idle_since = Instant::now();
        let Some(index) = schedule.take(stop).await else {
            break;
        };
        let scheduled = schedule.due(index);
        let picked = Instant::now();
        {
            let mut stats = shared.stats.borrow_mut();
            if idle_since <= scheduled {
                // This connection was free before the request was due: any delay is the
                // tool's (the pacer's and the wake-up's).
                stats.tool_lag.saturating_record(micros(picked - scheduled));
            } else if schedule.idle.load(Ordering::Acquire) == 0 {
                // Due while this connection was busy, and none is free even now: the wait
                // is queueing, which the latency shows (the pacer's own lag is reported
                // apart). With another connection free, this one was merely first to it.
                stats.conn_waits += 1;
            }
        }
        let (body, signature) = shared.bodies.next();
        let sent = Instant::now();
        let result = tokio::time::timeout_at(
            (sent + shared.timeout).min(stop).into(),
            exchange(&mut sender, &shared.target, body, &signature),
        )
        .await;
        let done = Instant::now();
        let mut stats = shared.stats.borrow_mut();
        if let Ok(Ok(code)) = result {
            stats.latency.saturating_record(micros(done - scheduled));
            stats.service.saturating_record(micros(done - sent));
            stats.response(code, done);
        } else {
            stats.errors += 1;
            sender = None;
        }
    }
}

/// Releases every request of `schedule` once it is due, never early, waking one idle
/// connection for each; returns how late each was released. At the end, wakes every idle
/// connection so that they see the schedule is over.
///
/// The pacer wakes at most once per [`PACER_TICK`] and then releases everything due by
/// then: a sleep per request (every 40 µs at 25,000 requests/s) cost the tool a fifth of a
/// core on the two the server needs. A request released up to a tick late counts the delay
/// in its latency (from its scheduled time), so the tick can only make the server look
/// slower, never faster.
fn pace(schedule: &Schedule) -> Histogram<u64> {
    let mut lag = histogram();
    let mut index = 0;
    while index < schedule.total {
        let due = schedule.due(index);
        let now = Instant::now();
        if due > now {
            std::thread::sleep((due - now).max(PACER_TICK));
        }
        let now = Instant::now();
        let before = index;
        while index < schedule.total && schedule.due(index) <= now {
            lag.saturating_record(micros(now - schedule.due(index)));
            index += 1;
        }
        schedule.released.store(index, Ordering::Release);
        for _ in before..index {
            schedule.wake.notify_one();
        }
    }
    schedule.wake.notify_waiters();
    lag
}

// Ticket numbers and rates stay far below 2^52 here, where f64 holds integers exactly.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn nanos_at(i: u64, interval_ns: f64) -> u64 {
    (i as f64 * interval_ns) as u64
}

#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn scheduled_total(rps: f64, duration: Duration) -> u64 {
    (rps * duration.as_secs_f64()).round() as u64
}

#[allow(clippy::cast_precision_loss)]
fn per_second(count: u64, over: Duration) -> f64 {
    count as f64 / over.as_secs_f64().max(f64::MIN_POSITIVE)
}

#[allow(clippy::cast_precision_loss)]
fn ms(us: u64) -> f64 {
    us as f64 / 1e3
}

fn round3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

fn quantiles(
    h: &Histogram<u64>,
    prefix: &str,
    out: &mut serde_json::Map<String, serde_json::Value>,
) {
    for (name, q) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p999", 0.999)] {
        out.insert(
            format!("{prefix}{name}_ms"),
            ms(h.value_at_quantile(q)).into(),
        );
    }
    out.insert(format!("{prefix}max_ms"), ms(h.max()).into());
}

fn seconds(name: &str, value: f64) -> Result<Duration, String> {
    if value.is_finite() && value > 0.0 && value <= 86_400.0 {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(format!(
            "--{name} must be a number of seconds in (0, 86400]"
        ))
    }
}

fn run(cli: Cli) -> Result<serde_json::Value, String> {
    let (common, rps) = match cli.mode {
        Mode::Peak(common) => (common, None),
        Mode::Rate(args) => (args.common, Some(args.rps)),
    };
    let target = parse_target(&common.url)?;
    let duration = seconds("duration", common.duration)?;
    let timeout = seconds("timeout", common.timeout)?;
    if common.threads == 0 || common.connections < common.threads {
        return Err("need at least one thread and at least one connection per thread".into());
    }
    if rps.is_some_and(|r| !(r.is_finite() && r > 0.0 && r <= 10_000_000.0)) {
        return Err("--rps must be a positive number of requests per second".into());
    }
    let bodies = Bodies::new(&common.secret, run_nonce());
    let (plan, schedule) = match rps {
        Some(rps) => {
            let plan = Plan::Open {
                duration,
                drain: timeout,
            };
            (plan, Some(Arc::new(Schedule::new(rps, duration))))
        }
        None => (Plan::Closed { duration }, None),
    };
    let ready = Arc::new(Barrier::new(common.threads + 1));
    let mut handles = Vec::with_capacity(common.threads);
    for t in 0..common.threads {
        let connections = common.connections / common.threads
            + usize::from(t < common.connections % common.threads);
        let shared = Shared {
            target: target.clone(),
            bodies: bodies.clone(),
            timeout,
            stats: RefCell::new(Stats::new()),
        };
        let schedule = schedule.clone();
        let ready = ready.clone();
        handles.push(
            std::thread::Builder::new()
                .name(format!("load-{t}"))
                .spawn(move || run_thread(shared, connections, plan, schedule.as_ref(), &ready))
                .map_err(|e| format!("cannot start a thread: {e}"))?,
        );
    }
    ready.wait();
    let start = Instant::now();
    let pacer_lag = schedule.as_ref().map(|schedule| {
        schedule.begin(start);
        pace(schedule)
    });
    let mut stats = Stats::new();
    for handle in handles {
        let thread = handle
            .join()
            .map_err(|_| "a load thread panicked".to_owned())?;
        stats.merge(&thread);
    }
    if let Some(schedule) = &schedule {
        // Released (or due) but never taken: the connections stopped waiting at the drain's end.
        stats.unsent += schedule.total - schedule.taken.load(Ordering::Acquire).min(schedule.total);
    }
    if stats.responses == 0 {
        return Err(format!(
            "no response from {} ({} errors)",
            common.url, stats.errors
        ));
    }
    Ok(report(
        &common,
        rps,
        duration,
        start,
        &stats,
        pacer_lag.as_ref(),
    ))
}

/// The JSON line; warnings about the measurement itself go to standard error.
fn report(
    common: &Common,
    rps: Option<f64>,
    duration: Duration,
    start: Instant,
    stats: &Stats,
    pacer_lag: Option<&Histogram<u64>>,
) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    out.insert("tool".into(), "webhook-load".into());
    out.insert(
        "mode".into(),
        if rps.is_some() { "rate" } else { "peak" }.into(),
    );
    out.insert("connections".into(), common.connections.into());
    out.insert("threads".into(), common.threads.into());
    out.insert("duration_s".into(), round3(duration.as_secs_f64()).into());
    out.insert("bytes".into(), TEMPLATE.len().into());
    let requests = stats.responses + stats.errors + stats.unsent;
    if let Some(rps) = rps {
        out.insert("target_rps".into(), round3(rps).into());
        out.insert("requests".into(), requests.into());
        // Over the schedule, or until the last response when the server fell behind.
        let span = stats
            .last_done
            .map_or(duration, |done| (done - start).max(duration));
        out.insert(
            "achieved_rps".into(),
            round3(per_second(stats.responses, span)).into(),
        );
    } else {
        out.insert("requests".into(), requests.into());
        out.insert(
            "achieved_rps".into(),
            round3(per_second(stats.responses, duration)).into(),
        );
    }
    quantiles(&stats.latency, "", &mut out);
    out.insert("non2xx".into(), stats.non2xx.into());
    out.insert("errors".into(), (stats.errors + stats.unsent).into());
    if let Some(pacer_lag) = pacer_lag {
        quantiles(&stats.service, "service_", &mut out);
        let lag_p99 = stats.tool_lag.value_at_quantile(0.99);
        out.insert("tool_lag_p99_ms".into(), ms(lag_p99).into());
        out.insert("tool_lag_max_ms".into(), ms(stats.tool_lag.max()).into());
        out.insert("pacer_lag_max_ms".into(), ms(pacer_lag.max()).into());
        out.insert("conn_waits".into(), stats.conn_waits.into());
        out.insert("unsent".into(), stats.unsent.into());
        let behind = lag_p99 > micros(BEHIND_P99)
            || pacer_lag.value_at_quantile(0.99) > micros(BEHIND_P99)
            || stats.unsent > 0;
        out.insert("behind".into(), behind.into());
        if behind {
            eprintln!(
                "webhook-load: the tool fell behind its schedule (its own lag p99 {:.3} ms, \
                 {} requests never sent): the latencies include its delay",
                ms(lag_p99),
                stats.unsent
            );
        }
        if stats.conn_waits * 100 > requests {
            eprintln!(
                "webhook-load: {} of {requests} requests found all {} connections busy and \
                 waited for one (counted in their latency)",
                stats.conn_waits, common.connections
            );
        }
    }
    serde_json::Value::Object(out)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("webhook-load: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use metabiz_webhook_verify::{AppSecret, SignatureVerifier};

    /// The signature `bench.py payloads` writes for its `single` body with key `testsecret`.
    const BENCH_PY_SIGNATURE: &str =
        "sha256=a2e6ebcb2c958c9b9fda0d5c283ede5d794c138c2cde9f445e6a966b4930b004";

    fn keyed(secret: &str) -> Hmac<Sha256> {
        Hmac::new_from_slice(secret.as_bytes()).unwrap()
    }

    #[test]
    fn template_is_the_harness_body_byte_for_byte() {
        assert_eq!(TEMPLATE.len(), 800);
        assert_eq!(
            sign(&keyed("testsecret"), TEMPLATE.as_bytes()),
            BENCH_PY_SIGNATURE
        );
    }

    #[test]
    fn every_body_is_signed_parses_and_carries_a_new_message_id() {
        let bodies = Bodies::new("testsecret", *b"0A1B2C3D");
        let verifier = SignatureVerifier::new(&AppSecret::new("testsecret"));
        let wrong = SignatureVerifier::new(&AppSecret::new("othersecret"));
        let mut ids = std::collections::HashSet::new();
        for _ in 0..300 {
            let (body, signature) = bodies.next();
            assert_eq!(body.len(), TEMPLATE.len());
            verifier
                .verify(Some(signature.as_bytes()), None, &body)
                .expect("signature matches the bytes sent");
            assert!(
                wrong
                    .verify(Some(signature.as_bytes()), None, &body)
                    .is_err()
            );
            let events = metabiz_whatsapp::webhook::parse_events(&body).expect("a valid webhook");
            assert_eq!(events.len(), 1);
            let id = events[0].message_id.clone().expect("a message id");
            assert!(
                id.starts_with("wamid.HBgLMTYzMTU1NTExODEVAgASGBQ0A1B2C3D"),
                "{id}"
            );
            assert!(id.ends_with("00AA=="), "{id}");
            assert!(ids.insert(id), "message id repeated");
            // Outside the id, the body is the template's.
            let at = bodies.id_at;
            assert_eq!(&body[..at], &TEMPLATE.as_bytes()[..at]);
            assert_eq!(
                &body[at + ID_VARIABLE_LEN..],
                &TEMPLATE.as_bytes()[at + ID_VARIABLE_LEN..]
            );
        }
    }

    #[test]
    fn two_runs_never_share_an_id() {
        let a = Bodies::new("testsecret", *b"00000001").next().0;
        let b = Bodies::new("testsecret", *b"00000002").next().0;
        assert_ne!(a, b);
    }

    #[test]
    fn only_loopback_http_targets_are_accepted() {
        let t = parse_target("http://127.0.0.1:18090/api/webhooks/whatsapp/").unwrap();
        assert_eq!(t.addr, "127.0.0.1:18090".parse().unwrap());
        assert_eq!(t.path, "/api/webhooks/whatsapp/");
        assert_eq!(t.authority, "127.0.0.1:18090");
        assert_eq!(
            parse_target("http://localhost:8080/x").unwrap().addr,
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(
            parse_target("http://[::1]:8080/").unwrap().addr,
            "[::1]:8080".parse().unwrap()
        );
        assert!(parse_target("http://127.9.9.9/").is_ok());
        for refused in [
            "http://10.0.0.1:8080/",
            "http://192.168.1.2/",
            "http://example.com/",
            "http://localhost.example.com/",
            "https://127.0.0.1/",
            "http://[::2]:80/",
            "http://user@127.0.0.1/",
            "127.0.0.1:8080",
        ] {
            assert!(parse_target(refused).is_err(), "{refused} accepted");
        }
    }

    #[test]
    fn schedule_is_even_and_complete() {
        assert_eq!(scheduled_total(16_000.0, Duration::from_secs(10)), 160_000);
        assert_eq!(nanos_at(0, 62_500.0), 0);
        assert_eq!(nanos_at(16_000, 62_500.0), 1_000_000_000);
    }

    #[test]
    fn pacer_releases_every_request_never_early() {
        let schedule = Schedule::new(1_000.0, Duration::from_millis(20));
        assert_eq!(schedule.total, 20);
        let start = Instant::now();
        schedule.begin(start);
        let lag = pace(&schedule);
        assert_eq!(lag.len(), 20);
        assert_eq!(schedule.released.load(Ordering::Relaxed), 20);
        // The last request is due 19 ms after the start, and none is released early.
        assert!(start.elapsed() >= Duration::from_millis(19));
        assert_eq!(schedule.due(19) - start, Duration::from_millis(19));
    }

    #[test]
    fn connections_on_two_threads_take_every_request_once() {
        let schedule = Arc::new(Schedule::new(20_000.0, Duration::from_millis(100)));
        let total = schedule.total;
        let takers: Vec<_> = (0..2)
            .map(|_| {
                let schedule = schedule.clone();
                std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    let local = tokio::task::LocalSet::new();
                    local.block_on(&runtime, async {
                        let stop = Instant::now() + Duration::from_secs(10);
                        let tasks: Vec<_> = (0..8)
                            .map(|_| {
                                let schedule = schedule.clone();
                                tokio::task::spawn_local(async move {
                                    let mut mine = Vec::new();
                                    while let Some(index) = schedule.take(stop).await {
                                        mine.push(index);
                                    }
                                    mine
                                })
                            })
                            .collect();
                        let mut all = Vec::new();
                        for task in tasks {
                            all.extend(task.await.unwrap());
                        }
                        all
                    })
                })
            })
            .collect();
        schedule.begin(Instant::now());
        pace(&schedule);
        let mut taken: Vec<u64> = takers.into_iter().flat_map(|t| t.join().unwrap()).collect();
        taken.sort_unstable();
        assert_eq!(taken, (0..total).collect::<Vec<_>>());
    }
}
