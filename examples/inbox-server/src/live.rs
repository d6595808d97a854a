//! The live feed: each new or changed message, pushed to its owner's WebSocket clients.
//!
//! On SQLite (one instance) a change goes straight to this process' subscribers. On
//! PostgreSQL every change is announced with `NOTIFY` on a channel named after the schema,
//! and each instance's listener turns the announcements into messages for its own clients, so
//! a client connected to instance A sees a webhook received by instance B.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde_json::json;
use tokio::sync::broadcast;

use crate::AppState;
use crate::auth::Caller;
use crate::store::{Backend, Store, Touched};

/// One event for one user's clients, or for every client.
#[derive(Clone, Debug)]
pub struct LiveEvent {
    /// Whose it is; `None` for every connected client (a `lagged` event after the
    /// PostgreSQL listener lost its connection).
    pub user_id: Option<i64>,
    /// The JSON text sent to the clients.
    pub json: Arc<str>,
}

/// The first pause between two attempts to reconnect the PostgreSQL listener; it doubles up
/// to [`LISTEN_PAUSE_MAX`].
pub const LISTEN_PAUSE_FIRST: Duration = Duration::from_millis(200);

/// The longest pause between two attempts to reconnect the PostgreSQL listener.
pub const LISTEN_PAUSE_MAX: Duration = Duration::from_secs(5);

/// The live hub of this process. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Live {
    sender: broadcast::Sender<LiveEvent>,
    store: Store,
    /// The NOTIFY channel, set by [`Live::start`] and shared by every clone.
    channel: Arc<std::sync::OnceLock<String>>,
}

impl Live {
    /// A hub for `store`. On PostgreSQL, [`Live::start`] must run for anything to arrive.
    pub fn new(store: Store) -> Self {
        let (sender, _) = broadcast::channel(4096);
        Self {
            sender,
            store,
            channel: Arc::default(),
        }
    }

