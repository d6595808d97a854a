//! The API end to end through `app()`, with a wiremock Graph API: connecting accounts (OAuth
//! and WhatsApp), the inbox read back after webhooks, replies sent, failed and ambiguous,
//! sealed tokens, and one user never reaching another's data, for every route of the table.
//! Every test runs on SQLite and, when `DATABASE_URL` points at PostgreSQL, on PostgreSQL.

#![allow(clippy::too_many_lines)] // end-to-end scenarios read best whole

mod common;

use axum::http::StatusCode;
use common::{REDIRECT_URI, all_settled, call, post_signed, state_with, stores, user};
use inbox_server::AppState;
use inbox_server::api::{Access, routes};
use inbox_server::store::{Backend, Store, now_ms};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const WABA: &str = "102290129340398";
const PHONE: &str = "106540352242922";
const CUSTOMER: &str = "16505551234";
const WA_TOKEN: &str = "EAAGwhatsappSYSTEMUSERtoken0123456789";
const PAGE: &str = "1122334455";
const PAGE_TOKEN: &str = "EAAGpageTOKENsecret9876543210";
const IG_ACCOUNT: &str = "17841400000000001";

fn wa_text(wamid: &str, from: &str, text: &str, timestamp_s: i64) -> Vec<u8> {
    json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE},
        "contacts": [{"profile": {"name": "Sheena"}, "wa_id": from}],
        "messages": [{"from": from, "id": wamid, "timestamp": timestamp_s.to_string(), "type": "text", "text": {"body": text}}]
    }}]}]})
    .to_string()
    .into_bytes()
}

fn wa_status(wamid: &str, status: &str) -> Vec<u8> {
    json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE},
        "statuses": [{"id": wamid, "status": status, "timestamp": (now_ms() / 1000).to_string(), "recipient_id": CUSTOMER}]
    }}]}]})
    .to_string()
    .into_bytes()
}

async fn mock_phone_numbers(graph: &MockServer) {
    Mock::given(method("GET"))
        .and(path_regex(format!("/{WABA}/phone_numbers$")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "999999999", "display_phone_number": "+1 555-000-0000", "verified_name": "Other"},
                     {"id": PHONE, "display_phone_number": "+1 555-078-3881", "verified_name": "Sheena's Shop", "quality_rating": "GREEN"}]
        })))
        .mount(graph)
        .await;
}

/// Connects the WhatsApp number for `token`'s user; returns the account id.
async fn connect_whatsapp(state: &AppState, token: &str) -> i64 {
    let (status, body) = call(
        state,
        "POST",
        "/api/platforms/whatsapp/connect",
        Some(token),
        Some(json!({"business_account_id": WABA, "phone_number_id": PHONE, "access_token": WA_TOKEN})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["account"]["id"].as_i64().unwrap()
}

/// Everything stored, as text: the SQLite files or every PostgreSQL row as JSON.
async fn dump(store: &Store) -> String {
    match store.backend() {
        Backend::Sqlite => {
            let path: String =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(store.pool())
                    .await
                    .unwrap();
            let mut out = Vec::new();
            for suffix in ["", "-wal"] {
                if let Ok(bytes) = std::fs::read(format!("{path}{suffix}")) {
                    out.extend(bytes);
                }
            }
            String::from_utf8_lossy(&out).into_owned()
        }
        Backend::Postgres => {
            let mut out = String::new();
            for table in [
                "users",
                "api_tokens",
                "platform_accounts",
                "oauth_states",
                "webhook_log",
                "conversations",
                "messages",
            ] {
                let rows: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT row_to_json(t)::text FROM {table} t"))
                        .fetch_all(store.pool())
                        .await
                        .unwrap();
                out.push_str(&rows.join("\n"));
            }
            out
        }
    }
}

#[tokio::test]
async fn a_whatsapp_number_is_checked_against_the_graph_api_and_its_token_sealed() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        mock_phone_numbers(&graph).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, token) = user(&store, "alice").await;

        // A number that is not in the account: refused, nothing stored.
        let (status, body) = call(&state, "POST", "/api/platforms/whatsapp/connect", Some(&token),
            Some(json!({"business_account_id": WABA, "phone_number_id": "5550001", "access_token": WA_TOKEN}))).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend}: {body}"
        );
        assert_eq!(body["error"]["code"], "phone_number_not_in_account");
        let (_, list) = call(&state, "GET", "/api/platforms/", Some(&token), None).await;
        assert_eq!(list["data"], json!([]), "{backend}");

        // Malformed ids never reach Meta.
        let (status, _) = call(&state, "POST", "/api/platforms/whatsapp/connect", Some(&token),
            Some(json!({"business_account_id": "../me", "phone_number_id": PHONE, "access_token": WA_TOKEN}))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let id = connect_whatsapp(&state, &token).await;
        let (status, list) = call(&state, "GET", "/api/platforms/", Some(&token), None).await;
        assert_eq!(status, StatusCode::OK);
        let account = &list["data"][0];
        assert_eq!(account["id"], id);
        assert_eq!(account["platform"], "whatsapp");
        assert_eq!(account["external_id"], PHONE);
        assert_eq!(account["status"], "active");
        assert_eq!(account["name"], "Sheena's Shop");
        assert_eq!(account["metadata"]["business_account_id"], WABA);
        assert!(
            !list.to_string().contains(WA_TOKEN),
            "{backend}: the API shows no token"
        );
        assert!(
            !dump(&store).await.contains(WA_TOKEN),
            "{backend}: the database holds no plaintext token"
        );
        // The token Meta saw is the one given: the client opens the sealed value.
        let requests = graph.received_requests().await.unwrap();
        assert!(requests.iter().all(
            |r| r.headers.get("authorization").unwrap().to_str().unwrap()
                == format!("Bearer {WA_TOKEN}")
        ));
    }
}

