//! Security properties a deployment relies on, end to end through `app()` with a wiremock
//! Graph API:
//!
//! - the OAuth `state` of the connect flow is single use, expires, is bound to the configured
//!   redirect URI and to the user who started the flow, and cannot be forged; a refused
//!   callback stores no account and never reaches Meta's token exchange;
//! - no secret (app secret, verify token, encryption key, platform and API tokens, OAuth codes
//!   and states, the database password) shows up in any log line at TRACE, in any table of the
//!   database, in an API answer or in the `Debug` output of the state, in plain text, hex or
//!   base64, even when Meta's error answers echo them back.
//!
//! Every test runs on SQLite and, when `DATABASE_URL` points at PostgreSQL, on PostgreSQL.

#![allow(clippy::too_many_lines)] // end-to-end scenarios read best whole

mod common;

use std::sync::{Mutex, OnceLock};

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use common::{APP_ID, REDIRECT_URI, all_settled, call, state_with, user};
use inbox_server::api::OAUTH_STATE_TTL_MS;
use inbox_server::auth::{hash_token, random_token};
use inbox_server::crypto::Cipher;
use inbox_server::store::{Backend, Store, now_ms};
use inbox_server::{AppState, MetaApp};
use meta_graph::oauth::{InstagramLogin, OAuthState};
use meta_graph::{AppId, AppSecret, GraphClient, RetryPolicy};
use metabiz_webhook_verify::VerifyToken;
use metabiz_webhook_verify::test_util::sign_body;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path_regex, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const WABA: &str = "102290129340398";
const PHONE: &str = "106540352242922";
/// The Page of `messenger/tests/fixtures/text.json`.
const PAGE: &str = "104518592379221";
const IG_ACCOUNT: &str = "17841400000000001";

// ---------------------------------------------------------------------------------------------
// Log capture: every tracing event of this test binary, at TRACE, formatted as the server's
// own subscriber formats them (`tracing_subscriber::fmt`, which is what `main` installs).

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogSink;

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber for the whole binary (once), so that events of the
/// background tasks and of the SQLite writer thread are captured too.
fn capture_logs() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| LogSink)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other subscriber in this binary");
    });
}

