//! `soak`: a steady mixed load against a running inbox-server and the Graph sandbox it is
//! connected to, then the verdict.
//!
//! ```text
//! SOAK_TOKEN=ibx_… SOAK_APP_SECRET=… soak --addr 127.0.0.1:18190 \
//!     --sandbox http://127.0.0.1:18191 --pid SERVER_PID --duration 600
//! ```
//!
//! It connects the sandbox's three accounts through the server's own endpoints (when they
//! are not connected yet), then, all at once and each at a steady rate until the deadline:
//!
//! - signed webhook bodies of its own on all three platforms, in Meta's shapes, with message
//!   ids unique to the run (every tenth body a batch of five; every fortieth delivered twice,
//!   as Meta does);
//! - customers writing through the sandbox, which delivers the signed webhooks (and, for the
//!   replies, the statuses and echoes);
//! - API reads: conversation lists (all and by platform, a second page), threads, accounts,
//!   analytics;
//! - replies through the API to the sandbox's customers;
//! - WebSocket clients on `/api/ws`, reading and counting;
//! - the server's resident set sampled from `/proc/PID/status`.
//!
//! Then it waits for the server to drain and checks: every event it caused stored exactly
//! once (read back through the API), every reply sent to the sandbox exactly once (the
//! sandbox's list of sends) and stored once, no 5xx (its own count and the server's
//! `/metrics`), and the resident set of the last minute within `--max-rss-growth` percent of
//! the minute after the warm-up. It prints a markdown summary and the JSON one, and exits
//! non-zero when a check fails.

mod load;
mod payload;
mod stats;
mod verify;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::load::{Ctx, Target};
use crate::payload::{Business, Platform};
use crate::stats::{Series, Stats, lock};

#[derive(Parser)]
#[command(
    about = "A steady mixed load against inbox-server, with a loss, error and memory verdict"
)]
struct Args {
    /// The server's address.
    #[arg(long, default_value = "127.0.0.1:18190")]
    addr: String,
    /// An API token of the user the accounts are (or get) connected for.
    #[arg(long, env = "SOAK_TOKEN", hide_env_values = true)]
    token: String,
    /// The sandbox the server uses as its Graph API.
    #[arg(long, default_value = "http://127.0.0.1:18191")]
    sandbox: String,
    /// The app secret the server checks webhook signatures with (the sandbox's).
    #[arg(long, env = "SOAK_APP_SECRET", hide_env_values = true)]
    app_secret: String,
    /// The server's process id, for its resident set.
    #[arg(long)]
    pid: Option<u32>,
    /// Seconds of load.
    #[arg(long, default_value_t = 600)]
    duration: u64,
    /// Signed webhook bodies per second posted by the soak itself.
    #[arg(long, default_value_t = 120.0)]
    rate: f64,
    /// Customer messages per second written through the sandbox.
    #[arg(long, default_value_t = 30.0)]
    sandbox_rate: f64,
    /// API reads per second.
    #[arg(long, default_value_t = 20.0)]
    reads: f64,
    /// Replies per second through the API.
    #[arg(long, default_value_t = 3.0)]
    replies: f64,
    /// WebSocket clients.
    #[arg(long, default_value_t = 50)]
    ws: usize,
    /// Customers per platform who write through the sandbox and get the replies.
    #[arg(long, default_value_t = 10)]
    targets: u64,
    /// Seconds between two samples of the resident set.
    #[arg(long, default_value_t = 10)]
    rss_every: u64,
    /// The largest growth of the resident set allowed after the warm-up, in percent.
    #[arg(long, default_value_t = 10.0)]
    max_rss_growth: f64,
    /// Also write the JSON summary here.
    #[arg(long)]
    json: Option<std::path::PathBuf>,
    /// The sandbox's WhatsApp Business Account.
    #[arg(long, default_value = "102290129340398")]
    waba_id: String,
    /// The sandbox's WhatsApp phone number id.
    #[arg(long, default_value = "106540352242922")]
    phone_number_id: String,
    /// The sandbox's WhatsApp display number, as webhooks carry it.
    #[arg(long, default_value = "15550783881")]
    display_phone_number: String,
    /// The sandbox's system-user token for the WhatsApp connect.
    #[arg(
        long,
        env = "SOAK_WHATSAPP_TOKEN",
        default_value = "EAAsandboxSYSTEMUSERwhatsapp",
        hide_env_values = true,
        hide_default_value = true
    )]
    whatsapp_token: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("soak: {message}");
            ExitCode::from(2)
        }
    }
}