#[tokio::test]
async fn a_token_meta_refuses_is_reported_and_not_stored() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path_regex("/phone_numbers$"))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {
                "message": "Error validating access token: Session has expired", "type": "OAuthException",
                "code": 190, "error_subcode": 463, "fbtrace_id": "AbCdEf123"}})))
            .mount(&graph)
            .await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, token) = user(&store, "alice").await;
        let (status, body) = call(&state, "POST", "/api/platforms/whatsapp/connect", Some(&token),
            Some(json!({"business_account_id": WABA, "phone_number_id": PHONE, "access_token": WA_TOKEN}))).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend}: {body}"
        );
        assert_eq!(body["error"]["code"], "token_refused");
        assert_eq!(body["error"]["graph"]["code"], 190);
        assert_eq!(body["error"]["graph"]["error_subcode"], 463);
        assert_eq!(body["error"]["graph"]["fbtrace_id"], "AbCdEf123");
        assert!(!body.to_string().contains(WA_TOKEN));
    }
}

async fn mock_facebook_login(graph: &MockServer, with_instagram: bool, pages: Value) {
    Mock::given(method("GET"))
        .and(path_regex("/oauth/access_token$"))
        .and(query_param("grant_type", "fb_exchange_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "EAAGlongLIVEDuser", "token_type": "bearer", "expires_in": 5_183_944})))
        .mount(graph)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("/oauth/access_token$"))
        .and(query_param("code", "the-code"))
        .and(query_param("redirect_uri", REDIRECT_URI))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "EAAGshortLIVEDuser", "token_type": "bearer", "expires_in": 5_000})))
        .mount(graph)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("/me/accounts$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": pages})))
        .mount(graph)
        .await;
    let instagram = if with_instagram {
        json!({"id": PAGE, "instagram_business_account": {"id": IG_ACCOUNT, "username": "sheenas.shop"}})
    } else {
        json!({"id": PAGE})
    };
    Mock::given(method("GET"))
        .and(path_regex(format!("/{PAGE}$")))
        .and(query_param(
            "fields",
            "instagram_business_account{id,username}",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(instagram))
        .mount(graph)
        .await;
    // The Page subscribes the app to what the inbox needs, with the Page's token.
    Mock::given(method("POST"))
        .and(path_regex(format!("/{PAGE}/subscribed_apps$")))
        .and(query_param(
            "subscribed_fields",
            "messages,message_echoes,message_deliveries,message_reads,message_reactions,messaging_postbacks",
        ))
        .and(header("authorization", format!("Bearer {PAGE_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .named("Page subscription")
        .mount(graph)
        .await;
}

fn one_page() -> Value {
    json!([{"id": PAGE, "name": "Sheena's Shop", "access_token": PAGE_TOKEN, "category": "Retail", "tasks": ["MESSAGING", "MANAGE"]}])
}

/// Starts a connect flow; returns the `state` of its login URL.
async fn start_connect(state: &AppState, platform: &str, token: &str) -> String {
    let (status, body) = call(
        state,
        "GET",
        &format!("/api/platforms/{platform}/connect"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let url = url::Url::parse(body["auth_url"].as_str().unwrap()).unwrap();
    assert!(url.path().ends_with("/dialog/oauth"), "{url}");
    let query: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], common::APP_ID);
    assert_eq!(query["redirect_uri"], REDIRECT_URI);
    assert_eq!(query["response_type"], "code");
    assert!(query["scope"].contains(if platform == "instagram" {
        "instagram_manage_messages"
    } else {
        "pages_messaging"
    }));
    query["state"].clone()
}

fn callback_uri(state: &str) -> String {
    format!("/api/platforms/callback?code=the-code&state={state}")
}

#[tokio::test]
async fn facebook_login_connects_a_page_and_its_instagram_account_once_per_state() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        mock_facebook_login(&graph, true, one_page()).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, token) = user(&store, "alice").await;

        let messenger_state = start_connect(&state, "messenger", &token).await;
        let (status, body) = call(&state, "GET", &callback_uri(&messenger_state), None, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        assert_eq!(body["connected"]["platform"], "messenger");
        assert_eq!(body["connected"]["external_id"], PAGE);
        assert_eq!(body["connected"]["name"], "Sheena's Shop");
        assert_eq!(body["subscribed_fields"][0], "messages", "{backend}");
        // The state is single use.
        let (status, body) = call(&state, "GET", &callback_uri(&messenger_state), None, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], "invalid_state", "{backend}");

        let instagram_state = start_connect(&state, "instagram", &token).await;
        let (status, body) = call(&state, "GET", &callback_uri(&instagram_state), None, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        assert_eq!(body["connected"]["platform"], "instagram");
        assert_eq!(body["connected"]["external_id"], IG_ACCOUNT);
        assert_eq!(body["connected"]["metadata"]["page_id"], PAGE);
        assert_eq!(body["connected"]["name"], "sheenas.shop");

        let (_, list) = call(&state, "GET", "/api/platforms/", Some(&token), None).await;
        assert_eq!(list["data"].as_array().unwrap().len(), 2);
        let text = dump(&store).await;
        for secret in [
            PAGE_TOKEN,
            "EAAGlongLIVEDuser",
            "EAAGshortLIVEDuser",
            messenger_state.as_str(),
        ] {
            assert!(
                !text.contains(secret),
                "{backend}: {secret} is stored in plaintext"
            );
        }

        // A forged, an expired and a missing state are refused.
        let (status, body) = call(&state, "GET", &callback_uri("forged"), None, None).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_state"))
        );
        store
            .put_oauth_state(
                &inbox_server::auth::hash_token("old-state"),
                1,
                "messenger",
                None,
                now_ms() - 1,
            )
            .await
            .unwrap();
        let (status, body) = call(&state, "GET", &callback_uri("old-state"), None, None).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("expired_state"))
        );
        let (status, _) = call(&state, "GET", "/api/platforms/callback?code=x", None, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // The user said no on Facebook's dialog.
        let denied = start_connect(&state, "messenger", &token).await;
        let (status, body) = call(&state, "GET", &format!("/api/platforms/callback?state={denied}&error=access_denied&error_description=Permissions+error"), None, None).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("authorization_denied"))
        );
    }
}

