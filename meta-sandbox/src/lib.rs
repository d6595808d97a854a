#![doc = include_str!("../README.md")]

mod faults;
mod graph;
mod webhooks;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

pub use faults::{DeliveryFaults, Fault, FaultKind, Target};
pub use webhooks::{SIGNATURE_HEADER, sign};
pub use world::{Accounts, Customer, Platform, Received, SendRecord, StoredMessage, Thread};

use webhooks::Delivery;
use world::World;

/// Now, in Unix milliseconds.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// How to start a sandbox. Its `Debug` leaves the app secret out.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    /// The app id the login dialog and token endpoints accept.
    pub app_id: String,
    /// The app secret: checks `client_secret` and `appsecret_proof`, signs webhooks.
    pub app_secret: String,
}

impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("listen", &self.listen)
            .field("app_id", &self.app_id)
            .field("app_secret", &"<redacted>")
            .finish()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            app_id: "1234567890123456".to_owned(),
            app_secret: "sandbox-app-secret".to_owned(),
        }
    }
}

pub(crate) struct Shared {
    world: Mutex<World>,
    queue: mpsc::UnboundedSender<Delivery>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, World> {
        self.world
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn accounts(&self) -> Accounts {
        self.lock().accounts.clone()
    }

    /// Records a received call and takes the fault it meets, if any.
    pub(crate) fn receive(
        &self,
        method: &str,
        path: &str,
        account: Option<String>,
    ) -> Option<FaultKind> {
        let mut world = self.lock();
        let kind = world
            .faults
            .iter()
            .position(|f| f.matches(method, path, account.as_deref()))
            .map(|index| {
                let fault = &mut world.faults[index];
                let kind = fault.kind.clone();
                fault.times = fault.times.saturating_sub(1);
                if fault.times == 0 {
                    world.faults.remove(index);
                }
                kind
            });
        world.received.push(Received {
            method: method.to_owned(),
            path: path.to_owned(),
            account,
            fault: kind.clone(),
        });
        kind
    }

    pub(crate) fn deliver_now(&self, platform: Platform, body: &Value) {
        let _ = self.queue.send(Delivery {
            platform,
            body: body.to_string().into_bytes(),
        });
    }

    /// Delivers `body` after `delay`.
    pub(crate) fn deliver_later(
        self: &Arc<Self>,
        platform: Platform,
        body: Value,
        delay: Duration,
    ) {
        let shared = Arc::downgrade(self);
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            if let Some(shared) = shared.upgrade() {
                shared.deliver_now(platform, &body);
            }
        });
    }

    /// A sent WhatsApp message's statuses: at each `(status, delay)` of `order` (delays
    /// increasing), records the status on the message at (`thread`, `position`) and delivers
    /// its webhook, built then from the world as it is then.
    ///
    /// One task and one timer at a time per message, and a body built and serialized only
    /// when a webhook target is set: at thousands of sends a second (the outbound benchmark),
    /// three tasks with a JSON body each per send were most of the sandbox's own work.
    pub(crate) fn deliver_statuses(
        self: &Arc<Self>,
        message: SentMessage,
        order: &'static [(&'static str, u64)],
    ) {
        let shared = Arc::downgrade(self);
        let start = tokio::time::Instant::now();
        tokio::spawn(async move {
            for &(status, delay) in order {
                tokio::time::sleep_until(start + Duration::from_millis(delay)).await;
                let Some(shared) = shared.upgrade() else {
                    return;
                };
                let body = {
                    let mut world = shared.lock();
                    world.set_status(message.thread, message.position, status.to_owned());
                    world.webhooks.contains_key(&Platform::WhatsApp).then(|| {
                        let at = message.at_ms + i64::try_from(delay).unwrap_or(0);
                        webhooks::whatsapp_status(&world, &message.to, &message.id, status, at)
                    })
                };
                if let Some(body) = body {
                    shared.deliver_now(Platform::WhatsApp, &body);
                }
            }
        });
    }
}