#[allow(clippy::too_many_lines)] // the run's steps in order, read as one
async fn run(args: Args) -> Result<bool, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    let mut ctx = Ctx {
        http,
        base: format!("http://{}", args.addr),
        addr: args.addr.clone(),
        token: args.token.clone(),
        sandbox: args.sandbox.trim_end_matches('/').to_owned(),
        app_secret: args.app_secret.clone(),
        run: rand::random(),
        business: Business {
            waba_id: args.waba_id.clone(),
            phone_number_id: args.phone_number_id.clone(),
            display_phone_number: args.display_phone_number.clone(),
            page_id: String::new(),
            instagram_id: String::new(),
        },
        targets: Vec::new(),
        conversations: Mutex::default(),
        stats: Stats::default(),
    };
    let accounts = connect_accounts(&ctx, &args).await?;
    ctx.business.page_id = accounts
        .get("messenger")
        .cloned()
        .ok_or("no Messenger account")?;
    ctx.business.instagram_id = accounts
        .get("instagram")
        .cloned()
        .ok_or("no Instagram account")?;
    ctx.business.phone_number_id = accounts
        .get("whatsapp")
        .cloned()
        .ok_or("no WhatsApp account")?;
    ctx.targets = seed_targets(&ctx, args.targets).await?;
    eprintln!(
        "soak: run {:08x}: {} reply targets; {} s of load at {} bodies/s direct, {} writes/s through the sandbox, {} reads/s, {} replies/s, {} WebSocket clients",
        ctx.run,
        ctx.targets.len(),
        args.duration,
        args.rate,
        args.sandbox_rate,
        args.reads,
        args.replies,
        args.ws
    );
    let ctx = Arc::new(ctx);

    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.duration);
    let (stop, stopped) = watch::channel(false);
    let sockets: Vec<_> = (0..args.ws)
        .map(|_| tokio::spawn(load::websocket(ctx.clone(), stopped.clone())))
        .collect();
    let samples = Arc::new(Mutex::new(Vec::<(u64, u64)>::new()));
    let rss_task = tokio::spawn(sample_rss(
        args.pid,
        args.rss_every.max(1),
        args.duration,
        samples.clone(),
    ));
    let progress = tokio::spawn(progress(ctx.clone(), samples.clone(), started));
    tokio::join!(
        load::steady(args.rate, deadline, 64, |n| load::direct_webhook(
            ctx.clone(),
            n
        )),
        load::steady(args.sandbox_rate, deadline, 16, |n| load::sandbox_write(
            ctx.clone(),
            n
        )),
        load::steady(args.reads, deadline, 8, |n| load::read(ctx.clone(), n)),
        load::steady(args.replies, deadline, 8, |n| load::reply(ctx.clone(), n)),
    );
    let load_s = started.elapsed().as_secs_f64();
    progress.abort();
    let _ = rss_task.await;
    eprintln!("soak: load done after {load_s:.0} s; waiting for the server to drain");

    let drain_started = Instant::now();
    let stored = drain(&ctx).await?;
    let drain_s = drain_started.elapsed().as_secs_f64();
    // The clients have seen everything the drain waited for.
    let _ = stop.send(true);
    for socket in sockets {
        let _ = socket.await;
    }
    let sends = verify::sandbox_sends(&ctx).await?;
    let metrics_5xx = verify::server_5xx(&ctx).await?;
    let samples = lock(&samples).clone();
    let summary = summarize(
        &ctx,
        &args,
        load_s,
        drain_s,
        &stored,
        &sends,
        &metrics_5xx,
        &samples,
    );
    println!("{}", markdown(&summary));
    let text = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
    println!("{text}");
    if let Some(path) = &args.json {
        std::fs::write(path, format!("{text}\n"))
            .map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    Ok(summary["pass"] == true)
}