#[tokio::test]
async fn a_login_without_a_page_or_instagram_account_says_what_is_missing() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        mock_facebook_login(&graph, false, one_page()).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, token) = user(&store, "alice").await;
        let flow = start_connect(&state, "instagram", &token).await;
        let (status, body) = call(&state, "GET", &callback_uri(&flow), None, None).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend}: {body}"
        );
        assert_eq!(body["error"]["code"], "no_instagram_account");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Sheena's Shop")
        );

        let graph = MockServer::start().await;
        mock_facebook_login(&graph, false, json!([])).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let flow = start_connect(&state, "messenger", &token).await;
        let (status, body) = call(&state, "GET", &callback_uri(&flow), None, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        assert_eq!(body["error"]["code"], "no_page");
        let (_, list) = call(&state, "GET", "/api/platforms/", Some(&token), None).await;
        assert_eq!(list["data"], json!([]));
    }
}

/// A connected number with one fresh inbound message; returns (state, token, conversation id).
async fn inbox_with_one_message(store: &Store, graph: &MockServer) -> (AppState, String, i64) {
    mock_phone_numbers(graph).await;
    let state = state_with(store.clone(), Some(&graph.uri())).await;
    let (_, token) = user(store, "alice").await;
    connect_whatsapp(&state, &token).await;
    let body = wa_text(
        "wamid.IN1",
        CUSTOMER,
        "Hi, is my order shipped?",
        now_ms() / 1000,
    );
    assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
    all_settled(store).await;
    let (status, list) = call(&state, "GET", "/api/conversations", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let conversation = list["data"][0]["id"].as_i64().expect("a conversation");
    (state, token, conversation)
}

#[tokio::test]
async fn webhooks_become_conversations_read_back_page_by_page() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (state, token, conversation) = inbox_with_one_message(&store, &graph).await;
        let base = now_ms() / 1000;
        for n in 2..=5 {
            let body = wa_text(
                &format!("wamid.IN{n}"),
                CUSTOMER,
                &format!("message {n}"),
                base + n,
            );
            assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
        }
        // Another customer: a second conversation.
        let body = wa_text("wamid.OTHER", "4915112345678", "Hallo", base + 10);
        assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
        all_settled(&store).await;

        let (_, list) = call(
            &state,
            "GET",
            "/api/conversations?platform=whatsapp&unread=true",
            Some(&token),
            None,
        )
        .await;
        let data = list["data"].as_array().unwrap();
        assert_eq!(data.len(), 2, "{backend}: {list}");
        assert_eq!(data[0]["counterpart_id"], "4915112345678", "newest first");
        assert_eq!(data[1]["id"], conversation);
        assert_eq!(data[1]["unread_count"], 5);
        assert_eq!(data[1]["last_message_preview"], "message 5");
        let (_, other) = call(
            &state,
            "GET",
            "/api/conversations?platform=messenger",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(other["data"], json!([]));

        // Two at a time, newest first, until the cursor runs out.
        let mut seen = Vec::new();
        let mut uri = format!("/api/conversations/{conversation}/messages?limit=2");
        loop {
            let (status, page) = call(&state, "GET", &uri, Some(&token), None).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            for message in page["data"].as_array().unwrap() {
                seen.push(message["message_id"].as_str().unwrap().to_owned());
            }
            match page["next_cursor"].as_str() {
                Some(cursor) => {
                    uri = format!(
                        "/api/conversations/{conversation}/messages?limit=2&cursor={cursor}"
                    );
                }
                None => break,
            }
        }
        assert_eq!(
            seen,
            [
                "wamid.IN5",
                "wamid.IN4",
                "wamid.IN3",
                "wamid.IN2",
                "wamid.IN1"
            ],
            "{backend}"
        );
        let (status, _) = call(
            &state,
            "GET",
            &format!("/api/conversations/{conversation}/messages?cursor=garbage"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // Read: the count clears and WhatsApp is told about the newest message.
        Mock::given(method("POST"))
            .and(path_regex(format!("/{PHONE}/messages$")))
            .and(body_partial_json(
                json!({"status": "read", "message_id": "wamid.IN5"}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
            .expect(1)
            .mount(&graph)
            .await;
        let (status, body) = call(
            &state,
            "POST",
            &format!("/api/conversations/{conversation}/read"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        assert_eq!(body["marked_on_platform"], true);
        let (_, list) = call(
            &state,
            "GET",
            "/api/conversations?unread=true",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(list["data"].as_array().unwrap().len(), 1, "{backend}");
    }
}

#[tokio::test]
async fn a_reply_is_sent_then_merged_with_its_statuses_and_echo() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (state, token, conversation) = inbox_with_one_message(&store, &graph).await;
        Mock::given(method("POST"))
            .and(path_regex(format!("/{PHONE}/messages$")))
            .and(body_partial_json(json!({"to": CUSTOMER, "type": "text", "text": {"body": "Yes, it left today."}})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "messaging_product": "whatsapp", "contacts": [{"input": CUSTOMER, "wa_id": CUSTOMER}],
                "messages": [{"id": "wamid.OUT1"}]})))
            .expect(1)
            .mount(&graph)
            .await;
        let (status, body) = call(
            &state,
            "POST",
            &format!("/api/conversations/{conversation}/messages"),
            Some(&token),
            Some(json!({"text": "Yes, it left today."})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
        assert_eq!(body["message"]["message_id"], "wamid.OUT1");
        assert_eq!(body["message"]["status"], "sent");
        assert_eq!(body["message"]["direction"], "outbound");
        assert_eq!(body["message"]["sent_by_server"], true);

        // Statuses out of order: read, then delivered, then sent again.
        for status in ["read", "delivered", "sent"] {
            assert_eq!(
                post_signed(&state, "whatsapp", &wa_status("wamid.OUT1", status)).await,
                StatusCode::OK
            );
        }
        all_settled(&store).await;
        let (_, page) = call(
            &state,
            "GET",
            &format!("/api/conversations/{conversation}/messages"),
            Some(&token),
            None,
        )
        .await;
        let data = page["data"].as_array().unwrap();
        assert_eq!(data.len(), 2, "{backend}: one inbound, one reply: {page}");
        let reply = data
            .iter()
            .find(|m| m["message_id"] == "wamid.OUT1")
            .unwrap();
        assert_eq!(reply["status"], "read", "{backend}");
    }
}

#[tokio::test]
async fn a_refused_send_is_failed_and_a_lost_answer_is_ambiguous_never_repeated() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (state, token, conversation) = inbox_with_one_message(&store, &graph).await;
        let uri = format!("/api/conversations/{conversation}/messages");
        Mock::given(method("POST"))
            .and(path_regex(format!("/{PHONE}/messages$")))
            .and(body_partial_json(json!({"text": {"body": "refused"}})))
            .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
                "message": "(#131030) Recipient phone number not in allowed list", "type": "OAuthException",
                "code": 131_030, "fbtrace_id": "Trace131030"}})))
            .expect(1)
            .mount(&graph)
            .await;
        let (status, body) = call(
            &state,
            "POST",
            &uri,
            Some(&token),
            Some(json!({"text": "refused"})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{backend}: {body}");
        assert_eq!(body["message"]["status"], "failed");
        assert_eq!(body["message"]["error"]["graph"]["code"], 131_030);
        assert_eq!(
            body["message"]["error"]["graph"]["fbtrace_id"],
            "Trace131030"
        );

        Mock::given(method("POST"))
            .and(path_regex(format!("/{PHONE}/messages$")))
            .and(body_partial_json(json!({"text": {"body": "lost"}})))
            .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": {
                "message": "An unknown error occurred", "type": "OAuthException", "code": 1, "is_transient": true}})))
            .expect(1)
            .mount(&graph)
            .await;
        let (status, body) = call(
            &state,
            "POST",
            &uri,
            Some(&token),
            Some(json!({"text": "lost"})),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{backend}: {body}");
        assert_eq!(body["message"]["status"], "ambiguous");
        // Both stay in the thread with their outcome; wiremock checks each was tried once.
        let (_, page) = call(&state, "GET", &uri, Some(&token), None).await;
        let statuses: Vec<&str> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["status"].as_str())
            .collect();
        assert!(
            statuses.contains(&"failed") && statuses.contains(&"ambiguous"),
            "{backend}: {page}"
        );
    }
}

