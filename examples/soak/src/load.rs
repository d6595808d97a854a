//! The load: each kind at its own steady rate, until the deadline.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Value, json};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use crate::payload::{self, Business, Platform, Text};
use crate::stats::{Series, Stats, lock};

/// A customer the soak replies to, and their conversation on the server.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) platform: Platform,
    pub(crate) customer: String,
    pub(crate) conversation: i64,
}

/// What every load task shares.
pub(crate) struct Ctx {
    pub(crate) http: reqwest::Client,
    /// `http://ADDR`.
    pub(crate) base: String,
    /// `ADDR`, for the WebSocket.
    pub(crate) addr: String,
    pub(crate) token: String,
    /// The sandbox's base URL.
    pub(crate) sandbox: String,
    pub(crate) app_secret: String,
    /// This run's tag in every id and text, so that a rerun on the same database is apart.
    pub(crate) run: u32,
    pub(crate) business: Business,
    pub(crate) targets: Vec<Target>,
    /// Conversation ids seen in lists, for thread reads.
    pub(crate) conversations: Mutex<(Vec<i64>, HashSet<i64>)>,
    pub(crate) stats: Stats,
}

impl Ctx {
    pub(crate) fn api(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
    }

    fn note_conversations(&self, page: &Value) {
        let mut known = lock(&self.conversations);
        for row in page["data"].as_array().into_iter().flatten() {
            if let Some(id) = row["id"].as_i64()
                && known.1.insert(id)
            {
                known.0.push(id);
            }
        }
    }

    fn some_conversation(&self) -> Option<i64> {
        let known = lock(&self.conversations);
        if known.0.is_empty() {
            return None;
        }
        Some(known.0[rand::random_range(0..known.0.len())])
    }
}

/// Calls `job(n)` for n = 0, 1, … at `rate` per second until `deadline`, at most `in_flight`
/// at once (a slow server lowers the rate rather than piling up requests); waits for the
/// last ones.
pub(crate) async fn steady<F, Fut>(rate: f64, deadline: Instant, in_flight: usize, mut job: F)
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    if rate <= 0.0 {
        return;
    }
    let slots = Arc::new(Semaphore::new(in_flight));
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut running = JoinSet::new();
    let mut n = 0;
    loop {
        tick.tick().await;
        if Instant::now() >= deadline {
            break;
        }
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        let work = job(n);
        n += 1;
        running.spawn(async move {
            work.await;
            drop(slot);
        });
        while running.try_join_next().is_some() {}
    }
    while running.join_next().await.is_some() {}
}

/// Body `n` of the soak's own webhooks: one message, or five every tenth body (Meta batches).
fn direct_body(ctx: &Ctx, n: u64) -> (Platform, Vec<u8>, Vec<String>) {
    let platform = Platform::nth(n);
    let count = if n % 10 == 9 { 5 } else { 1 };
    let messages: Vec<Text> = (0..count)
        .map(|k| Text {
            from: payload::direct_customer(
                platform,
                (n / 3 * 7 + k * 13) % payload::DIRECT_CUSTOMERS,
            ),
            id: payload::message_id(platform, ctx.run, n, k),
            body: format!("soak {} direct {n}/{k}", ctx.run),
        })
        .collect();
    let ids = messages.iter().map(|m| m.id.clone()).collect();
    let body = payload::body(&ctx.business, platform, &messages, now_ms());
    (platform, body.to_string().into_bytes(), ids)
}

/// Posts body `n`, signed, retrying a refusal as Meta does; every 40th body is delivered a
/// second time once taken.
pub(crate) async fn direct_webhook(ctx: Arc<Ctx>, n: u64) {
    let (platform, body, ids) = direct_body(&ctx, n);
    let url = format!("{}/api/webhooks/{}/", ctx.base, platform.as_str());
    let signature = metabiz_sandbox::sign(&ctx.app_secret, &body);
    let post = || {
        ctx.http
            .post(&url)
            .header(CONTENT_TYPE, "application/json")
            .header(metabiz_sandbox::SIGNATURE_HEADER, &signature)
            .body(body.clone())
            .send()
    };
    let mut wait = Duration::from_millis(200);
    for _ in 0..6 {
        let started = Instant::now();
        match post().await {
            Ok(response) if response.status() == StatusCode::OK => {
                ctx.stats.latency(Series::Webhook, started.elapsed());
                Stats::add(&ctx.stats.webhook_bodies);
                lock(&ctx.stats.expected).extend(ids);
                if n % 40 == 20 {
                    Stats::add(&ctx.stats.redeliveries);
                    match post().await {
                        Ok(again) if again.status() == StatusCode::OK => {}
                        Ok(again) => ctx.stats.status("webhook redelivery", again.status()),
                        Err(error) => ctx.stats.transport("webhook redelivery", &error),
                    }
                }
                return;
            }
            Ok(response) => ctx.stats.status("webhook", response.status()),
            Err(error) => ctx.stats.transport("webhook", &error),
        }
        tokio::time::sleep(wait).await;
        wait *= 2;
    }
    Stats::add(&ctx.stats.refused_bodies);
}