/// A WhatsApp message the sandbox accepted, for [`Shared::deliver_statuses`].
pub(crate) struct SentMessage {
    /// The recipient's `wa_id`.
    pub(crate) to: String,
    /// The `wamid`.
    pub(crate) id: String,
    /// When it was accepted, in Unix milliseconds.
    pub(crate) at_ms: i64,
    /// Where it is stored: the thread's index and the message's position in it.
    pub(crate) thread: usize,
    pub(crate) position: usize,
}

/// A running sandbox. Dropping it stops the server.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Shared(..)")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Sandbox {
    /// Starts the sandbox on `config.listen`.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let mut world = World::new(config.app_id, config.app_secret);
        world.base_url = format!("http://{addr}");
        let (queue, deliveries) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            queue,
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let router = Router::new()
            .route("/_sandbox/media/{id}", get(media))
            .route(
                "/_sandbox/customers/{platform}/messages",
                post(customer_message),
            )
            .route("/_sandbox/faults", post(add_fault))
            .route("/_sandbox/webhooks", post(set_webhooks))
            .route("/_sandbox/sends", get(sends))
            .fallback(graph::dispatch)
            .with_state(shared.clone());
        let delivery_world = shared.clone();
        tokio::spawn(webhooks::deliver_forever(
            Arc::downgrade(&delivery_world),
            deliveries,
        ));
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            shared,
            stop: Some(stop),
        })
    }

    /// The base URL to give a Graph client (`http://127.0.0.1:PORT`): it serves the Graph
    /// API, the login dialog and Instagram Login's hosts alike.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The business accounts it simulates.
    pub fn accounts(&self) -> Accounts {
        self.shared.accounts()
    }

    /// The app id it accepts.
    pub fn app_id(&self) -> String {
        self.shared.lock().app_id.clone()
    }

    /// The app secret it checks and signs with.
    pub fn app_secret(&self) -> String {
        self.shared.lock().app_secret.clone()
    }

    /// Adds a WhatsApp phone number (by its id) to the business account: sends from it are
    /// accepted like from the first one.
    pub fn add_phone_number(&self, phone_number_id: &str) {
        self.shared
            .lock()
            .extra_numbers
            .insert(phone_number_id.to_owned());
    }

    /// Fills `platform`'s history with `conversations` conversations of `messages` messages
    /// each (alternating customer and business, a minute apart, ending now), without
    /// delivering webhooks: for syncs and backfills to fetch through the Conversations API.
    pub fn seed_history(&self, platform: Platform, conversations: usize, messages: usize) {
        let mut world = self.shared.lock();
        let now = now_ms();
        for c in 0..conversations {
            let customer = Customer {
                id: format!(
                    "{}{c:09}",
                    if platform == Platform::Instagram {
                        "119"
                    } else {
                        "625"
                    }
                ),
                name: format!("Customer {c}"),
            };
            if world.customer(platform, &customer.id).is_none() {
                world
                    .customers
                    .entry(platform)
                    .or_default()
                    .push(customer.clone());
            }
            let mut history = Vec::with_capacity(messages);
            for m in 0..messages {
                let id = world.message_id(platform);
                let back = i64::try_from(messages - m).unwrap_or(i64::MAX);
                history.push(StoredMessage {
                    id,
                    inbound: m % 2 == 0,
                    text: format!("history {c}/{m}"),
                    at_ms: now - back * 60_000,
                    status: None,
                });
            }
            world
                .thread_mut(platform, &customer)
                .messages
                .extend(history);
        }
    }

    /// Where to deliver `platform`'s webhooks.
    pub fn set_webhook(&self, platform: Platform, url: &str) {
        self.shared.lock().webhooks.insert(platform, url.to_owned());
    }

    /// The simulated customers of `platform`.
    pub fn customers(&self, platform: Platform) -> Vec<Customer> {
        self.shared
            .lock()
            .customers
            .get(&platform)
            .cloned()
            .unwrap_or_default()
    }

    /// A customer (the first when `from` is `None`) writes `text` to the business on
    /// `platform`: the message is stored and its webhook delivered. Returns its id.
    pub fn customer_writes(&self, platform: Platform, from: Option<&str>, text: &str) -> String {
        customer_writes(&self.shared, platform, from, text)
    }

    /// A customer reacts with `emoji` to the message `message_id` (an empty `emoji` removes
    /// the reaction): WhatsApp sends a `reaction` message, Messenger and Instagram a
    /// `reaction` item.
    pub fn customer_reacts(
        &self,
        platform: Platform,
        from: Option<&str>,
        message_id: &str,
        emoji: &str,
    ) {
        let world = self.shared.lock();
        let Customer { id: customer, name } = world.customer_or_first(platform, from);
        let at = now_ms();
        let body = if platform == Platform::WhatsApp {
            webhooks::whatsapp_reaction(&world, &customer, &name, message_id, emoji, at)
        } else {
            let account = world.account_for(platform);
            let action = if emoji.is_empty() { "unreact" } else { "react" };
            let item = serde_json::json!({"sender": {"id": customer}, "recipient": {"id": account}, "timestamp": at,
                "reaction": {"mid": message_id, "action": action, "reaction": "other", "emoji": emoji}});
            webhooks::messaging(&world, platform, &item, at)
        };
        drop(world);
        self.shared.deliver_now(platform, &body);
    }

    /// A customer sends an image with a caption; returns the message id. On WhatsApp the
    /// image is stored as media (downloadable through the media endpoints), elsewhere it is
    /// an attachment URL.
    pub fn customer_sends_image(
        &self,
        platform: Platform,
        from: Option<&str>,
        caption: &str,
    ) -> String {
        let mut world = self.shared.lock();
        let customer = world.customer_or_first(platform, from);
        let id = world.message_id(platform);
        let at = now_ms();
        // A 1×1 PNG.
        let png: Vec<u8> = vec![
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52,
            0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0A, 0x49,
            0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0D, 0x0A, 0x2D, 0xB4, 0, 0,
            0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
        ];
        let media_id = format!("{}", 1_037_543_291_543_636_u64 + world.next());
        let sha = {
            use sha2::Digest as _;
            hex::encode(sha2::Sha256::digest(&png))
        };
        world.media.insert(
            media_id.clone(),
            world::Media {
                mime_type: "image/png".into(),
                bytes: png,
            },
        );
        let url = format!("{}/_sandbox/media/{media_id}", world.base_url);
        world
            .thread_mut(platform, &customer)
            .messages
            .push(StoredMessage {
                id: id.clone(),
                inbound: true,
                text: format!("[image] {caption}"),
                at_ms: at,
                status: None,
            });
        let body = if platform == Platform::WhatsApp {
            webhooks::whatsapp_envelope(
                &world,
                &serde_json::json!({
                    "messaging_product": "whatsapp",
                    "metadata": webhooks::whatsapp_metadata(&world),
                    "contacts": [{"profile": {"name": customer.name}, "wa_id": customer.id}],
                    "messages": [{"from": customer.id, "id": id, "timestamp": (at / 1000).to_string(), "type": "image",
                        "image": {"id": media_id, "mime_type": "image/png", "sha256": sha, "caption": caption}}]
                }),
            )
        } else {
            let account = world.account_for(platform);
            let item = serde_json::json!({"sender": {"id": customer.id}, "recipient": {"id": account}, "timestamp": at,
                "message": {"mid": id, "text": caption, "attachments": [{"type": "image", "payload": {"url": url}}]}});
            webhooks::messaging(&world, platform, &item, at)
        };
        drop(world);
        self.shared.deliver_now(platform, &body);
        id
    }

    /// `count` customer messages in one webhook body (Meta batches up to 1,000 updates);
    /// returns their ids.
    pub fn customer_batch(&self, platform: Platform, count: usize) -> Vec<String> {
        let mut world = self.shared.lock();
        let customers = world.customers.get(&platform).cloned().unwrap_or_default();
        let at = now_ms();
        let mut ids = Vec::with_capacity(count);
        let mut items = Vec::with_capacity(count);
        for n in 0..count {
            let Some(customer) = customers.get(n % customers.len().max(1)).cloned() else {
                break;
            };
            let id = world.message_id(platform);
            let text = format!("batch message {n}");
            world
                .thread_mut(platform, &customer)
                .messages
                .push(StoredMessage {
                    id: id.clone(),
                    inbound: true,
                    text: text.clone(),
                    at_ms: at,
                    status: None,
                });
            items.push((customer, id.clone(), text));
            ids.push(id);
        }
        let body = if platform == Platform::WhatsApp {
            let messages: Vec<serde_json::Value> = items.iter().map(|(c, id, text)| serde_json::json!({
                "from": c.id, "id": id, "timestamp": (at / 1000).to_string(), "type": "text", "text": {"body": text}})).collect();
            let contacts: Vec<serde_json::Value> = customers
                .iter()
                .map(|c| serde_json::json!({"profile": {"name": c.name}, "wa_id": c.id}))
                .collect();
            webhooks::whatsapp_envelope(
                &world,
                &serde_json::json!({
                "messaging_product": "whatsapp",
                "metadata": webhooks::whatsapp_metadata(&world),
                "contacts": contacts, "messages": messages}),
            )
        } else {
            let account = world.account_for(platform);
            let messaging: Vec<serde_json::Value> = items
                .iter()
                .map(|(c, id, text)| webhooks::inbound_item(&account, &c.id, id, text, at))
                .collect();
            let object = if platform == Platform::Instagram {
                "instagram"
            } else {
                "page"
            };
            serde_json::json!({"object": object, "entry": [{"id": account, "time": at, "messaging": messaging}]})
        };
        drop(world);
        self.shared.deliver_now(platform, &body);
        ids
    }

    /// Delivers an arbitrary body as `platform`'s webhook, signed (for batches and payloads
    /// of your own).
    pub fn deliver_raw(&self, platform: Platform, body: &Value) {
        self.shared.deliver_now(platform, body);
    }

    /// Adds a fault for the next matching calls.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    /// Sets how webhook deliveries misbehave from now on.
    pub fn set_delivery_faults(&self, faults: DeliveryFaults) {
        self.shared.lock().delivery_faults = faults;
    }

    /// Every request that reached a send endpoint, in order.
    pub fn sends(&self) -> Vec<SendRecord> {
        self.shared.lock().sends.clone()
    }

    /// Every Graph request received, in order, with the fault each met: unlike
    /// [`sends`](Self::sends), throttled, refused and failed attempts are here too.
    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().received.clone()
    }

    /// The conversations as the sandbox holds them.
    pub fn threads(&self) -> Vec<Thread> {
        self.shared.lock().threads.clone()
    }

    /// Random customers write random lines on all three platforms, one every `every`, until
    /// the returned task is aborted (or the sandbox dropped).
    pub fn chatter(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let shared = Arc::downgrade(&self.shared);
        tokio::spawn(async move {
            const LINES: [&str; 8] = [
                "Hi! Are you open today?",
                "Can I change my order to oat milk?",
                "Do you deliver to the office park?",
                "Thanks, that was quick!",
                "Is the seasonal blend still available?",
                "What time do you close on Sundays?",
                "My order hasn't arrived yet 😕",
                "Can I pay by card on delivery?",
            ];
            let mut n: usize = 0;
            loop {
                tokio::time::sleep(every).await;
                let Some(shared) = shared.upgrade() else {
                    return;
                };
                let platform =
                    [Platform::WhatsApp, Platform::Messenger, Platform::Instagram][n % 3];
                let customers = shared
                    .lock()
                    .customers
                    .get(&platform)
                    .cloned()
                    .unwrap_or_default();
                if let Some(customer) = customers.get((n / 3) % customers.len().max(1)) {
                    customer_writes(
                        &shared,
                        platform,
                        Some(&customer.id),
                        LINES[n % LINES.len()],
                    );
                }
                n += 1;
            }
        })
    }
}