#[tokio::test]
async fn outside_the_24_hour_window_nothing_is_stored_or_sent() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        mock_phone_numbers(&graph).await;
        Mock::given(method("POST"))
            .and(path_regex("/messages$"))
            .respond_with(ResponseTemplate::new(200))
            .expect(0)
            .mount(&graph)
            .await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, token) = user(&store, "alice").await;
        connect_whatsapp(&state, &token).await;
        let day_and_a_bit = 25 * 3600;
        let body = wa_text(
            "wamid.OLD",
            CUSTOMER,
            "old",
            now_ms() / 1000 - day_and_a_bit,
        );
        assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
        all_settled(&store).await;
        let (_, list) = call(&state, "GET", "/api/conversations", Some(&token), None).await;
        let conversation = list["data"][0]["id"].as_i64().unwrap();
        let (status, body) = call(
            &state,
            "POST",
            &format!("/api/conversations/{conversation}/messages"),
            Some(&token),
            Some(json!({"text": "late"})),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend}: {body}"
        );
        assert_eq!(body["error"]["code"], "outside_window");
        assert_eq!(store.all_messages().await.unwrap().len(), 1, "{backend}");
    }
}

#[tokio::test]
async fn no_route_lets_one_user_reach_another_users_data() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (state, alice, conversation) = inbox_with_one_message(&store, &graph).await;
        let (_, mallory) = user(&store, "mallory").await;
        let (_, accounts) = call(&state, "GET", "/api/platforms/", Some(&alice), None).await;
        let account = accounts["data"][0]["id"].as_i64().unwrap();
        let alices = [PHONE, CUSTOMER, "wamid.IN1"];

        for route in routes() {
            let method = route.method.as_str();
            let path = route.path;
            if route.access == Access::Public {
                assert!(
                    path.starts_with("/api/webhooks/")
                        || [
                            "/api/platforms/callback",
                            "/healthz",
                            "/metrics",
                            "/openapi.json",
                            "/docs",
                            "/",
                            "/app.js",
                            "/style.css",
                        ]
                        .contains(&path),
                    "{method} {path} is public: add it to the reviewed list only if it must be"
                );
                continue;
            }
            let uri = path.replace("{platform}", "messenger").replace(
                "{id}",
                &if path.starts_with("/api/platforms/") {
                    account
                } else {
                    conversation
                }
                .to_string(),
            );
            let body = (method == "POST").then(|| json!({"text": "hi", "business_account_id": WABA, "phone_number_id": PHONE, "access_token": "x"}));
            // Without a token: 401, whatever the route.
            let (status, _) = call(&state, method, &uri, None, body.clone()).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{backend}: {method} {path} without a token"
            );
            let (status, _) =
                call(&state, method, &uri, Some("ibx_not-a-token"), body.clone()).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{backend}: {method} {path} with a wrong token"
            );
            // With another user's token: nothing of Alice's, and nothing changed.
            let (status, response) = call(&state, method, &uri, Some(&mallory), body).await;
            let text = response.to_string();
            match (method, path) {
                ("GET", "/api/platforms/" | "/api/conversations" | "/api/analytics/daily") => {
                    assert_eq!(status, StatusCode::OK, "{backend}: {method} {path}");
                    assert_eq!(
                        response["data"],
                        json!([]),
                        "{backend}: {method} {path}: {text}"
                    );
                }
                ("GET", "/api/platforms/{platform}/connect") => {
                    // Mallory's own flow: the state is bound to Mallory.
                    assert_eq!(status, StatusCode::OK, "{backend}: {method} {path}");
                }
                ("POST", "/api/platforms/whatsapp/connect") => {
                    // Alice's number cannot be taken over (Meta refuses the token here anyway).
                    assert_ne!(status, StatusCode::CREATED, "{backend}: {method} {path}");
                }
                ("GET", "/api/ws") => {
                    // Not a WebSocket handshake, but past authentication: see the live tests
                    // for what each user receives.
                    assert_ne!(
                        status,
                        StatusCode::UNAUTHORIZED,
                        "{backend}: {method} {path}"
                    );
                }
                ("DELETE" | "POST" | "GET", p) if p.contains("{id}") => {
                    assert_eq!(
                        status,
                        StatusCode::NOT_FOUND,
                        "{backend}: {method} {path}: {text}"
                    );
                }
                _ => panic!("{method} {path} has no tenant-isolation check: add one here"),
            }
            for secret in alices {
                assert!(
                    !text.contains(secret),
                    "{backend}: {method} {path} leaked {secret}: {text}"
                );
            }
        }
        // Alice still has everything.
        let (_, list) = call(&state, "GET", "/api/platforms/", Some(&alice), None).await;
        assert_eq!(list["data"][0]["status"], "active", "{backend}");
        let (_, page) = call(
            &state,
            "GET",
            &format!("/api/conversations/{conversation}/messages"),
            Some(&alice),
            None,
        )
        .await;
        assert_eq!(page["data"].as_array().unwrap().len(), 1, "{backend}");
    }
}