/// Connects what is not connected yet, through the server's endpoints as the web inbox
/// does; returns each platform's account id.
async fn connect_accounts(ctx: &Ctx, args: &Args) -> Result<HashMap<String, String>, String> {
    let mut accounts = active_accounts(ctx).await?;
    for platform in ["messenger", "instagram"] {
        if accounts.contains_key(platform) {
            continue;
        }
        let started = ctx
            .api(
                reqwest::Method::GET,
                &format!("/api/platforms/{platform}/connect"),
            )
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| format!("starting the {platform} connect: {e}"))?;
        // The cookies that bind the flow to the browser that started it, shown back at the
        // callback as a browser would.
        let cookies: Vec<String> = started
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .map(str::to_owned)
            .collect();
        let connect: Value = started.json().await.map_err(|e| e.to_string())?;
        let dialog = connect["auth_url"].as_str().ok_or("no auth_url")?;
        // The sandbox's dialog approves at once and sends the browser back.
        let answer = ctx
            .http
            .get(dialog)
            .send()
            .await
            .map_err(|e| format!("the {platform} login dialog: {e}"))?;
        let callback = answer
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or("the login dialog did not redirect")?
            .to_owned();
        let mut request = ctx.http.get(&callback);
        if !cookies.is_empty() {
            request = request.header(reqwest::header::COOKIE, cookies.join("; "));
        }
        let done = request
            .send()
            .await
            .map_err(|e| format!("the {platform} callback: {e}"))?;
        if !done.status().is_success() && !done.status().is_redirection() {
            return Err(format!(
                "connecting {platform}: the callback answered {}",
                done.status()
            ));
        }
    }
    if !accounts.contains_key("whatsapp") {
        let answer = ctx
            .api(reqwest::Method::POST, "/api/platforms/whatsapp/connect")
            .json(&json!({
                "business_account_id": args.waba_id,
                "phone_number_id": args.phone_number_id,
                "access_token": args.whatsapp_token,
            }))
            .send()
            .await
            .map_err(|e| format!("connecting WhatsApp: {e}"))?;
        if !answer.status().is_success() {
            return Err(format!("connecting WhatsApp: {}", answer.status()));
        }
    }
    accounts = active_accounts(ctx).await?;
    Ok(accounts)
}

async fn active_accounts(ctx: &Ctx) -> Result<HashMap<String, String>, String> {
    let list: Value = ctx
        .api(reqwest::Method::GET, "/api/platforms/")
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("listing the accounts: {e}"))?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    Ok(list["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["status"] == "active")
        .filter_map(|a| {
            Some((
                a["platform"].as_str()?.to_owned(),
                a["external_id"].as_str()?.to_owned(),
            ))
        })
        .collect())
}