    /// On PostgreSQL: finds the channel for this schema and starts listening (reconnecting
    /// when the connection drops). Nothing to do on SQLite.
    ///
    /// # Errors
    ///
    /// A database error when the first LISTEN fails.
    pub async fn start(self) -> Result<Self, sqlx::Error> {
        if self.store.backend() != Backend::Postgres {
            return Ok(self);
        }
        let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
            .fetch_one(self.store.pool())
            .await?;
        let channel = self
            .channel
            .get_or_init(|| format!("inbox_live_{schema}"))
            .clone();
        let mut listener = sqlx::postgres::PgListener::connect(self.store.url()).await?;
        listener.listen(&channel).await?;
        let hub = self.clone();
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => hub.on_notification(notification.payload()).await,
                    // The connection dropped: what was announced until it is back is lost.
                    Ok(None) => hub.listen_again(&mut listener).await,
                    Err(error) => {
                        tracing::warn!(%error, "live listener failed; reconnecting");
                        hub.listen_again(&mut listener).await;
                    }
                }
            }
        });
        Ok(self)
    }

    /// Reconnects `listener` (which listens again on its channel), retrying with a growing
    /// pause, then tells every client that it may have missed events: a `lagged` event with
    /// `missed: null`, on which clients reload through the API. Told only once the listener
    /// is back, so nothing announced after their reload can be lost.
    async fn listen_again(&self, listener: &mut sqlx::postgres::PgListener) {
        let mut pause = LISTEN_PAUSE_FIRST;
        loop {
            // Any statement on the listener reconnects it and repeats its LISTEN.
            match sqlx::query("SELECT 1").execute(&mut *listener).await {
                Ok(_) => break,
                Err(error) => {
                    tracing::warn!(%error, "live listener cannot reconnect yet");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(LISTEN_PAUSE_MAX);
                }
            }
        }
        tracing::info!("live listener reconnected; clients are told to reload");
        let lagged = json!({"type": "lagged", "missed": null, "reason": "listener_reconnected"});
        let _ = self.sender.send(LiveEvent {
            user_id: None,
            json: Arc::from(lagged.to_string().as_str()),
        });
    }

    /// A receiver of every event of this process (the WebSocket filters by user).
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    /// Announces changed message rows.
    pub async fn publish(&self, touched: &[Touched]) {
        for item in touched {
            match self.store.backend() {
                Backend::Sqlite => self.deliver_message(*item).await,
                Backend::Postgres => {
                    let payload = json!({"row": item.message_row, "created": item.created});
                    self.notify(payload.to_string()).await;
                }
            }
        }
    }

    /// Announces an event that is not about a message (an account's status) to `user_id`.
    pub async fn publish_raw(&self, user_id: i64, event: serde_json::Value) {
        match self.store.backend() {
            Backend::Sqlite => {
                let _ = self.sender.send(LiveEvent {
                    user_id: Some(user_id),
                    json: Arc::from(event.to_string().as_str()),
                });
            }
            Backend::Postgres => {
                self.notify(json!({"user_id": user_id, "event": event}).to_string())
                    .await;
            }
        }
    }

    async fn notify(&self, payload: String) {
        let result = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(self.channel.get().cloned().unwrap_or_default())
            .bind(payload)
            .execute(self.store.pool())
            .await;
        if let Err(error) = result {
            tracing::warn!(%error, "live NOTIFY failed");
        }
    }

    async fn on_notification(&self, payload: &str) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(payload) else {
            return;
        };
        if let Some(row) = value.get("row").and_then(serde_json::Value::as_i64) {
            let created = value.get("created").and_then(serde_json::Value::as_bool) == Some(true);
            self.deliver_message(Touched {
                message_row: row,
                created,
            })
            .await;
        } else if let (Some(user_id), Some(event)) = (
            value.get("user_id").and_then(serde_json::Value::as_i64),
            value.get("event"),
        ) {
            let _ = self.sender.send(LiveEvent {
                user_id: Some(user_id),
                json: Arc::from(event.to_string().as_str()),
            });
        }
    }

    async fn deliver_message(&self, item: Touched) {
        if self.sender.receiver_count() == 0 {
            return;
        }
        match self.store.message_for_live(item.message_row).await {
            Ok(Some((user_id, message))) => {
                let kind = if item.created {
                    "message.created"
                } else {
                    "message.updated"
                };
                let json = json!({"type": kind, "message": message}).to_string();
                let _ = self.sender.send(LiveEvent {
                    user_id: Some(user_id),
                    json: Arc::from(json.as_str()),
                });
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "could not load a message for the live feed"),
        }
    }
}

/// The read buffer of each live-feed connection, in bytes.
const CLIENT_READ_BUFFER: usize = 4 * 1024;

/// The largest message or frame a live-feed client may send, in bytes; a larger one closes
/// its connection.
const CLIENT_MAX_MESSAGE: usize = 64 * 1024;

/// `GET /api/ws`: the caller's live feed.
pub(crate) async fn websocket(
    State(state): State<AppState>,
    Caller(user): Caller,
    upgrade: WebSocketUpgrade,
) -> Response {
    let receiver = state.live.subscribe();
    // A client has nothing to send but pings and a close: a small read buffer (the default
    // of 128 KiB per connection is 128 MB at 1,000 clients) and a small largest message.
    upgrade
        .read_buffer_size(CLIENT_READ_BUFFER)
        .max_message_size(CLIENT_MAX_MESSAGE)
        .max_frame_size(CLIENT_MAX_MESSAGE)
        .on_upgrade(move |socket| feed(socket, receiver, user.id))
}

async fn feed(mut socket: WebSocket, mut receiver: broadcast::Receiver<LiveEvent>, user_id: i64) {
    let hello = json!({"type": "hello", "user_id": user_id}).to_string();
    if socket.send(WsMessage::Text(hello.into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            event = receiver.recv() => match event {
                Ok(event) if event.user_id.is_none_or(|owner| owner == user_id) => {
                    if socket.send(WsMessage::Text(event.json.as_ref().into())).await.is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    // Too slow a client: say so, so that it reloads through the API.
                    let lagged =
                        json!({"type": "lagged", "missed": missed, "reason": "slow_client"})
                            .to_string();
                    if socket.send(WsMessage::Text(lagged.into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(WsMessage::Close(_)) | Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