#[tokio::test]
async fn disconnect_forgets_the_token_and_sync_is_queued_only_for_active_accounts() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        mock_phone_numbers(&graph).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, token) = user(&store, "alice").await;
        let id = connect_whatsapp(&state, &token).await;
        let (status, body) = call(
            &state,
            "POST",
            &format!("/api/platforms/{id}/sync"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(
            (status, body["queued"].as_bool()),
            (StatusCode::ACCEPTED, Some(true)),
            "{backend}"
        );
        let (_, list) = call(&state, "GET", "/api/platforms/", Some(&token), None).await;
        assert!(list["data"][0]["sync_requested_at"].as_i64().is_some());
        let (status, _) = call(
            &state,
            "DELETE",
            &format!("/api/platforms/{id}/disconnect"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (_, list) = call(&state, "GET", "/api/platforms/", Some(&token), None).await;
        assert_eq!(list["data"][0]["status"], "disconnected");
        assert_eq!(store.account_token(id).await.unwrap().as_deref(), Some(""));
        let (status, body) = call(
            &state,
            "POST",
            &format!("/api/platforms/{id}/sync"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("account_not_active"))
        );
    }
}

#[tokio::test]
async fn rotate_key_reseals_every_token_with_the_new_key() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        mock_phone_numbers(&graph).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, token) = user(&store, "alice").await;
        let id = connect_whatsapp(&state, &token).await;
        let old = store.account_token(id).await.unwrap().unwrap();
        assert!(old.starts_with("v1:test1:"));
        let new_key = inbox_server::crypto::Cipher::generate_key("k2");
        let rotated = inbox_server::crypto::Cipher::from_config(&format!(
            "{new_key},test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
        ))
        .unwrap();
        assert_eq!(
            inbox_server::rotate_key(&store, &rotated).await.unwrap(),
            1,
            "{backend}"
        );
        assert_eq!(
            inbox_server::rotate_key(&store, &rotated).await.unwrap(),
            0,
            "{backend}: idempotent"
        );
        let sealed = store.account_token(id).await.unwrap().unwrap();
        assert!(sealed.starts_with("v1:k2:"), "{sealed}");
        let only_new = inbox_server::crypto::Cipher::from_config(&new_key).unwrap();
        let context = inbox_server::crypto::token_context("whatsapp", PHONE);
        assert_eq!(only_new.open(&sealed, &context).unwrap().as_str(), WA_TOKEN);
    }
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_with_413() {
    for (backend, store) in stores().await {
        let state = common::state(store).await;
        let big = vec![b' '; inbox_server::api::BODY_LIMIT + 1];
        assert_eq!(
            post_signed(&state, "whatsapp", &big).await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{backend}"
        );
        let (_, token) = user(&state.store, "alice").await;
        let huge = json!({"text": "x".repeat(inbox_server::api::BODY_LIMIT)});
        let (status, _) = call(
            &state,
            "POST",
            "/api/conversations/1/messages",
            Some(&token),
            Some(huge),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{backend}");
    }
}

#[test]
fn the_openapi_document_describes_every_route() {
    let doc: Value =
        serde_json::from_str(inbox_server::api::OPENAPI).expect("openapi.json is JSON");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for route in routes() {
        let operation = &doc["paths"][route.path][route.method.as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "{} {} is not in openapi.json",
            route.method,
            route.path
        );
        let public = operation["security"] == json!([]);
        assert_eq!(
            public,
            route.access == Access::Public,
            "{} {}: security does not match the route's access",
            route.method,
            route.path
        );
    }
}

#[tokio::test]
async fn a_page_that_refuses_the_webhook_subscription_is_not_connected() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        // Mounted first, so it answers before the mock of the login that accepts.
        Mock::given(method("POST"))
            .and(path_regex(format!("/{PAGE}/subscribed_apps$")))
            .respond_with(ResponseTemplate::new(403).set_body_json(json!({"error": {
                "message": "(#200) Requires pages_manage_metadata permission to manage the object",
                "type": "OAuthException", "code": 200, "fbtrace_id": "AzKq1pU7nMJ9bX3c5yQ2wTe"
            }})))
            .expect(1)
            .mount(&graph)
            .await;
        mock_facebook_login(&graph, true, one_page()).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, token) = user(&store, "alice").await;
        let flow = start_connect(&state, "messenger", &token).await;
        let (status, body) = call(&state, "GET", &callback_uri(&flow), None, None).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{backend}: {body}");
        assert_eq!(body["error"]["code"], "graph_error");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("subscribe the app to the Page's webhooks"),
            "{body}"
        );
        assert_eq!(body["error"]["graph"]["code"], 200, "{body}");
        // Nothing half-connected: the account is not stored.
        let (_, list) = call(&state, "GET", "/api/platforms/", Some(&token), None).await;
        assert_eq!(list["data"], json!([]), "{backend}");
    }
}