/// Each reply target writes once through the sandbox; returns them with their conversations
/// once the server has them.
async fn seed_targets(ctx: &Ctx, per_platform: u64) -> Result<Vec<Target>, String> {
    let mut wanted = Vec::new();
    for platform in Platform::ALL {
        for index in 0..per_platform {
            let customer = payload::target_customer(platform, index);
            let text = format!("soak {} hello from {customer}", ctx.run);
            let id = load::customer_writes(ctx, platform, &customer, &text)
                .await
                .ok_or("the sandbox refused a customer message")?;
            lock(&ctx.stats.expected).push(id);
            Stats::add(&ctx.stats.sandbox_writes);
            wanted.push((platform, customer));
        }
    }
    let give_up = Instant::now() + Duration::from_secs(60);
    loop {
        let mut conversations = HashMap::new();
        let list = fetch_conversations(ctx).await?;
        for row in &list {
            if let (Some(platform), Some(customer), Some(id)) = (
                row["platform"].as_str(),
                row["counterpart_id"].as_str(),
                row["id"].as_i64(),
            ) {
                conversations.insert((platform.to_owned(), customer.to_owned()), id);
            }
        }
        let targets: Vec<Target> = wanted
            .iter()
            .filter_map(|(platform, customer)| {
                let id = conversations.get(&(platform.as_str().to_owned(), customer.clone()))?;
                Some(Target {
                    platform: *platform,
                    customer: customer.clone(),
                    conversation: *id,
                })
            })
            .collect();
        if targets.len() == wanted.len() {
            return Ok(targets);
        }
        if Instant::now() > give_up {
            return Err(format!(
                "only {} of {} reply targets reached the server within a minute",
                targets.len(),
                wanted.len()
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn fetch_conversations(ctx: &Ctx) -> Result<Vec<Value>, String> {
    let page: Value = ctx
        .api(reqwest::Method::GET, "/api/conversations?limit=200")
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("listing conversations: {e}"))?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    Ok(page["data"].as_array().cloned().unwrap_or_default())
}

async fn sample_rss(
    pid: Option<u32>,
    every: u64,
    duration: u64,
    samples: Arc<Mutex<Vec<(u64, u64)>>>,
) {
    let Some(pid) = pid else {
        return;
    };
    let started = tokio::time::Instant::now();
    let mut t = 0;
    while t <= duration {
        tokio::time::sleep_until(started + Duration::from_secs(t)).await;
        if let Some(kb) = verify::rss_kb(pid) {
            lock(&samples).push((t, kb));
        }
        t += every;
    }
}

async fn progress(ctx: Arc<Ctx>, samples: Arc<Mutex<Vec<(u64, u64)>>>, started: Instant) {
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    tick.tick().await;
    loop {
        tick.tick().await;
        let s = &ctx.stats;
        let rss = lock(&samples).last().map_or(0, |(_, kb)| *kb);
        eprintln!(
            "soak: {:>4.0} s: {} bodies, {} sandbox writes, {} reads, {} replies, {} ws frames, {} 5xx, {} errors, RSS {} kB",
            started.elapsed().as_secs_f64(),
            Stats::get(&s.webhook_bodies),
            Stats::get(&s.sandbox_writes),
            Stats::get(&s.reads),
            Stats::get(&s.replies_sent),
            Stats::get(&s.ws_messages),
            Stats::get(&s.server_5xx),
            s.errors().values().sum::<u64>(),
            rss
        );
    }
}

/// Reads everything back until every expected event and every reply is stored and settled,
/// or until nothing has changed for 30 s (or 5 minutes have passed).
async fn drain(ctx: &Ctx) -> Result<verify::Stored, String> {
    let expected = lock(&ctx.stats.expected).clone();
    let replies = lock(&ctx.stats.replies).clone();
    let give_up = Instant::now() + Duration::from_secs(300);
    let mut last = None;
    let mut unchanged = 0;
    loop {
        let stored = verify::read_back(ctx).await?;
        let present = expected
            .iter()
            .filter(|id| stored.inbound.contains_key(*id))
            .count();
        let settled = replies
            .iter()
            .filter(|r| {
                stored
                    .outbound
                    .iter()
                    .any(|o| o.message_id == r.message_id && o.status != "pending")
            })
            .count();
        let now = (present, settled, stored.messages);
        if (present == expected.len() && settled == replies.len()) || Instant::now() > give_up {
            return Ok(stored);
        }
        if last == Some(now) {
            unchanged += 1;
            if unchanged >= 6 {
                return Ok(stored);
            }
        } else {
            unchanged = 0;
        }
        last = Some(now);
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}

#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn per_second(count: u64, seconds: f64) -> f64 {
    (count as f64 / seconds * 10.0).round() / 10.0
}

fn latency_json(stats: &Stats, series: Series) -> Value {
    stats
        .percentiles(series)
        .map_or(Value::Null, |(p50, p99, max)| {
            json!({"p50_ms": (p50 * 10.0).round() / 10.0, "p99_ms": (p99 * 10.0).round() / 10.0,
                   "max_ms": (max * 10.0).round() / 10.0})
        })
}

#[allow(clippy::too_many_arguments, clippy::too_many_lines)] // one summary, read as one
fn summarize(
    ctx: &Ctx,
    args: &Args,
    load_s: f64,
    drain_s: f64,
    stored: &verify::Stored,
    sends: &[(String, String)],
    metrics_5xx: &HashMap<String, u64>,
    samples: &[(u64, u64)],
) -> Value {
    let s = &ctx.stats;
    let expected = lock(&s.expected).clone();
    let unique: HashSet<&String> = expected.iter().collect();
    let lost: Vec<&String> = expected
        .iter()
        .filter(|id| !stored.inbound.contains_key(*id))
        .collect();
    let duplicates: u64 = stored
        .inbound
        .values()
        .map(|&count| u64::from(count.saturating_sub(1)))
        .sum();
    let unexpected = stored
        .inbound
        .keys()
        .filter(|id| !unique.contains(id))
        .count();

    let replies = lock(&s.replies).clone();
    let prefix = format!("soak {} reply ", ctx.run);
    let mut sent_by_text: HashMap<&str, Vec<&str>> = HashMap::new();
    for (text, id) in sends {
        if text.starts_with(&prefix) {
            sent_by_text.entry(text).or_default().push(id);
        }
    }
    let mut stored_by_text: HashMap<&str, Vec<&verify::Outbound>> = HashMap::new();
    for row in &stored.outbound {
        stored_by_text.entry(&row.text).or_default().push(row);
    }
    let (mut in_sandbox_once, mut sandbox_missing, mut sandbox_duplicates) = (0, 0, 0);
    let (mut stored_once, mut stored_wrong) = (0, 0);
    let mut statuses: BTreeMap<String, u64> = BTreeMap::new();
    for reply in &replies {
        match sent_by_text.get(reply.text.as_str()).map(Vec::as_slice) {
            Some([id]) if *id == reply.message_id => in_sandbox_once += 1,
            None | Some([]) => sandbox_missing += 1,
            Some(_) => sandbox_duplicates += 1,
        }
        match stored_by_text.get(reply.text.as_str()).map(Vec::as_slice) {
            Some([row]) if row.message_id == reply.message_id => {
                stored_once += 1;
                *statuses.entry(row.status.clone()).or_default() += 1;
            }
            _ => stored_wrong += 1,
        }
    }
    let answered: HashSet<&str> = replies.iter().map(|r| r.text.as_str()).collect();
    // Sends of this run the soak was not told about (a reply answered 5xx yet sent).
    let unaccounted_sends: usize = sent_by_text
        .iter()
        .filter(|(text, _)| !answered.contains(**text))
        .map(|(_, ids)| ids.len())
        .sum();
    let unsettled = statuses
        .iter()
        .filter(|(status, _)| !matches!(status.as_str(), "sent" | "delivered" | "read"))
        .map(|(_, n)| *n)
        .sum::<u64>();

    let server_5xx_total: u64 = metrics_5xx.values().sum();
    let rss = verify::summarize_rss(samples, args.duration);
    let ws_per_client = lock(&s.ws_per_client).clone();

    let mut failures = Vec::new();
    if !lost.is_empty() {
        failures.push(format!("{} events lost", lost.len()));
    }
    if duplicates > 0 {
        failures.push(format!("{duplicates} events stored twice or more"));
    }
    if unique.len() != expected.len() {
        failures.push("the soak reused an event id".to_owned());
    }
    let refused = Stats::get(&s.refused_bodies);
    if refused > 0 {
        failures.push(format!("{refused} webhook bodies never accepted"));
    }
    let soak_5xx = Stats::get(&s.server_5xx);
    if soak_5xx > 0 || server_5xx_total > 0 {
        failures.push(format!(
            "5xx: {soak_5xx} seen by the soak, {server_5xx_total} counted by the server"
        ));
    }
    let replies_failed = Stats::get(&s.replies_failed);
    if replies_failed > 0 {
        failures.push(format!("{replies_failed} replies not answered 201"));
    }
    if in_sandbox_once != replies.len() || unaccounted_sends > 0 {
        failures.push(format!(
            "replies in the sandbox: {in_sandbox_once} of {} exactly once, {sandbox_missing} missing, {sandbox_duplicates} more than once, {unaccounted_sends} unaccounted",
            replies.len()
        ));
    }
    if stored_once != replies.len() || unsettled > 0 {
        failures.push(format!(
            "replies on the server: {stored_once} of {} stored once, {unsettled} not sent",
            replies.len()
        ));
    }
    match &rss {
        Some(r) if r.growth_pct > args.max_rss_growth => failures.push(format!(
            "RSS grew {:.1} % after the warm-up (limit {} %)",
            r.growth_pct, args.max_rss_growth
        )),
        None if args.pid.is_some() => failures.push("no RSS samples".to_owned()),
        _ => {}
    }
    if ws_per_client.len() != args.ws {
        failures.push("a WebSocket client did not finish".to_owned());
    }

    let direct_events = expected.len() as u64 - Stats::get(&s.sandbox_writes);
    json!({
        "pass": failures.is_empty(),
        "failures": failures,
        "run": format!("{:08x}", ctx.run),
        "duration_s": (load_s * 10.0).round() / 10.0,
        "drain_s": (drain_s * 10.0).round() / 10.0,
        "configured": {
            "direct_bodies_per_s": args.rate, "sandbox_writes_per_s": args.sandbox_rate,
            "reads_per_s": args.reads, "replies_per_s": args.replies, "ws_clients": args.ws,
            "reply_targets": ctx.targets.len(),
        },
        "events": {
            "sent": expected.len(),
            "direct": direct_events,
            "through_sandbox": Stats::get(&s.sandbox_writes),
            "direct_bodies": Stats::get(&s.webhook_bodies),
            "redelivered_bodies": Stats::get(&s.redeliveries),
            "refused_bodies": refused,
            "stored": expected.len() - lost.len(),
            "duplicates": duplicates,
            "lost": lost.len(),
            "lost_sample": lost.iter().take(5).collect::<Vec<_>>(),
            "unexpected": unexpected,
            "events_per_s": per_second(expected.len() as u64, load_s),
            "webhook_latency": latency_json(s, Series::Webhook),
        },
        "stored_totals": {"conversations": stored.conversations, "messages": stored.messages},
        "api_reads": {
            "count": Stats::get(&s.reads),
            "per_s": per_second(Stats::get(&s.reads), load_s),
            "latency": latency_json(s, Series::Read),
        },
        "replies": {
            "sent": replies.len(),
            "failed": replies_failed,
            "in_sandbox_once": in_sandbox_once,
            "sandbox_missing": sandbox_missing,
            "sandbox_duplicates": sandbox_duplicates,
            "unaccounted_sends": unaccounted_sends,
            "stored_once": stored_once,
            "stored_wrong": stored_wrong,
            "final_status": statuses,
            "latency": latency_json(s, Series::Reply),
        },
        "ws": {
            "clients": args.ws,
            "connects": Stats::get(&s.ws_connects),
            "drops": Stats::get(&s.ws_drops),
            "messages": Stats::get(&s.ws_messages),
            "created": Stats::get(&s.ws_created),
            "updated": Stats::get(&s.ws_updated),
            "lagged": Stats::get(&s.ws_lagged),
            "created_per_client_min": ws_per_client.iter().min(),
            "created_per_client_max": ws_per_client.iter().max(),
        },
        "http_5xx": {
            "seen_by_soak": soak_5xx,
            "server_metrics": server_5xx_total,
            "server_by_route": metrics_5xx.iter().collect::<BTreeMap<_, _>>(),
        },
        "errors": s.errors(),
        "rss": verify::rss_json(samples, rss.as_ref()),
    })
}

fn markdown(summary: &Value) -> String {
    use std::fmt::Write as _;
    let number = |v: &Value| v.as_f64().map_or_else(|| v.to_string(), |x| format!("{x}"));
    let events = &summary["events"];
    let replies = &summary["replies"];
    let ws = &summary["ws"];
    let rss = &summary["rss"];
    let verdict = if summary["pass"] == true {
        "PASS"
    } else {
        "FAIL"
    };
    let mut out = format!("## inbox-server soak: {verdict}\n\n| | |\n|---|---|\n");
    let rows = [
        ("duration (s)", number(&summary["duration_s"])),
        (
            "events sent / stored / duplicates / lost",
            format!(
                "{} / {} / {} / {}",
                events["sent"], events["stored"], events["duplicates"], events["lost"]
            ),
        ),
        (
            "events: direct / through the sandbox / per s",
            format!(
                "{} / {} / {}",
                events["direct"], events["through_sandbox"], events["events_per_s"]
            ),
        ),
        ("webhook latency", events["webhook_latency"].to_string()),
        (
            "API reads (per s)",
            format!(
                "{} ({})",
                summary["api_reads"]["count"], summary["api_reads"]["per_s"]
            ),
        ),
        ("read latency", summary["api_reads"]["latency"].to_string()),
        (
            "replies sent / in sandbox once / stored once / failed",
            format!(
                "{} / {} / {} / {}",
                replies["sent"],
                replies["in_sandbox_once"],
                replies["stored_once"],
                replies["failed"]
            ),
        ),
        (
            "WebSocket clients / frames / created / lagged / drops",
            format!(
                "{} / {} / {} / {} / {}",
                ws["clients"], ws["messages"], ws["created"], ws["lagged"], ws["drops"]
            ),
        ),
        (
            "5xx (soak / server metrics)",
            format!(
                "{} / {}",
                summary["http_5xx"]["seen_by_soak"], summary["http_5xx"]["server_metrics"]
            ),
        ),
        (
            "RSS kB: first minute / after warm-up / last minute / max",
            format!(
                "{} / {} / {} / {}",
                number(&rss["first_minute_avg_kb"]),
                number(&rss["baseline_avg_kb"]),
                number(&rss["last_minute_avg_kb"]),
                rss["max_kb"]
            ),
        ),
        ("RSS growth after warm-up (%)", number(&rss["growth_pct"])),
    ];
    for (name, value) in rows {
        let _ = writeln!(out, "| {name} | {value} |");
    }
    if let Some(failures) = summary["failures"].as_array()
        && !failures.is_empty()
    {
        out.push_str("\nFailures:\n");
        for failure in failures {
            let _ = writeln!(out, "- {}", failure.as_str().unwrap_or_default());
        }
    }
    out
}