/// A reply target writes through the sandbox, which delivers the signed webhook.
pub(crate) async fn sandbox_write(ctx: Arc<Ctx>, n: u64) {
    let Some(target) = ctx
        .targets
        .get(usize::try_from(n).unwrap_or(0) % ctx.targets.len().max(1))
    else {
        return;
    };
    let text = format!("soak {} sandbox {n}", ctx.run);
    if let Some(id) = customer_writes(&ctx, target.platform, &target.customer, &text).await {
        Stats::add(&ctx.stats.sandbox_writes);
        lock(&ctx.stats.expected).push(id);
    }
}

/// `POST /_sandbox/customers/{platform}/messages`; the new message's id.
pub(crate) async fn customer_writes(
    ctx: &Ctx,
    platform: Platform,
    from: &str,
    text: &str,
) -> Option<String> {
    let result = ctx
        .http
        .post(format!(
            "{}/_sandbox/customers/{}/messages",
            ctx.sandbox,
            platform.as_str()
        ))
        .json(&json!({"from": from, "text": text}))
        .send()
        .await;
    match result {
        Ok(response) if response.status().is_success() => match response.json::<Value>().await {
            Ok(body) => body["message_id"].as_str().map(str::to_owned),
            Err(error) => {
                ctx.stats.transport("sandbox write", &error);
                None
            }
        },
        Ok(response) => {
            // The sandbox's answer, not the server's: not a server 5xx.
            ctx.stats.error("sandbox write", response.status().as_str());
            None
        }
        Err(error) => {
            ctx.stats.transport("sandbox write", &error);
            None
        }
    }
}

/// A reply through the API to a reply target.
pub(crate) async fn reply(ctx: Arc<Ctx>, n: u64) {
    let Some(target) = ctx
        .targets
        .get(usize::try_from(n.wrapping_mul(7)).unwrap_or(0) % ctx.targets.len().max(1))
    else {
        return;
    };
    let text = format!("soak {} reply {n}", ctx.run);
    let started = Instant::now();
    let result = ctx
        .api(
            reqwest::Method::POST,
            &format!("/api/conversations/{}/messages", target.conversation),
        )
        .json(&json!({ "text": text }))
        .send()
        .await;
    match result {
        Ok(response) if response.status() == StatusCode::CREATED => {
            ctx.stats.latency(Series::Reply, started.elapsed());
            let body: Value = response.json().await.unwrap_or_default();
            if let Some(id) = body["message"]["message_id"].as_str() {
                Stats::add(&ctx.stats.replies_sent);
                lock(&ctx.stats.replies).push(crate::stats::Reply {
                    text,
                    message_id: id.to_owned(),
                });
            } else {
                Stats::add(&ctx.stats.replies_failed);
                ctx.stats.error("reply", "201 without a message id");
            }
        }
        Ok(response) => {
            Stats::add(&ctx.stats.replies_failed);
            ctx.stats.status("reply", response.status());
        }
        Err(error) => {
            Stats::add(&ctx.stats.replies_failed);
            ctx.stats.transport("reply", &error);
        }
    }
}

