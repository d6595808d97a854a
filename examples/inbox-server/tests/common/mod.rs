//! What the server's tests share: a fresh database of each kind, the state, and requests.
#![allow(dead_code, unreachable_pub)]

pub mod binary;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use inbox_server::crypto::Cipher;
use inbox_server::store::Store;
use inbox_server::{AppState, MetaApp, app};
use meta_graph::oauth::InstagramLogin;
use meta_graph::{AppId, AppSecret, GraphClient, RetryPolicy};
use metabiz_webhook_verify::test_util::sign_body;
use metabiz_webhook_verify::{SIGNATURE_256_HEADER, VerifyToken};
use serde_json::Value;
use tower::ServiceExt as _;

pub const SECRET: &str = "inbox-test-app-secret";
pub const VERIFY_TOKEN: &str = "inbox-verify-token";
pub const APP_ID: &str = "1234567890";
pub const REDIRECT_URI: &str = "https://inbox.example.com/api/platforms/callback";

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A fresh SQLite file, and a fresh PostgreSQL schema when `DATABASE_URL` is set.
pub async fn stores() -> Vec<(&'static str, Store)> {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tag = format!("{}_{}_{n}", env!("CARGO_CRATE_NAME"), std::process::id());
    let dir = std::env::temp_dir().join(format!("inbox-server-{tag}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Store::connect(&format!("sqlite:{}", dir.join("inbox.db").display()))
        .await
        .unwrap();
    let mut stores = vec![("sqlite", sqlite)];
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            stores.push((
                "postgres",
                Store::connect(&pg_schema(&url, &tag).await).await.unwrap(),
            ));
        }
        _ => eprintln!("DATABASE_URL is not a PostgreSQL URL: the PostgreSQL runs are skipped"),
    }
    stores
}

/// A fresh schema `inbox_test_{tag}` and a URL whose connections use it.
pub async fn pg_schema(url: &str, tag: &str) -> String {
    let schema = format!("inbox_test_{tag}");
    let admin = sqlx::PgPool::connect(url).await.unwrap();
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

pub fn cipher() -> Cipher {
    Cipher::from_config("test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8").unwrap()
}

/// The state, with the Graph API at `graph` (a wiremock server) when given.
pub async fn state_with(store: Store, graph: Option<&str>) -> AppState {
    let mut builder = GraphClient::builder()
        .app_secret(AppSecret::new(SECRET))
        .retry_policy(RetryPolicy::none());
    if let Some(url) = graph {
        builder = builder.base_url(url).dialog_base_url(url);
    }
    let graph_client = builder.build().unwrap();
    let instagram = match graph {
        Some(url) => InstagramLogin::with_hosts(&graph_client, url, url, url).unwrap(),
        None => InstagramLogin::new(&graph_client).unwrap(),
    };
    let meta = MetaApp {
        app_id: Some(AppId::new(APP_ID)),
        app_secret: AppSecret::new(SECRET),
        redirect_uri: Some(REDIRECT_URI.to_owned()),
        graph: graph_client,
        instagram,
    };
    AppState::new(store, meta, VerifyToken::new(VERIFY_TOKEN), cipher())
        .start()
        .await
        .unwrap()
}

pub async fn state(store: Store) -> AppState {
    state_with(store, None).await
}

pub fn signature(body: &[u8]) -> String {
    sign_body(&AppSecret::new(SECRET), body)
}

/// Posts a webhook body signed with the app secret (or with `signature`).
pub async fn post_webhook(
    state: &AppState,
    platform: &str,
    body: &[u8],
    signature: Option<String>,
) -> StatusCode {
    let mut request = Request::post(format!("/api/webhooks/{platform}/"))
        .header("content-type", "application/json");
    if let Some(signature) = signature {
        request = request.header(SIGNATURE_256_HEADER, signature);
    }
    app(state.clone())
        .oneshot(request.body(Body::from(body.to_vec())).unwrap())
        .await
        .unwrap()
        .status()
}

pub async fn post_signed(state: &AppState, platform: &str, body: &[u8]) -> StatusCode {
    post_webhook(state, platform, body, Some(signature(body))).await
}

/// Waits until the log row `id` is no longer pending.
pub async fn settled(store: &Store, id: i64) -> inbox_server::store::LogRow {
    for _ in 0..500 {
        if let Some(row) = store.log_row(id).await.unwrap()
            && row.state != "pending"
        {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("log row {id} was never processed");
}

/// Waits until every logged body is processed (or failed).
pub async fn all_settled(store: &Store) {
    for _ in 0..500 {
        let pending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM webhook_log WHERE state = 'pending'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        if pending == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("webhook bodies stayed pending");
}

pub fn fixture(path: &str) -> Vec<u8> {
    let path = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The cookies the server set, sent back as one browser would: every test call comes from
/// the same browser unless it uses [`call_from_another_browser`]. (Only the OAuth flow sets
/// cookies, one per flow, so tests running at once do not disturb each other.)
static BROWSER: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// A JSON API call; `token` goes in `Authorization: Bearer`. Cookies the server set are kept
/// and sent back, as a browser would.
pub async fn call(
    state: &AppState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    send(state, method, uri, token, body, true).await
}

/// [`call`] from a browser that holds none of the cookies the server set.
pub async fn call_from_another_browser(
    state: &AppState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    send(state, method, uri, token, body, false).await
}

async fn send(
    state: &AppState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
    with_cookies: bool,
) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if with_cookies {
        let cookies = BROWSER.lock().unwrap().join("; ");
        if !cookies.is_empty() && uri.starts_with("/api/platforms/callback") {
            request = request.header("cookie", cookies);
        }
    }
    let request = match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
        None => request.body(Body::empty()).unwrap(),
    };
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    if with_cookies {
        let mut jar = BROWSER.lock().unwrap();
        for cookie in response.headers().get_all("set-cookie") {
            let pair = cookie
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned();
            jar.push(pair);
        }
    }
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

/// A new user and their API token.
pub async fn user(store: &Store, name: &str) -> (i64, String) {
    let token = inbox_server::auth::new_api_token();
    let user = store
        .create_user(name, &inbox_server::auth::hash_token(&token))
        .await
        .unwrap();
    (user.id, token)
}