fn logs() -> Vec<u8> {
    LOGS.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

// ---------------------------------------------------------------------------------------------
// Secrets and their encodings.

/// The forms a secret could leak in: as is, hex (both cases), and base64 (standard and
/// URL-safe) at each of the three alignments it can have inside a longer encoded value.
fn encodings(secret: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        ("plain".to_owned(), secret.to_vec()),
        ("hex".to_owned(), hex::encode(secret).into_bytes()),
        ("HEX".to_owned(), hex::encode_upper(secret).into_bytes()),
    ];
    for (name, engine) in [("base64", STANDARD_NO_PAD), ("base64url", URL_SAFE_NO_PAD)] {
        for offset in 0..3 {
            let mut shifted = vec![0_u8; offset];
            shifted.extend_from_slice(secret);
            let text = engine.encode(&shifted);
            // Characters that also carry bits of the bytes before or after are dropped.
            let skip = [0, 2, 3][offset];
            let end = if shifted.len() % 3 == 0 {
                text.len()
            } else {
                text.len() - 1
            };
            out.push((
                format!("{name} at offset {offset}"),
                text.as_bytes()[skip..end].to_vec(),
            ));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Every place where a secret of `secrets` shows up in `haystack`, with some context.
fn leaks(what: &str, haystack: &[u8], secrets: &[(&str, Vec<u8>)]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, secret) in secrets {
        for (encoding, needle) in encodings(secret) {
            if let Some(at) = contains(haystack, &needle) {
                let from = at.saturating_sub(120);
                let to = (at + needle.len() + 120).min(haystack.len());
                found.push(format!(
                    "{name} ({encoding}) in {what}: …{}…",
                    String::from_utf8_lossy(&haystack[from..to])
                ));
            }
        }
    }
    found
}

#[test]
fn the_leak_check_finds_a_secret_in_every_encoding_it_looks_for() {
    let secret = b"EAAGsomeSECRETtoken0123456789";
    let secrets = [("token", secret.to_vec())];
    for offset in 0..3 {
        let mut blob = vec![b'x'; offset];
        blob.extend_from_slice(secret);
        blob.extend_from_slice(b"trailing bytes");
        for encoded in [
            STANDARD_NO_PAD.encode(&blob),
            base64::engine::general_purpose::STANDARD.encode(&blob),
            URL_SAFE_NO_PAD.encode(&blob),
            hex::encode(&blob),
            hex::encode_upper(&blob),
            String::from_utf8(blob.clone()).unwrap(),
        ] {
            let wrapped = format!("{{\"value\":\"{encoded}\"}}");
            assert!(
                !leaks("blob", wrapped.as_bytes(), &secrets).is_empty(),
                "offset {offset}: {wrapped}"
            );
        }
    }
    let clean = URL_SAFE_NO_PAD.encode(b"EAAGsomeOTHERtoken0123456789");
    assert!(leaks("clean", clean.as_bytes(), &secrets).is_empty());
    assert!(
        leaks(
            "hash",
            hash_token("EAAGsomeSECRETtoken0123456789").as_bytes(),
            &secrets
        )
        .is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// Databases and state.

/// A fresh SQLite file, and a fresh PostgreSQL schema when `DATABASE_URL` is set; with
/// `password`, the PostgreSQL URL carries it (when it has none of its own and the server takes
/// it), so that it is one more secret to look for. Returns the password the URL holds.
async fn stores_with(password: Option<&str>) -> Vec<(&'static str, Store, Option<String>)> {
    let mut out: Vec<(&'static str, Store, Option<String>)> = Vec::new();
    for (backend, store) in common::stores().await {
        if store.backend() == Backend::Sqlite {
            out.push((backend, store, None));
        } else {
            store.pool().close().await;
        }
    }
    if let Ok(url) = std::env::var("DATABASE_URL")
        && url.starts_with("postgres")
    {
        let tag = format!(
            "security_{}_{}",
            std::process::id(),
            random_token(6).to_lowercase()
        )
        .replace('-', "_");
        let schema_url = common::pg_schema(&url, &tag).await;
        let parsed = url::Url::parse(&schema_url).unwrap();
        let own = parsed.password().map(str::to_owned);
        let mut store = None;
        if own.is_none()
            && let Some(password) = password
        {
            let mut with = parsed.clone();
            with.set_password(Some(password)).unwrap();
            if let Ok(connected) = Store::connect(with.as_str()).await {
                store = Some((connected, Some(password.to_owned())));
            }
        }
        let (store, secret) = match store {
            Some(found) => found,
            None => (Store::connect(&schema_url).await.unwrap(), own),
        };
        out.push(("postgres", store, secret));
    }
    out
}

/// The state with its own app secret, verify token and key, the Graph API at `graph`.
async fn state_for(
    store: Store,
    graph: &str,
    app_secret: &str,
    verify_token: &str,
    key: &str,
) -> AppState {
    let graph_client = GraphClient::builder()
        .app_secret(AppSecret::new(app_secret))
        .retry_policy(RetryPolicy::none())
        .base_url(graph)
        .dialog_base_url(graph)
        .build()
        .unwrap();
    let instagram = InstagramLogin::with_hosts(&graph_client, graph, graph, graph).unwrap();
    let meta = MetaApp {
        app_id: Some(AppId::new(APP_ID)),
        app_secret: AppSecret::new(app_secret),
        redirect_uri: Some(REDIRECT_URI.to_owned()),
        graph: graph_client,
        instagram,
    };
    AppState::new(
        store,
        meta,
        VerifyToken::new(verify_token),
        Cipher::from_config(key).unwrap(),
    )
    .start()
    .await
    .unwrap()
}

/// Everything stored: the SQLite file and its WAL as bytes (free pages included, so deleted
/// rows count too), or every row of every table of the PostgreSQL schema as JSON.
async fn dump(store: &Store) -> Vec<u8> {
    match store.backend() {
        Backend::Sqlite => {
            let path: String =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(store.pool())
                    .await
                    .unwrap();
            let mut out = Vec::new();
            for suffix in ["", "-wal", "-journal"] {
                if let Ok(bytes) = std::fs::read(format!("{path}{suffix}")) {
                    out.extend(bytes);
                }
            }
            out
        }
        Backend::Postgres => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(store.pool())
            .await
            .unwrap();
            assert!(
                tables.iter().any(|t| t == "platform_accounts"),
                "the dump sees the schema: {tables:?}"
            );
            let mut out = String::new();
            for table in tables {
                let rows: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT row_to_json(t)::text FROM {table} t"))
                        .fetch_all(store.pool())
                        .await
                        .unwrap();
                out.push_str(&table);
                out.push('\n');
                out.push_str(&rows.join("\n"));
                out.push('\n');
            }
            out.into_bytes()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The Facebook Login flow.

/// Facebook Login on `graph`: `code` exchanged (for the configured redirect URI only) for a
/// short-lived token `expected_exchanges` times, a long-lived token, one Page with its token,
/// and the Page's Instagram account.
async fn mock_login(graph: &MockServer, code: &str, tokens: &LoginTokens, expected_exchanges: u64) {
    Mock::given(method("GET"))
        .and(path_regex("/oauth/access_token$"))
        .and(query_param("code", code))
        .and(query_param("redirect_uri", REDIRECT_URI))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": tokens.short, "token_type": "bearer", "expires_in": 5_183}),
        ))
        .expect(expected_exchanges)
        .named("code exchange")
        .mount(graph)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("/oauth/access_token$"))
        .and(query_param("grant_type", "fb_exchange_token"))
        .and(query_param("fb_exchange_token", tokens.short.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": tokens.long, "token_type": "bearer", "expires_in": 5_183_944}),
        ))
        .expect(expected_exchanges)
        .named("long-lived exchange")
        .mount(graph)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("/me/accounts$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
            "id": PAGE, "name": "Sheena's Shop", "access_token": tokens.page,
            "category": "Retail", "tasks": ["MESSAGING", "MANAGE", "MODERATE"]
        }]})))
        .mount(graph)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(format!("/{PAGE}/subscribed_apps$")))
        .and(header(
            "authorization",
            format!("Bearer {}", tokens.page).as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .mount(graph)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(format!("/{PAGE}$")))
        .and(query_param(
            "fields",
            "instagram_business_account{id,username}",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": PAGE, "instagram_business_account": {"id": IG_ACCOUNT, "username": "sheenas.shop"}
        })))
        .mount(graph)
        .await;
}