/// One API read, cycling through what the web inbox does: conversation lists (all and by
/// platform, sometimes a second page), threads (sometimes a second page), the accounts and
/// the analytics.
pub(crate) async fn read(ctx: Arc<Ctx>, n: u64) {
    let path = match n % 10 {
        0..=3 => {
            let filter = match (n / 10) % 4 {
                0 => String::new(),
                k => format!("&platform={}", Platform::nth(k - 1).as_str()),
            };
            format!("/api/conversations?limit=50{filter}")
        }
        4..=7 => match ctx.some_conversation() {
            Some(id) => format!("/api/conversations/{id}/messages?limit=50"),
            None => "/api/conversations?limit=50".to_owned(),
        },
        8 => "/api/platforms/".to_owned(),
        _ => "/api/analytics/daily".to_owned(),
    };
    let Some(page) = get_page(&ctx, &path).await else {
        return;
    };
    if path.starts_with("/api/conversations?") {
        ctx.note_conversations(&page);
    }
    if n.is_multiple_of(3)
        && path.starts_with("/api/conversations")
        && let Some(cursor) = page["next_cursor"].as_str()
    {
        let next = format!("{path}&cursor={cursor}");
        if let Some(page) = get_page(&ctx, &next).await
            && next.starts_with("/api/conversations?")
        {
            ctx.note_conversations(&page);
        }
    }
}

async fn get_page(ctx: &Ctx, path: &str) -> Option<Value> {
    let started = Instant::now();
    let what = if path.contains("/messages") {
        "read thread"
    } else if path.starts_with("/api/conversations") {
        "read conversations"
    } else {
        "read other"
    };
    match ctx.api(reqwest::Method::GET, path).send().await {
        Ok(response) if response.status() == StatusCode::OK => match response.json().await {
            Ok(page) => {
                ctx.stats.latency(Series::Read, started.elapsed());
                Stats::add(&ctx.stats.reads);
                Some(page)
            }
            Err(error) => {
                ctx.stats.transport(what, &error);
                None
            }
        },
        Ok(response) => {
            ctx.stats.status(what, response.status());
            None
        }
        Err(error) => {
            ctx.stats.transport(what, &error);
            None
        }
    }
}

/// One live client: connects to `/api/ws`, reads and counts until `stop`, reconnecting when
/// dropped.
pub(crate) async fn websocket(ctx: Arc<Ctx>, mut stop: watch::Receiver<bool>) {
    let mut created = 0_u64;
    'connect: while !*stop.borrow() {
        let socket = async {
            let mut request = format!("ws://{}/api/ws", ctx.addr).into_client_request()?;
            let bearer = format!("Bearer {}", ctx.token)
                .parse()
                .map_err(tokio_tungstenite::tungstenite::Error::from)?;
            request.headers_mut().insert(AUTHORIZATION, bearer);
            tokio_tungstenite::connect_async(request).await
        };
        let mut socket = match socket.await {
            Ok((socket, _)) => socket,
            Err(error) => {
                ctx.stats.error("ws connect", &ws_error_kind(&error));
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        Stats::add(&ctx.stats.ws_connects);
        loop {
            tokio::select! {
                frame = socket.next() => match frame {
                    Some(Ok(WsMessage::Text(text))) => {
                        Stats::add(&ctx.stats.ws_messages);
                        let text = text.as_str();
                        if text.contains(r#""type":"message.created""#) {
                            created += 1;
                            Stats::add(&ctx.stats.ws_created);
                        } else if text.contains(r#""type":"message.updated""#) {
                            Stats::add(&ctx.stats.ws_updated);
                        } else if text.contains(r#""type":"lagged""#) {
                            Stats::add(&ctx.stats.ws_lagged);
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(error)) => {
                        Stats::add(&ctx.stats.ws_drops);
                        ctx.stats.error("ws read", &ws_error_kind(&error));
                        continue 'connect;
                    }
                    None => {
                        Stats::add(&ctx.stats.ws_drops);
                        ctx.stats.error("ws read", "closed by the server");
                        continue 'connect;
                    }
                },
                _ = stop.changed() => {
                    let _ = socket.send(WsMessage::Close(None)).await;
                    break 'connect;
                }
            }
        }
    }
    lock(&ctx.stats.ws_per_client).push(created);
}

fn ws_error_kind(error: &tokio_tungstenite::tungstenite::Error) -> String {
    use tokio_tungstenite::tungstenite::Error;
    match error {
        Error::Http(response) => response.status().as_str().to_owned(),
        Error::Io(io) => format!("io {:?}", io.kind()),
        Error::ConnectionClosed | Error::AlreadyClosed => "closed".to_owned(),
        Error::Protocol(_) => "protocol".to_owned(),
        _ => "other".to_owned(),
    }
}

/// Now, in Unix milliseconds.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
