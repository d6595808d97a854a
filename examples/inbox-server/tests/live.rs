//! The WebSocket feed over a real listener: a webhook's message reaches its owner's clients
//! (and no one else's) within the second, on SQLite, on PostgreSQL, and across two instances
//! sharing one PostgreSQL database. Also: no token ever reaches a log line.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use common::{all_settled, call, post_signed, state_with, stores, user};
use futures_util::{SinkExt as _, StreamExt as _};
use inbox_server::store::{Store, now_ms};
use inbox_server::{AppState, app};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PHONE: &str = "106540352242922";
const WABA: &str = "102290129340398";
const WA_TOKEN: &str = "EAAGliveTESTtokenNEVERlogged42";

fn wa_text(wamid: &str, text: &str) -> Vec<u8> {
    json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE},
        "contacts": [{"profile": {"name": "Sheena"}, "wa_id": "16505551234"}],
        "messages": [{"from": "16505551234", "id": wamid, "timestamp": (now_ms() / 1000).to_string(), "type": "text", "text": {"body": text}}]
    }}]}]})
    .to_string()
    .into_bytes()
}

async fn graph() -> MockServer {
    let graph = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("/phone_numbers$"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [{"id": PHONE, "verified_name": "Shop"}]})),
        )
        .mount(&graph)
        .await;
    graph
}

/// Serves `state` on a free local port; returns its address.
async fn serve(state: AppState) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(state)).await.unwrap() });
    addr
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(addr: std::net::SocketAddr, token: &str) -> Socket {
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?access_token={token}"))
            .await
            .unwrap();
    let hello = next_event(&mut socket, Duration::from_secs(5))
        .await
        .expect("a hello");
    assert_eq!(hello["type"], "hello");
    socket
}

async fn next_event(socket: &mut Socket, wait: Duration) -> Option<Value> {
    loop {
        match tokio::time::timeout(wait, socket.next()).await {
            Ok(Some(Ok(WsMessage::Text(text)))) => {
                return Some(serde_json::from_str(&text).unwrap());
            }
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(error))) => panic!("socket error: {error}"),
            Ok(None) | Err(_) => return None,
        }
    }
}

