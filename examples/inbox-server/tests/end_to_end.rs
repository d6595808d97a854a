//! The whole path on each backend: three platforms connected through their real connect
//! flows (wiremock as the Graph API), then signed webhooks of all three (messages, an echo
//! racing its own send, deliveries, reads, reactions, a 100-message batch, a duplicate
//! delivery) read back through the REST API and the WebSocket.

#![allow(clippy::too_many_lines)] // one scenario, read top to bottom

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{all_settled, call, post_signed, state_with, stores, user};
use futures_util::StreamExt as _;
use inbox_server::store::now_ms;
use inbox_server::{AppState, app};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use wiremock::matchers::{body_partial_json, method, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAGE: &str = "104518592379221";
const PSID: &str = "6045384918819712";
const IG_ACCOUNT: &str = "17841400008460056";
const IGSID: &str = "1195123456789012";
const WABA: &str = "102290129340398";
const PHONE: &str = "106540352242922";

fn messenger(object: &str, entry: &str, items: &[Value]) -> Vec<u8> {
    json!({"object": object, "entry": [{"id": entry, "time": now_ms(), "messaging": items}]})
        .to_string()
        .into_bytes()
}

fn inbound(from: &str, to: &str, mid: &str, text: &str, at: i64) -> Value {
    json!({"sender": {"id": from}, "recipient": {"id": to}, "timestamp": at, "message": {"mid": mid, "text": text}})
}

async fn graph() -> MockServer {
    let graph = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("/oauth/access_token$"))
        .and(query_param("grant_type", "fb_exchange_token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "EAAGlong", "expires_in": 5_183_944})),
        )
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("/oauth/access_token$"))
        .and(query_param("code", "code"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "EAAGshort"})),
        )
        .mount(&graph)
        .await;
    Mock::given(method("GET")).and(path_regex("/me/accounts$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{"id": PAGE, "name": "Shop", "access_token": "EAAGpage", "tasks": ["MESSAGING"]}]})))
        .mount(&graph).await;
    Mock::given(method("POST"))
        .and(path_regex(format!("/{PAGE}/subscribed_apps$")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .mount(&graph)
        .await;
    Mock::given(method("GET")).and(path_regex(format!("/{PAGE}$")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": PAGE, "instagram_business_account": {"id": IG_ACCOUNT, "username": "shop"}})))
        .mount(&graph).await;
    Mock::given(method("GET"))
        .and(path_regex(format!("/{WABA}/phone_numbers$")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [{"id": PHONE, "verified_name": "Shop"}]})),
        )
        .mount(&graph)
        .await;
    graph
}

async fn connect_oauth(state: &AppState, token: &str, platform: &str) {
    let (_, body) = call(
        state,
        "GET",
        &format!("/api/platforms/{platform}/connect"),
        Some(token),
        None,
    )
    .await;
    let url = url::Url::parse(body["auth_url"].as_str().unwrap()).unwrap();
    let flow = url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let (status, body) = call(
        state,
        "GET",
        &format!("/api/platforms/callback?code=code&state={flow}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Reads events until `want` says stop; fails after 5 s.
async fn wait_for(socket: &mut Socket, mut want: impl FnMut(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let next = tokio::time::timeout_at(deadline, socket.next())
            .await
            .expect("the event arrives in time");
        if let Some(Ok(WsMessage::Text(text))) = next {
            let event: Value = serde_json::from_str(&text).unwrap();
            if want(&event) {
                return event;
            }
        }
    }
}

async fn conversation_of(state: &AppState, token: &str, platform: &str) -> Value {
    let (_, list) = call(
        state,
        "GET",
        &format!("/api/conversations?platform={platform}"),
        Some(token),
        None,
    )
    .await;
    list["data"][0].clone()
}

async fn thread(state: &AppState, token: &str, conversation: i64) -> Vec<Value> {
    let (_, page) = call(
        state,
        "GET",
        &format!("/api/conversations/{conversation}/messages?limit=200"),
        Some(token),
        None,
    )
    .await;
    page["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn three_platforms_from_webhook_to_api_and_socket() {
    for (backend, store) in stores().await {
        let graph = graph().await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, alice) = user(&store, "alice").await;
        connect_oauth(&state, &alice, "messenger").await;
        connect_oauth(&state, &alice, "instagram").await;
        let (status, _) = call(&state, "POST", "/api/platforms/whatsapp/connect", Some(&alice),
            Some(json!({"business_account_id": WABA, "phone_number_id": PHONE, "access_token": "EAAGwa"}))).await;
        assert_eq!(status, StatusCode::CREATED);

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let served = state.clone();
        tokio::spawn(async move { axum::serve(listener, app(served)).await.unwrap() });
        let (mut socket, _) =
            tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?access_token={alice}"))
                .await
                .unwrap();

        // Messenger: a message arrives, live.
        let now = now_ms();
        let body = messenger(
            "page",
            PAGE,
            &[inbound(
                PSID,
                PAGE,
                "m_IN1",
                "Do you ship to Lyon?",
                now - 5_000,
            )],
        );
        assert_eq!(
            post_signed(&state, "messenger", &body).await,
            StatusCode::OK
        );
        let event = wait_for(&mut socket, |e| e["type"] == "message.created").await;
        assert_eq!(event["message"]["message_id"], "m_IN1", "{backend}");
        assert_eq!(event["message"]["platform"], "messenger");
        all_settled(&store).await;
        let conversation = conversation_of(&state, &alice, "messenger").await;
        let messenger_conversation = conversation["id"].as_i64().unwrap();
        assert_eq!(conversation["counterpart_id"], PSID);
        assert_eq!(conversation["unread_count"], 1);

        // A reply whose echo arrives while the send is still waiting for Meta's answer.
        Mock::given(method("POST"))
            .and(path_regex(format!("/{PAGE}/messages$")))
            .and(body_partial_json(
                json!({"recipient": {"id": PSID}, "message": {"text": "Yes, in 2 days."}}),
            ))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_delay(Duration::from_millis(400))
                    .set_body_json(json!({"recipient_id": PSID, "message_id": "m_OUT1"})),
            )
            .expect(1)
            .mount(&graph)
            .await;
        let replying = {
            let state = state.clone();
            let alice = alice.clone();
            tokio::spawn(async move {
                call(
                    &state,
                    "POST",
                    &format!("/api/conversations/{messenger_conversation}/messages"),
                    Some(&alice),
                    Some(json!({"text": "Yes, in 2 days."})),
                )
                .await
            })
        };
        tokio::time::sleep(Duration::from_millis(150)).await;
        let echo = json!({"sender": {"id": PAGE}, "recipient": {"id": PSID}, "timestamp": now_ms(),
            "message": {"mid": "m_OUT1", "text": "Yes, in 2 days.", "is_echo": true, "app_id": 1_234_567_890}});
        assert_eq!(
            post_signed(&state, "messenger", &messenger("page", PAGE, &[echo])).await,
            StatusCode::OK
        );
        all_settled(&store).await;
        let (status, sent) = replying.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{backend}: {sent}");
        let messages = thread(&state, &alice, messenger_conversation).await;
        let outs: Vec<&Value> = messages
            .iter()
            .filter(|m| m["message_id"] == "m_OUT1")
            .collect();
        assert_eq!(
            outs.len(),
            1,
            "{backend}: the echo and the reply are one message: {messages:?}"
        );
        assert_eq!(outs[0]["sent_by_server"], true);

        // Delivery, read watermark and a reaction, the delivery delivered twice.
        let later = now_ms() + 1_000;
        let delivery = json!({"sender": {"id": PSID}, "recipient": {"id": PAGE}, "timestamp": later, "delivery": {"mids": ["m_OUT1"], "watermark": later}});
        let read = json!({"sender": {"id": PSID}, "recipient": {"id": PAGE}, "timestamp": later + 1, "read": {"watermark": later + 1}});
        let reaction = json!({"sender": {"id": PSID}, "recipient": {"id": PAGE}, "timestamp": later + 2, "reaction": {"mid": "m_OUT1", "action": "react", "reaction": "love", "emoji": "\u{2764}"}});
        let body = messenger("page", PAGE, &[delivery, read, reaction]);
        for _ in 0..2 {
            assert_eq!(
                post_signed(&state, "messenger", &body).await,
                StatusCode::OK
            );
        }
        let updated = wait_for(&mut socket, |e| {
            e["type"] == "message.updated" && e["message"]["status"] == "read"
        })
        .await;
        assert_eq!(updated["message"]["message_id"], "m_OUT1", "{backend}");
        all_settled(&store).await;
        let messages = thread(&state, &alice, messenger_conversation).await;
        let out = messages
            .iter()
            .find(|m| m["message_id"] == "m_OUT1")
            .unwrap();
        assert_eq!(out["status"], "read", "{backend}");
        assert_eq!(out["reaction"], "\u{2764}", "{backend}");

        // Instagram: the same body twice is one message.
        let body = messenger(
            "instagram",
            IG_ACCOUNT,
            &[inbound(
                IGSID,
                IG_ACCOUNT,
                "aWdfZAG1fdW1pZAD",
                "Is the blue one in stock?",
                now_ms(),
            )],
        );
        for _ in 0..2 {
            assert_eq!(
                post_signed(&state, "instagram", &body).await,
                StatusCode::OK
            );
        }
        all_settled(&store).await;
        let conversation = conversation_of(&state, &alice, "instagram").await;
        assert_eq!(conversation["counterpart_id"], IGSID, "{backend}");
        assert_eq!(
            thread(&state, &alice, conversation["id"].as_i64().unwrap())
                .await
                .len(),
            1
        );

        // WhatsApp: one body with 100 messages from 10 people.
        let base = now_ms() / 1000;
        let messages: Vec<Value> = (0..100).map(|n| json!({"from": format!("1650555{:04}", n % 10), "id": format!("wamid.BATCH{n}"),
            "timestamp": (base + n).to_string(), "type": "text", "text": {"body": format!("message {n}")}})).collect();
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE},
            "messages": messages}}]}]}).to_string().into_bytes();
        assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
        all_settled(&store).await;
        let (_, list) = call(
            &state,
            "GET",
            "/api/conversations?platform=whatsapp",
            Some(&alice),
            None,
        )
        .await;
        let conversations = list["data"].as_array().unwrap();
        assert_eq!(conversations.len(), 10, "{backend}");
        let mut total = 0;
        for conversation in conversations {
            assert_eq!(conversation["unread_count"], 10);
            total += thread(&state, &alice, conversation["id"].as_i64().unwrap())
                .await
                .len();
        }
        assert_eq!(total, 100, "{backend}");

        // All three in one list.
        let (_, all) = call(
            &state,
            "GET",
            "/api/conversations?limit=200",
            Some(&alice),
            None,
        )
        .await;
        let platforms: std::collections::BTreeSet<&str> = all["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["platform"].as_str())
            .collect();
        assert_eq!(
            platforms.into_iter().collect::<Vec<_>>(),
            ["instagram", "messenger", "whatsapp"]
        );

        // The operational endpoints.
        let (status, metrics) = call(&state, "GET", "/metrics", None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            metrics
                .as_str()
                .unwrap()
                .contains("inbox_http_requests_total"),
            "{metrics}"
        );
        assert!(
            metrics
                .as_str()
                .unwrap()
                .contains("route=\"/api/conversations\"")
        );
        let (status, docs) = call(&state, "GET", "/docs", None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(docs.as_str().unwrap().contains("/openapi.json"));
        let (status, _) = call(&state, "GET", "/healthz", None, None).await;
        assert_eq!(status, StatusCode::OK);
    }
}
