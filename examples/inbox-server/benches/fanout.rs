//! Live fan-out: 1,000 WebSocket clients of one user connected to `inbox-server` (SQLite), a
//! signed webhook posted every 20 ms; for every client and webhook, the time from the POST to
//! the event on that client. `cargo bench -p inbox-server --bench fanout`.

use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use inbox_server::crypto::Cipher;
use inbox_server::store::{NewAccount, Store};
use inbox_server::{AppState, MetaApp, app};
use meta_graph::oauth::InstagramLogin;
use meta_graph::{AppId, AppSecret, GraphClient};
use metabiz_webhook_verify::VerifyToken;
use serde_json::json;
use tokio::sync::mpsc;

const CLIENTS: usize = 1_000;
const WEBHOOKS: usize = 50;
const PHONE: &str = "106540352242922";

fn body(n: usize) -> Vec<u8> {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE},
        "contacts": [{"profile": {"name": "Sheena"}, "wa_id": "16505551234"}],
        "messages": [{"from": "16505551234", "id": format!("wamid.FANOUT{n:06}"), "timestamp": "1796160000", "type": "text", "text": {"body": format!("fan-out {n}")}}]
    }}]}]})
    .to_string()
    .into_bytes()
}

#[tokio::main]
#[allow(clippy::too_many_lines)] // one measurement, read top to bottom
async fn main() {
    let dir = std::env::temp_dir().join(format!("inbox-fanout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::connect(&format!("sqlite:{}", dir.join("inbox.db").display()))
        .await
        .unwrap();
    let cipher = Cipher::from_config(&Cipher::generate_key("bench")).unwrap();
    let token = inbox_server::auth::new_api_token();
    let user = store
        .create_user("bench", &inbox_server::auth::hash_token(&token))
        .await
        .unwrap();
    store
        .upsert_account(&NewAccount {
            user_id: user.id,
            platform: "whatsapp".into(),
            external_id: PHONE.into(),
            name: None,
            sealed_token: cipher
                .seal("t", &inbox_server::crypto::token_context("whatsapp", PHONE))
                .unwrap(),
            token_expires_at: None,
            metadata: json!({}),
        })
        .await
        .unwrap();
    let graph = GraphClient::builder()
        .app_secret(AppSecret::new("secret"))
        .build()
        .unwrap();
    let meta = MetaApp {
        app_id: Some(AppId::new("1")),
        app_secret: AppSecret::new("secret"),
        redirect_uri: None,
        instagram: InstagramLogin::new(&graph).unwrap(),
        graph,
    };
    let state = AppState::new(store, meta, VerifyToken::new("v"), cipher)
        .start()
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(state)).await.unwrap() });

    // 1,000 clients; each reports (webhook number, arrival) for every message event.
    let (arrivals, mut received) = mpsc::unbounded_channel::<(usize, Instant)>();
    for _ in 0..CLIENTS {
        let (mut socket, _) =
            tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?access_token={token}"))
                .await
                .unwrap();
        let arrivals = arrivals.clone();
        tokio::spawn(async move {
            while let Some(Ok(message)) = socket.next().await {
                let Ok(text) = message.to_text() else {
                    continue;
                };
                let Ok(event) = serde_json::from_str::<serde_json::Value>(text) else {
                    continue;
                };
                if event["type"] == "message.created" {
                    let n = event["message"]["text"]
                        .as_str()
                        .and_then(|t| t.strip_prefix("fan-out "))
                        .and_then(|n| n.parse().ok());
                    if let Some(n) = n {
                        let _ = arrivals.send((n, Instant::now()));
                    }
                }
            }
        });
    }
    drop(arrivals);
    tokio::time::sleep(Duration::from_millis(500)).await;

    let http = reqwest::Client::new();
    let mut sent_at = Vec::with_capacity(WEBHOOKS);
    for n in 0..WEBHOOKS {
        let body = body(n);
        let signature =
            metabiz_webhook_verify::test_util::sign_body(&AppSecret::new("secret"), &body);
        sent_at.push(Instant::now());
        let status = http
            .post(format!("http://{addr}/api/webhooks/whatsapp/"))
            .header("x-hub-signature-256", signature)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut latencies = Vec::with_capacity(CLIENTS * WEBHOOKS);
    let deadline = Instant::now() + Duration::from_secs(10);
    while latencies.len() < CLIENTS * WEBHOOKS {
        match tokio::time::timeout_at(deadline.into(), received.recv()).await {
            Ok(Some((n, at))) => latencies.push(at.duration_since(sent_at[n])),
            _ => break,
        }
    }
    latencies.sort_unstable();
    let pick = |q: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies
            .get(index)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
    };
    println!(
        "fan-out: {CLIENTS} clients x {WEBHOOKS} webhooks: {} of {} events arrived; POST to event p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        CLIENTS * WEBHOOKS,
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