/// The tokens Meta hands out in one login.
struct LoginTokens {
    short: String,
    long: String,
    page: String,
}

impl LoginTokens {
    fn random() -> Self {
        Self {
            short: format!("EAAGshort{}", random_token(24)),
            long: format!("EAAGlong{}", random_token(24)),
            page: format!("EAAGpage{}", random_token(24)),
        }
    }
}

/// Any token exchange the mocks above do not allow (another code, another redirect URI): none
/// may happen.
async fn forbid_other_token_exchanges(graph: &MockServer) {
    Mock::given(method("GET"))
        .and(path_regex("/oauth/access_token$"))
        .respond_with(ResponseTemplate::new(500))
        .with_priority(50)
        .expect(0)
        .named("any token exchange")
        .mount(graph)
        .await;
}

/// Starts a connect flow as the holder of `token`; returns the `state` of its login URL.
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
    let query: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(query["redirect_uri"], REDIRECT_URI);
    query["state"].clone()
}

fn callback(code: &str, state: &str) -> String {
    let state: String = url::form_urlencoded::byte_serialize(state.as_bytes()).collect();
    format!("/api/platforms/callback?code={code}&state={state}")
}

async fn account_count(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM platform_accounts")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn stored_states(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM oauth_states")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

fn code_of(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

#[tokio::test]
async fn a_state_works_once_and_a_replay_reaches_neither_meta_nor_the_store() {
    capture_logs();
    for (backend, store) in common::stores().await {
        let graph = MockServer::start().await;
        let tokens = LoginTokens::random();
        // Two flows complete below; every replay must stop before Meta.
        mock_login(&graph, "the-code", &tokens, 2).await;
        forbid_other_token_exchanges(&graph).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, alice) = user(&store, "alice").await;

        let flow = start_connect(&state, "messenger", &alice).await;
        let (status, body) = call(&state, "GET", &callback("the-code", &flow), None, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        assert_eq!(body["connected"]["external_id"], PAGE);
        assert_eq!(
            stored_states(&store).await,
            0,
            "{backend}: the state is gone"
        );

        // The same state again: with the same code, another code, or an error report.
        for replay in [
            callback("the-code", &flow),
            callback("another-code", &flow),
            format!("/api/platforms/callback?state={flow}&error=access_denied"),
        ] {
            let (status, body) = call(&state, "GET", &replay, None, None).await;
            assert_eq!(
                (status, code_of(&body)),
                (StatusCode::BAD_REQUEST, Some("invalid_state")),
                "{backend}: {replay}: {body}"
            );
        }
        assert_eq!(account_count(&store).await, 1, "{backend}");

        // Two callbacks racing with one state: exactly one gets through.
        let flow = start_connect(&state, "messenger", &alice).await;
        let uri = callback("the-code", &flow);
        let (first, second) = tokio::join!(
            call(&state, "GET", &uri, None, None),
            call(&state, "GET", &uri, None, None)
        );
        let mut outcomes = [
            (first.0, code_of(&first.1).map(str::to_owned)),
            (second.0, code_of(&second.1).map(str::to_owned)),
        ];
        outcomes.sort_by_key(|(status, _)| status.as_u16());
        assert_eq!(
            outcomes,
            [
                (StatusCode::OK, None),
                (StatusCode::BAD_REQUEST, Some("invalid_state".to_owned()))
            ],
            "{backend}"
        );
        assert_eq!(account_count(&store).await, 1, "{backend}: the same Page");
        // Each accepted state was exchanged once; no replay reached the exchange.
        graph.verify().await;
    }
}

#[tokio::test]
async fn an_expired_state_is_refused_before_meta_and_burnt() {
    capture_logs();
    assert_eq!(
        OAUTH_STATE_TTL_MS,
        10 * 60 * 1000,
        "the crate docs and the callback's message say 10 minutes"
    );
    for (backend, store) in common::stores().await {
        let graph = MockServer::start().await;
        let tokens = LoginTokens::random();
        // Only the flow still inside its lifetime is exchanged.
        mock_login(&graph, "the-code", &tokens, 1).await;
        forbid_other_token_exchanges(&graph).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, alice) = user(&store, "alice").await;

        let before = now_ms();
        let flow = start_connect(&state, "messenger", &alice).await;
        let after = now_ms();
        let expires_at: i64 =
            sqlx::query_scalar("SELECT expires_at FROM oauth_states WHERE state_hash = $1")
                .bind(hash_token(&flow))
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert!(
            (before + OAUTH_STATE_TTL_MS..=after + OAUTH_STATE_TTL_MS).contains(&expires_at),
            "{backend}: the state lives {OAUTH_STATE_TTL_MS} ms from its creation"
        );

        // As if it had been made ten minutes and a second ago.
        sqlx::query("UPDATE oauth_states SET expires_at = $1 WHERE state_hash = $2")
            .bind(expires_at - OAUTH_STATE_TTL_MS - 1000)
            .bind(hash_token(&flow))
            .execute(store.pool())
            .await
            .unwrap();
        let (status, body) = call(&state, "GET", &callback("the-code", &flow), None, None).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::BAD_REQUEST, Some("expired_state")),
            "{backend}: {body}"
        );
        // Refused once, gone for good.
        let (status, body) = call(&state, "GET", &callback("the-code", &flow), None, None).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::BAD_REQUEST, Some("invalid_state")),
            "{backend}"
        );
        assert_eq!(account_count(&store).await, 0, "{backend}");

        // Nine minutes and 59 seconds old: still good.
        let flow = start_connect(&state, "messenger", &alice).await;
        sqlx::query("UPDATE oauth_states SET expires_at = $1 WHERE state_hash = $2")
            .bind(now_ms() + 1000)
            .bind(hash_token(&flow))
            .execute(store.pool())
            .await
            .unwrap();
        let (status, body) = call(&state, "GET", &callback("the-code", &flow), None, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");

        // Starting a flow sweeps everyone's expired states.
        store
            .put_oauth_state(&hash_token("stale"), 1, "messenger", None, now_ms() - 1)
            .await
            .unwrap();
        start_connect(&state, "instagram", &alice).await;
        let swept: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM oauth_states WHERE state_hash = $1")
                .bind(hash_token("stale"))
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(swept, 0, "{backend}");
        graph.verify().await;
    }
}