fn customer_writes(
    shared: &Arc<Shared>,
    platform: Platform,
    from: Option<&str>,
    text: &str,
) -> String {
    let mut world = shared.lock();
    let customer = world.customer_or_first(platform, from);
    if world.customer(platform, &customer.id).is_none() {
        world
            .customers
            .entry(platform)
            .or_default()
            .push(customer.clone());
    }
    let id = world.message_id(platform);
    let at = now_ms();
    world
        .thread_mut(platform, &customer)
        .messages
        .push(StoredMessage {
            id: id.clone(),
            inbound: true,
            text: text.to_owned(),
            at_ms: at,
            status: None,
        });
    let body = if platform == Platform::WhatsApp {
        webhooks::whatsapp_message(&world, &customer, &id, text, at)
    } else {
        let account = world.account_for(platform);
        let item = webhooks::inbound_item(&account, &customer.id, &id, text, at);
        webhooks::messaging(&world, platform, &item, at)
    };
    drop(world);
    shared.deliver_now(platform, &body);
    id
}

async fn media(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let world = shared.lock();
    match world.media.get(&id) {
        Some(media) => (
            [(header::CONTENT_TYPE, media.mime_type.clone())],
            media.bytes.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn platform_named(name: &str) -> Option<Platform> {
    match name {
        "whatsapp" => Some(Platform::WhatsApp),
        "messenger" => Some(Platform::Messenger),
        "instagram" => Some(Platform::Instagram),
        _ => None,
    }
}

async fn customer_message(
    State(shared): State<Arc<Shared>>,
    Path(platform): Path<String>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let Some(platform) = platform_named(&platform) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let text = body["text"].as_str().unwrap_or("hello");
    let id = customer_writes(&shared, platform, body["from"].as_str(), text);
    axum::Json(json!({"message_id": id})).into_response()
}

async fn add_fault(
    State(shared): State<Arc<Shared>>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let target = match body["target"].as_str() {
        Some("send") => Target::Send,
        Some("any") | None => Target::Any,
        Some(text) => {
            if let Some(id) = text.strip_prefix("account:") {
                Target::Account(id.to_owned())
            } else if let Some(id) = text.strip_prefix("send:") {
                Target::SendFrom(id.to_owned())
            } else {
                Target::PathContains(text.to_owned())
            }
        }
    };
    let kind = match body["kind"].as_str() {
        Some("throttle") => FaultKind::Throttle {
            code: body["code"].as_i64().unwrap_or(613),
            regain_minutes: body["regain_minutes"].as_u64().unwrap_or(1),
        },
        Some("expired_token") => FaultKind::ExpiredToken,
        Some("server_error") => FaultKind::ServerError,
        Some("slow") => {
            FaultKind::Slow(Duration::from_millis(body["ms"].as_u64().unwrap_or(2_000)))
        }
        Some("drop") => FaultKind::DropAfterReceive,
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                "kind: throttle | expired_token | server_error | slow | drop",
            )
                .into_response();
        }
    };
    let times = u32::try_from(body["times"].as_u64().unwrap_or(1)).unwrap_or(1);
    shared.lock().faults.push(Fault::times(target, kind, times));
    StatusCode::NO_CONTENT.into_response()
}

async fn set_webhooks(
    State(shared): State<Arc<Shared>>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let mut world = shared.lock();
    for platform in [Platform::WhatsApp, Platform::Messenger, Platform::Instagram] {
        if let Some(url) = body[platform.as_str()].as_str() {
            world.webhooks.insert(platform, url.to_owned());
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn sends(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(json!({"data": shared.lock().sends})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn send(sandbox: &Sandbox, node: &str, token: &str, body: Value) -> reqwest::Response {
        reqwest::Client::new()
            .post(format!("{}/v26.0/{node}/messages", sandbox.url()))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    fn usage(response: &reqwest::Response, header: &str) -> Value {
        let text = response.headers()[header].to_str().unwrap();
        serde_json::from_str(text).unwrap()
    }

    #[tokio::test]
    async fn a_throttled_account_gets_meta_s_usage_headers_and_the_others_do_not() {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
        let accounts = sandbox.accounts();
        let page_token = sandbox.shared.lock().page_token.clone();
        let instagram_user = sandbox.customers(Platform::Instagram)[0].id.clone();
        let messenger_user = sandbox.customers(Platform::Messenger)[0].id.clone();
        sandbox.customer_writes(Platform::Instagram, Some(&instagram_user), "hi");
        sandbox.customer_writes(Platform::Messenger, Some(&messenger_user), "hi");
        sandbox.inject(Fault::times(
            Target::Account(accounts.instagram_id.clone()),
            FaultKind::Throttle {
                code: 613,
                regain_minutes: 27,
            },
            2,
        ));

        // The Messenger API for Instagram sends from the Page's node: still the Instagram
        // account's call.
        let to_instagram = json!({"recipient": {"id": instagram_user}, "message": {"text": "one"}});
        let refused = send(
            &sandbox,
            &accounts.page_id,
            &page_token,
            to_instagram.clone(),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let meter = usage(&refused, "x-business-use-case-usage");
        assert_eq!(
            meter[&accounts.instagram_id][0],
            json!({"type": "instagram", "call_count": 100, "total_cputime": 10, "total_time": 10,
                   "estimated_time_to_regain_access": 27})
        );
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], 613);

        // The Page's own Messenger send is not throttled.
        let to_messenger = json!({"recipient": {"id": messenger_user}, "message": {"text": "two"}});
        let sent = send(&sandbox, &accounts.page_id, &page_token, to_messenger).await;
        assert_eq!(sent.status(), StatusCode::OK);
        assert!(sent.headers().get("x-business-use-case-usage").is_none());

        let refused = send(
            &sandbox,
            &accounts.page_id,
            &page_token,
            to_instagram.clone(),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        // The fault is used up.
        let sent = send(&sandbox, &accounts.page_id, &page_token, to_instagram).await;
        assert_eq!(sent.status(), StatusCode::OK);

        let received = sandbox.received();
        let faulted: Vec<Option<&str>> = received
            .iter()
            .map(|r| {
                r.fault
                    .as_ref()
                    .map(|_| r.account.as_deref().unwrap_or("?"))
            })
            .collect();
        let ig = Some(accounts.instagram_id.as_str());
        assert_eq!(faulted, [ig, None, ig, None]);
        assert!(received.iter().all(Received::is_send));
        assert_eq!(
            received[1].account.as_deref(),
            Some(accounts.page_id.as_str())
        );
        assert_eq!(
            sandbox
                .sends()
                .iter()
                .filter(|s| s.message_id.is_some())
                .count(),
            2,
            "the refused calls created nothing"
        );
    }

    #[tokio::test]
    async fn whatsapp_and_app_throttles_name_their_meter() {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
        let accounts = sandbox.accounts();
        let customer = sandbox.customers(Platform::WhatsApp)[0].id.clone();
        sandbox.customer_writes(Platform::WhatsApp, Some(&customer), "hi");
        let body = json!({"messaging_product": "whatsapp", "to": customer, "type": "text",
                          "text": {"body": "hello"}});
        for (code, header, key) in [
            (80_007, "x-business-use-case-usage", Some(&accounts.waba_id)),
            (
                130_429,
                "x-business-use-case-usage",
                Some(&accounts.waba_id),
            ),
            (4, "x-app-usage", None),
        ] {
            sandbox.inject(Fault::once(
                Target::Account(accounts.phone_number_id.clone()),
                FaultKind::Throttle {
                    code,
                    regain_minutes: 5,
                },
            ));
            let refused = send(
                &sandbox,
                &accounts.phone_number_id,
                &accounts.whatsapp_token,
                body.clone(),
            )
            .await;
            assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
            let meter = usage(&refused, header);
            match key {
                Some(waba) => {
                    assert_eq!(meter[waba][0]["call_count"], 100, "{code}");
                    assert_eq!(meter[waba][0]["estimated_time_to_regain_access"], 5);
                }
                // The app meter has no regain time.
                None => assert_eq!(
                    meter,
                    json!({"call_count": 100, "total_cputime": 20, "total_time": 30})
                ),
            }
            let error: Value = refused.json().await.unwrap();
            assert_eq!(error["error"]["code"], code);
        }
        assert!(sandbox.sends().is_empty());
        assert_eq!(sandbox.received().len(), 3);
    }
}