async fn setup(store: &Store, graph: &MockServer) -> (AppState, String, String) {
    let state = state_with(store.clone(), Some(&graph.uri())).await;
    let (_, alice) = user(store, "alice").await;
    let (_, bob) = user(store, "bob").await;
    let (status, body) = call(&state, "POST", "/api/platforms/whatsapp/connect", Some(&alice),
        Some(json!({"business_account_id": WABA, "phone_number_id": PHONE, "access_token": WA_TOKEN}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (state, alice, bob)
}

#[tokio::test]
async fn a_webhook_reaches_its_owners_sockets_and_nobody_elses() {
    for (backend, store) in stores().await {
        let graph = graph().await;
        let (state, alice, bob) = setup(&store, &graph).await;
        let addr = serve(state.clone()).await;
        let mut alices = connect(addr, &alice).await;
        let mut bobs = connect(addr, &bob).await;
        // A socket without a valid token is refused at the handshake.
        assert!(
            tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?access_token=ibx_wrong"))
                .await
                .is_err()
        );

        assert_eq!(
            post_signed(&state, "whatsapp", &wa_text("wamid.LIVE1", "live hello")).await,
            StatusCode::OK
        );
        let event = next_event(&mut alices, Duration::from_secs(5))
            .await
            .expect("alice gets the message");
        assert_eq!(event["type"], "message.created", "{backend}");
        assert_eq!(event["message"]["message_id"], "wamid.LIVE1");
        assert_eq!(event["message"]["text"], "live hello");
        assert_eq!(
            next_event(&mut bobs, Duration::from_millis(300)).await,
            None,
            "{backend}: bob sees nothing"
        );
        all_settled(&store).await;
    }
}

#[tokio::test]
async fn on_postgres_a_client_of_one_instance_sees_a_webhook_received_by_another() {
    let Ok(url) = std::env::var("DATABASE_URL") else {
        eprintln!("DATABASE_URL is not set: skipped");
        return;
    };
    if !url.starts_with("postgres") {
        return;
    }
    let url = common::pg_schema(&url, &format!("live_two_{}", std::process::id())).await;
    let first = Store::connect(&url).await.unwrap();
    let second = Store::connect(&url).await.unwrap();
    let graph = graph().await;
    let (instance_a, alice, _) = setup(&first, &graph).await;
    let instance_b = state_with(second, Some(&graph.uri())).await;
    let addr_a = serve(instance_a).await;
    let mut socket = connect(addr_a, &alice).await;
    assert_eq!(
        post_signed(&instance_b, "whatsapp", &wa_text("wamid.CROSS", "via B")).await,
        StatusCode::OK
    );
    let event = next_event(&mut socket, Duration::from_secs(5))
        .await
        .expect("instance A relays B's webhook");
    assert_eq!(event["message"]["message_id"], "wamid.CROSS");
}

#[tokio::test]
async fn on_postgres_clients_are_told_to_reload_when_the_listener_loses_its_connection() {
    let Ok(url) = std::env::var("DATABASE_URL") else {
        eprintln!("DATABASE_URL is not set: skipped");
        return;
    };
    if !url.starts_with("postgres") {
        return;
    }
    let schema = format!("live_cut_{}", std::process::id());
    let url = common::pg_schema(&url, &schema).await;
    let store = Store::connect(&url).await.unwrap();
    let graph = graph().await;
    let (state, alice, bob) = setup(&store, &graph).await;
    let addr = serve(state.clone()).await;
    let mut alices = connect(addr, &alice).await;
    let mut bobs = connect(addr, &bob).await;

    // Cut the listener's connection from the server side, as a failover or a proxy would.
    let cut: Vec<i32> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid)::int FROM pg_stat_activity \
         WHERE query LIKE 'LISTEN %' AND query LIKE $1",
    )
    .bind(format!("%inbox_live_inbox_test_{schema}%"))
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(cut, [1], "one listener connection was cut");

    // Every client hears that it may have missed events, once the listener is back.
    for socket in [&mut alices, &mut bobs] {
        let event = next_event(socket, Duration::from_secs(10))
            .await
            .expect("a lagged event after the reconnect");
        assert_eq!(event["type"], "lagged");
        assert_eq!(event["reason"], "listener_reconnected");
        assert_eq!(event["missed"], Value::Null);
    }
    // And the feed goes on: the listener listens again.
    assert_eq!(
        post_signed(&state, "whatsapp", &wa_text("wamid.AFTERCUT", "still live")).await,
        StatusCode::OK
    );
    let event = next_event(&mut alices, Duration::from_secs(5))
        .await
        .expect("the feed works after the reconnect");
    assert_eq!(event["message"]["message_id"], "wamid.AFTERCUT");
    assert_eq!(
        next_event(&mut bobs, Duration::from_millis(300)).await,
        None
    );
    all_settled(&store).await;
}

/// Collects every log line of the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn no_token_reaches_a_log_line() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    for (_, store) in stores().await {
        let graph = graph().await;
        Mock::given(method("POST"))
            .and(path_regex("/messages$"))
            .respond_with(ResponseTemplate::new(500).set_body_json(
                json!({"error": {"message": "boom", "code": 2, "is_transient": true}}),
            ))
            .mount(&graph)
            .await;
        let (state, alice, _) = setup(&store, &graph).await;
        assert_eq!(
            post_signed(&state, "whatsapp", &wa_text("wamid.LOG1", "hello")).await,
            StatusCode::OK
        );
        all_settled(&store).await;
        let (_, list) = call(&state, "GET", "/api/conversations", Some(&alice), None).await;
        let id = list["data"][0]["id"].as_i64().unwrap();
        let (status, _) = call(
            &state,
            "POST",
            &format!("/api/conversations/{id}/messages"),
            Some(&alice),
            Some(json!({"text": "reply"})),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let text = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
        assert!(!text.is_empty(), "the capture works");
        for secret in [WA_TOKEN, alice.as_str(), common::SECRET] {
            assert!(!text.contains(secret), "a log line holds a secret: {text}");
        }
    }
}

#[tokio::test]
async fn a_client_sending_a_large_message_is_closed_and_the_feed_goes_on_for_others() {
    let (_, store) = stores().await.remove(0);
    let graph = graph().await;
    let (state, alice, _) = setup(&store, &graph).await;
    let addr = serve(state.clone()).await;
    let mut noisy = connect(addr, &alice).await;
    let mut quiet = connect(addr, &alice).await;
    // Pings and small frames are fine; 100 KiB is over the live feed's 64 KiB limit.
    noisy.send(WsMessage::Text("ping".into())).await.unwrap();
    noisy
        .send(WsMessage::Text("x".repeat(100 * 1024).into()))
        .await
        .unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match noisy.next().await {
                Some(Ok(WsMessage::Close(_)) | Err(_)) | None => return true,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert_eq!(closed, Ok(true), "the server closes the noisy client");

    assert_eq!(
        post_signed(&state, "whatsapp", &wa_text("wamid.LIVEBIG", "still live")).await,
        StatusCode::OK
    );
    let event = next_event(&mut quiet, Duration::from_secs(5))
        .await
        .expect("the other client still gets messages");
    assert_eq!(event["message"]["message_id"], "wamid.LIVEBIG");
}