#[tokio::test]
async fn forged_and_unknown_states_are_refused_and_do_not_burn_the_real_one() {
    capture_logs();
    for (backend, store) in common::stores().await {
        let graph = MockServer::start().await;
        let tokens = LoginTokens::random();
        // Only the real state, used last, reaches the exchange.
        mock_login(&graph, "the-code", &tokens, 1).await;
        forbid_other_token_exchanges(&graph).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, alice) = user(&store, "alice").await;
        let real = start_connect(&state, "instagram", &alice).await;

        let mut altered = real.clone().into_bytes();
        let last = altered.len() - 1;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let forged = [
            "forged".to_owned(),
            // Well formed, never issued.
            OAuthState::generate().as_str().to_owned(),
            // What a reader of the database sees.
            hash_token(&real),
            String::from_utf8(altered).unwrap(),
            real.to_uppercase(),
            format!("{real} "),
            real[..real.len() - 1].to_owned(),
            "' OR '1'='1".to_owned(),
            "%00".to_owned(),
            "ä".repeat(4096),
        ];
        for candidate in &forged {
            let (status, body) =
                call(&state, "GET", &callback("the-code", candidate), None, None).await;
            assert_eq!(
                (status, code_of(&body)),
                (StatusCode::BAD_REQUEST, Some("invalid_state")),
                "{backend}: {candidate:?}: {body}"
            );
        }
        for uri in [
            "/api/platforms/callback?code=the-code".to_owned(),
            "/api/platforms/callback?code=the-code&state=".to_owned(),
            format!("/api/platforms/callback?code=the-code&state[]={real}"),
        ] {
            let (status, body) = call(&state, "GET", &uri, None, None).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{backend}: {uri}: {body}");
        }
        assert_eq!(account_count(&store).await, 0, "{backend}");
        assert_eq!(
            stored_states(&store).await,
            1,
            "{backend}: the real state is still there"
        );

        let (status, body) = call(&state, "GET", &callback("the-code", &real), None, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        assert_eq!(body["connected"]["external_id"], IG_ACCOUNT);
        graph.verify().await;
    }
}

#[tokio::test]
async fn a_callback_for_another_redirect_uri_is_refused() {
    capture_logs();
    for (backend, store) in common::stores().await {
        let graph = MockServer::start().await;
        let tokens = LoginTokens::random();
        mock_login(&graph, "the-code", &tokens, 1).await;
        forbid_other_token_exchanges(&graph).await;
        // A code Facebook issued for another redirect URI: Meta refuses to exchange it with
        // ours, and nothing after the exchange may happen.
        Mock::given(method("GET"))
            .and(path_regex("/oauth/access_token$"))
            .and(query_param("code", "code-for-elsewhere"))
            .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
                "message": "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
                "type": "OAuthException", "code": 100, "error_subcode": 36008,
                "fbtrace_id": "AZWbd0mrTqgLd2cOHWNXcrS"}})))
            .expect(1)
            .mount(&graph)
            .await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, alice) = user(&store, "alice").await;

        // The callback names where its code was meant to go, and that is not here.
        for elsewhere in [
            "https://evil.example/api/platforms/callback",
            "https://inbox.example.com.evil.example/api/platforms/callback",
            "https://inbox.example.com/api/platforms/callback/../../steal",
            "http://inbox.example.com/api/platforms/callback",
        ] {
            let flow = start_connect(&state, "messenger", &alice).await;
            let encoded: String =
                url::form_urlencoded::byte_serialize(elsewhere.as_bytes()).collect();
            let uri = format!("{}&redirect_uri={encoded}", callback("the-code", &flow));
            let (status, body) = call(&state, "GET", &uri, None, None).await;
            assert_eq!(
                (status, code_of(&body)),
                (StatusCode::BAD_REQUEST, Some("redirect_mismatch")),
                "{backend}: {elsewhere}: {body}"
            );
            // The state used in a tampered callback is burnt.
            let (status, body) =
                call(&state, "GET", &callback("the-code", &flow), None, None).await;
            assert_eq!(code_of(&body), Some("invalid_state"), "{backend}: {status}");
        }

        let flow = start_connect(&state, "messenger", &alice).await;
        let (status, body) = call(
            &state,
            "GET",
            &callback("code-for-elsewhere", &flow),
            None,
            None,
        )
        .await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::BAD_GATEWAY, Some("graph_error")),
            "{backend}: {body}"
        );
        assert_eq!(body["error"]["graph"]["error_subcode"], 36008);
        assert_eq!(account_count(&store).await, 0, "{backend}");

        // Naming the configured URI itself is fine.
        let flow = start_connect(&state, "messenger", &alice).await;
        let encoded: String =
            url::form_urlencoded::byte_serialize(REDIRECT_URI.as_bytes()).collect();
        let uri = format!("{}&redirect_uri={encoded}", callback("the-code", &flow));
        let (status, body) = call(&state, "GET", &uri, None, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");

        // Every exchange the server made named the configured redirect URI, whatever the
        // callback said.
        let requests = graph.received_requests().await.unwrap();
        let exchanges: Vec<_> = requests
            .iter()
            .filter(|r| {
                r.url.path().ends_with("/oauth/access_token")
                    && r.url.query_pairs().any(|(k, _)| k == "code")
            })
            .collect();
        assert_eq!(exchanges.len(), 2, "{backend}");
        for exchange in exchanges {
            let redirect: Vec<_> = exchange
                .url
                .query_pairs()
                .filter(|(k, _)| k == "redirect_uri")
                .map(|(_, v)| v.into_owned())
                .collect();
            assert_eq!(redirect, [REDIRECT_URI], "{backend}");
        }
        graph.verify().await;
    }
}

#[tokio::test]
async fn a_login_link_opened_in_another_browser_connects_nothing() {
    capture_logs();
    for (backend, store) in common::stores().await {
        let graph = MockServer::start().await;
        let tokens = LoginTokens::random();
        // Only the last flow, completed in the browser that started it, reaches Meta.
        mock_login(&graph, "the-code", &tokens, 1).await;
        forbid_other_token_exchanges(&graph).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, mallory) = user(&store, "mallory").await;

        // Mallory starts a flow and sends the login link to a Page admin, whose browser
        // comes back from Facebook with a code for *their* Page and no cookie of the flow.
        let flow = start_connect(&state, "messenger", &mallory).await;
        let (status, body) = common::call_from_another_browser(
            &state,
            "GET",
            &callback("the-code", &flow),
            None,
            None,
        )
        .await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::FORBIDDEN, Some("browser_mismatch")),
            "{backend}: {body}"
        );
        assert_eq!(account_count(&store).await, 0, "{backend}");
        assert_eq!(
            stored_states(&store).await,
            0,
            "{backend}: the state is burnt"
        );

        // The connect call set the cookie, scoped to the callback and unreadable by scripts.
        let request = axum::http::Request::builder()
            .uri("/api/platforms/messenger/connect")
            .header("authorization", format!("Bearer {mallory}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(inbox_server::app(state.clone()), request)
            .await
            .unwrap();
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(cookie.starts_with("inbox_oauth_"), "{cookie}");
        for attribute in [
            "Path=/api/platforms/callback",
            "HttpOnly",
            "SameSite=Lax",
            "Max-Age=600",
            "Secure",
        ] {
            assert!(
                cookie.contains(attribute),
                "{backend}: {cookie} lacks {attribute}"
            );
        }

        // In the browser that started it, the flow completes.
        let flow = start_connect(&state, "messenger", &mallory).await;
        let (status, body) = call(&state, "GET", &callback("the-code", &flow), None, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        graph.verify().await;
    }
}

#[tokio::test]
async fn a_state_is_bound_to_the_user_who_started_the_flow() {
    capture_logs();
    for (backend, store) in common::stores().await {
        let graph = MockServer::start().await;
        let tokens = LoginTokens::random();
        // Two flows complete: Alice's with her own token, and Alice's without any.
        mock_login(&graph, "the-code", &tokens, 2).await;
        forbid_other_token_exchanges(&graph).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (alice_id, alice) = user(&store, "alice").await;
        let (_, mallory) = user(&store, "mallory").await;

        // Mallory presents Alice's state.
        let flow = start_connect(&state, "messenger", &alice).await;
        let (status, body) = call(
            &state,
            "GET",
            &callback("the-code", &flow),
            Some(&mallory),
            None,
        )
        .await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::FORBIDDEN, Some("state_not_yours")),
            "{backend}: {body}"
        );
        assert_eq!(account_count(&store).await, 0, "{backend}");
        // The state is burnt: Alice starts again.
        let (_, body) = call(
            &state,
            "GET",
            &callback("the-code", &flow),
            Some(&alice),
            None,
        )
        .await;
        assert_eq!(code_of(&body), Some("invalid_state"), "{backend}");

        // A token that is no one's is refused before the state is touched.
        let flow = start_connect(&state, "messenger", &alice).await;
        for bad in ["ibx_not-a-token", ""] {
            let (status, _) =
                call(&state, "GET", &callback("the-code", &flow), Some(bad), None).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend}: {bad:?}");
        }
        assert_eq!(stored_states(&store).await, 1, "{backend}");

        // Completed by a browser with no token: the account is Alice's, not the browser's.
        let (status, body) = call(&state, "GET", &callback("the-code", &flow), None, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        let owner: i64 =
            sqlx::query_scalar("SELECT user_id FROM platform_accounts WHERE external_id = $1")
                .bind(PAGE)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(owner, alice_id, "{backend}");
        let (_, list) = call(&state, "GET", "/api/platforms/", Some(&mallory), None).await;
        assert_eq!(list["data"], json!([]), "{backend}");

        // Alice with her own token.
        let flow = start_connect(&state, "instagram", &alice).await;
        let (status, body) = call(
            &state,
            "GET",
            &callback("the-code", &flow),
            Some(&alice),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        graph.verify().await;
    }
}

// ---------------------------------------------------------------------------------------------
// No secret anywhere.

/// Answers any Graph call nothing else matched with an error that echoes the request: its
/// URL (with `appsecret_proof` and any secret query value) and its `Authorization` header,
/// in every text field of Meta's error object, as a careless upstream might.
struct EchoingError;

impl Respond for EchoingError {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none");
        let echo = format!("{} {} authorization: {auth}", request.method, request.url);
        ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": format!("(#100) Unsupported request: {echo}"),
            "type": "GraphMethodException", "code": 100, "error_subcode": 33,
            "error_user_title": echo, "error_user_msg": echo,
            "error_data": {"details": echo}, "fbtrace_id": "AEchoTrace"}}))
    }
}

fn whatsapp_text(wamid: &str) -> Vec<u8> {
    let mut body: Value =
        serde_json::from_slice(&common::fixture("whatsapp/tests/fixtures/text.json")).unwrap();
    let message = &mut body["entry"][0]["changes"][0]["value"]["messages"][0];
    message["id"] = json!(wamid);
    message["timestamp"] = json!((now_ms() / 1000).to_string());
    serde_json::to_vec(&body).unwrap()
}

#[tokio::test]
async fn no_secret_reaches_a_log_line_the_database_an_answer_or_debug_output() {
    capture_logs();
    let db_password = format!("pw{}", random_token(18));
    for (backend, store, password) in stores_with(Some(&db_password)).await {
        let graph = MockServer::start().await;
        let app_secret = hex::encode(random_token(16));
        let verify_token = random_token(20);
        let key = Cipher::generate_key("sec");
        let key_b64 = key.split_once(':').unwrap().1.to_owned();
        let key_bytes = URL_SAFE_NO_PAD.decode(&key_b64).unwrap();
        let wa_token = format!("EAAGwa{}", random_token(24));
        let refused_wa_token = format!("EAAGbad{}", random_token(24));
        let login = LoginTokens::random();
        let code = random_token(40);
        let failing_code = random_token(40);
        let proof = |token: &str| AppSecret::new(&app_secret).appsecret_proof(token);

        let state = state_for(
            store.clone(),
            &graph.uri(),
            &app_secret,
            &verify_token,
            &key,
        )
        .await;
        let (_, alice) = user(&store, "alice").await;
        let (_, mallory) = user(&store, "mallory").await;

        // The Graph API, answering with tokens and echoing them in errors.
        Mock::given(method("GET"))
            .and(path_regex(format!("/{WABA}/phone_numbers$")))
            .and(header(
                "authorization",
                format!("Bearer {wa_token}").as_str(),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
                "id": PHONE, "display_phone_number": "+1 555-078-3881",
                "verified_name": "Sheena's Shop", "quality_rating": "GREEN"}]})))
            .mount(&graph)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(format!("/{WABA}/phone_numbers$")))
            .and(header(
                "authorization",
                format!("Bearer {refused_wa_token}").as_str(),
            ))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {
                "message": format!("Malformed access token {refused_wa_token}"),
                "type": "OAuthException", "code": 190, "fbtrace_id": "AMalformed"}})))
            .mount(&graph)
            .await;
        mock_login(&graph, &code, &login, 2).await;
        Mock::given(method("GET"))
            .and(path_regex("/oauth/access_token$"))
            .and(query_param("code", failing_code.as_str()))
            .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
                "message": format!("Invalid verification code format: {failing_code} for client_secret {app_secret}"),
                "type": "OAuthException", "code": 100, "error_subcode": 36009,
                "error_user_msg": format!("code={failing_code}&client_secret={app_secret}"),
                "fbtrace_id": "ACodeEcho"}})))
            .expect(1)
            .mount(&graph)
            .await;
        Mock::given(method("POST"))
            .and(path_regex(format!("/{PHONE}/messages$")))
            .and(body_partial_json(
                json!({"text": {"body": "It left today."}}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "messaging_product": "whatsapp",
                "contacts": [{"input": "16505551234", "wa_id": "16505551234"}],
                "messages": [{"id": "wamid.OUT1"}]})))
            .expect(1)
            .mount(&graph)
            .await;
        Mock::given(method("POST"))
            .and(path_regex(format!("/{PHONE}/messages$")))
            .and(body_partial_json(json!({"text": {"body": "Refused, with echoes."}})))
            .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
                "message": format!("(#131030) Recipient not allowed for token {wa_token}"),
                "type": "OAuthException", "code": 131_030,
                "error_user_title": wa_token, "error_user_msg": format!("appsecret_proof={}", proof(&wa_token)),
                "error_data": {"messaging_product": "whatsapp", "details": format!("access_token={wa_token}")},
                "fbtrace_id": "ARefused"}})))
            .expect(1)
            .mount(&graph)
            .await;
        Mock::given(method("POST"))
            .and(path_regex(format!("/{PHONE}/messages$")))
            .and(body_partial_json(json!({"status": "read"})))
            .respond_with(ResponseTemplate::new(502).set_body_string(format!(
                "<html>upstream failed for access_token={wa_token}</html>"
            )))
            .mount(&graph)
            .await;
        Mock::given(wiremock::matchers::any())
            .respond_with(EchoingError)
            .with_priority(100)
            .mount(&graph)
            .await;

        let mut answers: Vec<String> = Vec::new();
        let mut record = |label: &str, (status, body): (StatusCode, Value)| {
            answers.push(format!("{label}: {status} {body}"));
            (status, body)
        };

        // WhatsApp: a token Meta refuses (and echoes), then a good one.
        let (status, _) = record(
            "refused whatsapp connect",
            call(&state, "POST", "/api/platforms/whatsapp/connect", Some(&alice),
                Some(json!({"business_account_id": WABA, "phone_number_id": PHONE, "access_token": refused_wa_token}))).await,
        );
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        let (status, _) = record(
            "whatsapp connect",
            call(&state, "POST", "/api/platforms/whatsapp/connect", Some(&alice),
                Some(json!({"business_account_id": WABA, "phone_number_id": PHONE, "access_token": wa_token}))).await,
        );
        assert_eq!(status, StatusCode::CREATED, "{backend}");

        // Facebook Login: Messenger and Instagram, then a code Meta refuses with echoes. The
        // connect answers carry the state in the login URL, so they are not recorded.
        let mut flows = Vec::new();
        for platform in ["messenger", "instagram"] {
            let flow = start_connect(&state, platform, &alice).await;
            let (status, body) = record(
                platform,
                call(&state, "GET", &callback(&code, &flow), None, None).await,
            );
            assert_eq!(status, StatusCode::OK, "{backend}: {body}");
            flows.push(flow);
        }
        let flow = start_connect(&state, "messenger", &alice).await;
        let (status, body) = record(
            "refused code",
            call(&state, "GET", &callback(&failing_code, &flow), None, None).await,
        );
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{backend}: {body}");
        flows.push(flow);

        // Webhooks: the handshake (right and wrong token), signed bodies, a forged one.
        let handshake = |token: &str| {
            format!(
                "/api/webhooks/whatsapp/?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={token}"
            )
        };
        let (status, body) = record(
            "handshake",
            call(&state, "GET", &handshake(&verify_token), None, None).await,
        );
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!(1_158_201_444)),
            "{backend}"
        );
        let (status, _) = record(
            "wrong handshake",
            call(&state, "GET", &handshake("guess"), None, None).await,
        );
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend}");
        let secret = AppSecret::new(&app_secret);
        for (platform, body) in [
            ("whatsapp", whatsapp_text("wamid.SECURITY1")),
            (
                "messenger",
                common::fixture("messenger/tests/fixtures/text.json"),
            ),
        ] {
            let status =
                common::post_webhook(&state, platform, &body, Some(sign_body(&secret, &body)))
                    .await;
            assert_eq!(status, StatusCode::OK, "{backend}: {platform}");
        }
        let forged = whatsapp_text("wamid.FORGED");
        let status = common::post_webhook(
            &state,
            "whatsapp",
            &forged,
            Some(sign_body(&AppSecret::new("not-the-secret"), &forged)),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend}");
        all_settled(&store).await;

        // Replies: one sent, one refused with echoes; marking read fails upstream.
        let (_, list) = record(
            "conversations",
            call(
                &state,
                "GET",
                "/api/conversations?platform=whatsapp",
                Some(&alice),
                None,
            )
            .await,
        );
        let conversation = list["data"][0]["id"]
            .as_i64()
            .expect("a WhatsApp conversation");
        let uri = format!("/api/conversations/{conversation}/messages");
        let (status, body) = record(
            "reply",
            call(
                &state,
                "POST",
                &uri,
                Some(&alice),
                Some(json!({"text": "It left today."})),
            )
            .await,
        );
        assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
        let (status, body) = record(
            "refused reply",
            call(
                &state,
                "POST",
                &uri,
                Some(&alice),
                Some(json!({"text": "Refused, with echoes."})),
            )
            .await,
        );
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{backend}: {body}");
        assert_eq!(body["message"]["error"]["graph"]["code"], 131_030);
        record(
            "mark read",
            call(
                &state,
                "POST",
                &format!("/api/conversations/{conversation}/read"),
                Some(&alice),
                None,
            )
            .await,
        );
        record(
            "messages",
            call(&state, "GET", &uri, Some(&alice), None).await,
        );
        record(
            "accounts",
            call(&state, "GET", "/api/platforms/", Some(&alice), None).await,
        );
        record(
            "mallory's accounts",
            call(&state, "GET", "/api/platforms/", Some(&mallory), None).await,
        );
        // The WebSocket route takes the API token in the query string.
        let (status, _) = record(
            "websocket",
            call(
                &state,
                "GET",
                &format!("/api/ws?access_token={alice}"),
                None,
                None,
            )
            .await,
        );
        assert_ne!(status, StatusCode::UNAUTHORIZED, "{backend}");

        // A sync round: every account's Graph calls meet the echoing catch-all.
        let report =
            inbox_server::jobs::run_once(&state, &inbox_server::jobs::SyncConfig::default())
                .await
                .unwrap();
        record(
            "sync report",
            (StatusCode::OK, json!(format!("{report:?}"))),
        );
        record("metrics", call(&state, "GET", "/metrics", None, None).await);
        all_settled(&store).await;

        // What there is to look at, checked for being real first.
        let logs = logs();
        let log_text = String::from_utf8_lossy(&logs);
        for expected in [
            "sending Graph API request",
            "a Graph API call of the connect flow failed",
            "account connected",
        ] {
            assert!(
                log_text.contains(expected),
                "{backend}: the capture works: {expected}"
            );
        }
        assert!(log_text.contains("DEBUG") || log_text.contains("TRACE"));
        let dump = dump(&store).await;
        for expected in [
            "Does it come in another color?",
            "It left today.",
            "v1:sec:",
        ] {
            assert!(
                contains(&dump, expected.as_bytes()).is_some(),
                "{backend}: the dump holds the data: {expected}"
            );
        }
        let debug = [
            format!("{state:?}"),
            format!("{state:#?}"),
            format!("{:?}", state.meta),
            format!("{:?}", state.cipher),
            format!("{:?}", state.store),
            format!("{:?}", state.meta.graph),
            format!("{:?}", inbox_server::jobs::SyncConfig::default()),
            format!("{:?}", inbox_server::demo::DemoOptions::default()),
        ]
        .join("\n");
        assert!(debug.contains("AppState"), "{debug}");

        let mut secrets: Vec<(&str, Vec<u8>)> = vec![
            ("app secret", app_secret.clone().into_bytes()),
            ("verify token", verify_token.clone().into_bytes()),
            ("encryption key", key_b64.clone().into_bytes()),
            ("encryption key bytes", key_bytes.clone()),
            ("whatsapp token", wa_token.clone().into_bytes()),
            (
                "refused whatsapp token",
                refused_wa_token.clone().into_bytes(),
            ),
            ("short-lived user token", login.short.clone().into_bytes()),
            ("long-lived user token", login.long.clone().into_bytes()),
            ("page token", login.page.clone().into_bytes()),
            ("proof of the whatsapp token", proof(&wa_token).into_bytes()),
            ("proof of the page token", proof(&login.page).into_bytes()),
            ("alice's API token", alice.clone().into_bytes()),
            ("mallory's API token", mallory.clone().into_bytes()),
            ("oauth code", code.clone().into_bytes()),
            ("refused oauth code", failing_code.clone().into_bytes()),
        ];
        let flow_names = [
            "messenger's oauth state",
            "instagram's oauth state",
            "the refused code's oauth state",
        ];
        assert_eq!(flows.len(), flow_names.len());
        for (name, flow) in flow_names.into_iter().zip(&flows) {
            secrets.push((name, flow.clone().into_bytes()));
        }
        if let Some(password) = &password {
            secrets.push(("database password", password.clone().into_bytes()));
        }
        let mut found = Vec::new();
        found.extend(leaks("the logs", &logs, &secrets));
        found.extend(leaks("the database", &dump, &secrets));
        found.extend(leaks("the Debug output", debug.as_bytes(), &secrets));
        // API answers: to the account's owner, but not a place for secrets either (tokens are
        // shown once, by the CLI, never by the API).
        found.extend(leaks(
            "an API answer",
            answers.join("\n").as_bytes(),
            &secrets,
        ));
        assert!(
            found.is_empty(),
            "{backend}: {} leaks:\n{}",
            found.len(),
            found.join("\n\n")
        );
        graph.verify().await;
    }
}

#[tokio::test]
async fn the_demo_prints_no_token_in_its_debug_output() {
    let demo = inbox_server::demo::start(inbox_server::demo::DemoOptions {
        listen: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        chatter: None,
    })
    .await
    .unwrap();
    let debug = format!("{demo:?}");
    let secrets = [
        ("the demo's API token", demo.token.clone().into_bytes()),
        (
            "the sandbox's app secret",
            demo.sandbox.app_secret().into_bytes(),
        ),
    ];
    demo.shutdown().await;
    assert!(debug.contains("Demo"), "{debug}");
    let found = leaks("Demo's Debug output", debug.as_bytes(), &secrets);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
