//! Webhook intake end to end through `app()`: signed bodies of the three platforms are logged,
//! processed into messages exactly once, statuses merge in any order, and a body that fails
//! keeps its error until replayed. Every test runs on SQLite and, when `DATABASE_URL` points at
//! a PostgreSQL server, on PostgreSQL in a schema of its own.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use inbox_server::store::{MAX_ATTEMPTS, Store};
use inbox_server::{AppState, app};
use metabiz_webhook_verify::test_util::sign_body;
use metabiz_webhook_verify::{AppSecret, SIGNATURE_256_HEADER, SignatureVerifier, VerifyToken};
use sqlx::postgres::PgConnectOptions;
use tower::ServiceExt as _;

const SECRET: &str = "inbox-test-app-secret";
const VERIFY_TOKEN: &str = "inbox-verify-token";

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A fresh SQLite file, and a fresh PostgreSQL schema when `DATABASE_URL` is set.
async fn stores() -> Vec<(&'static str, Store)> {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("inbox-server-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Store::connect(&format!("sqlite:{}", dir.join("inbox.db").display()))
        .await
        .unwrap();
    let mut stores = vec![("sqlite", sqlite)];
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let schema = format!("inbox_test_{}_{n}", std::process::id());
            let admin = sqlx::PgPool::connect(&url).await.unwrap();
            if n == 0 {
                // Schemas left by earlier runs (other processes) are dropped once.
                let own = format!("inbox_test_{}_%", std::process::id());
                let old: Vec<(String,)> = sqlx::query_as(
                    "SELECT schema_name::text FROM information_schema.schemata \
                     WHERE schema_name LIKE 'inbox_test_%' AND schema_name NOT LIKE $1",
                )
                .bind(own)
                .fetch_all(&admin)
                .await
                .unwrap();
                for (name,) in old {
                    sqlx::query(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"))
                        .execute(&admin)
                        .await
                        .unwrap();
                }
            }
            sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .execute(&admin)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await
                .unwrap();
            let options: PgConnectOptions = url.parse().unwrap();
            let options = options.options([("search_path", schema.as_str())]);
            stores.push(("postgres", Store::connect_postgres(options).await.unwrap()));
        }
        _ => eprintln!("DATABASE_URL is not a PostgreSQL URL: the PostgreSQL runs are skipped"),
    }
    stores
}

fn state(store: Store) -> AppState {
    AppState {
        store,
        verifier: SignatureVerifier::new(&AppSecret::new(SECRET)),
        verify_token: VerifyToken::new(VERIFY_TOKEN),
    }
}

async fn post(
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

async fn post_signed(state: &AppState, platform: &str, body: &[u8]) -> StatusCode {
    post(
        state,
        platform,
        body,
        Some(sign_body(&AppSecret::new(SECRET), body)),
    )
    .await
}

/// Waits until the log row `id` is no longer pending.
async fn settled(store: &Store, id: i64) -> inbox_server::store::LogRow {
    for _ in 0..200 {
        if let Some(row) = store.log_row(id).await.unwrap()
            && row.state != "pending"
        {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("log row {id} was never processed");
}

fn fixture(path: &str) -> Vec<u8> {
    let path = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[tokio::test]
async fn the_subscription_handshake_echoes_the_challenge_only_for_the_token() {
    for (backend, store) in stores().await {
        let state = state(store);
        let uri = |token: &str| {
            format!(
                "/api/webhooks/messenger/?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444"
            )
        };
        let ok = app(state.clone())
            .oneshot(Request::get(uri(VERIFY_TOKEN)).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(ok.status(), StatusCode::OK, "{backend}");
        let body = ok.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], b"1158201444");
        let refused = app(state.clone())
            .oneshot(Request::get(uri("guess")).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{backend}");
    }
}

#[tokio::test]
async fn an_unsigned_or_badly_signed_body_is_refused_and_not_stored() {
    for (backend, store) in stores().await {
        let state = state(store.clone());
        let body = fixture("whatsapp/tests/fixtures/text.json");
        assert_eq!(
            post(&state, "whatsapp", &body, None).await,
            StatusCode::UNAUTHORIZED
        );
        let forged = sign_body(&AppSecret::new("another secret"), &body);
        assert_eq!(
            post(&state, "whatsapp", &body, Some(forged)).await,
            StatusCode::UNAUTHORIZED,
            "{backend}"
        );
        assert_eq!(store.log_row(1).await.unwrap(), None, "{backend}");
        assert_eq!(
            post_signed(&state, "telegram", &body).await,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn the_same_delivery_many_times_gives_one_message() {
    for (backend, store) in stores().await {
        let state = state(store.clone());
        let body = fixture("whatsapp/tests/fixtures/text.json");
        for id in 1..=5 {
            assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
            assert_eq!(settled(&store, id).await.state, "processed", "{backend}");
        }
        let messages = store.messages().await.unwrap();
        assert_eq!(messages.len(), 1, "{backend}: {messages:?}");
        assert_eq!(messages[0].platform, "whatsapp");
        assert_eq!(messages[0].direction, "inbound");
        assert_eq!(store.conversation_count().await.unwrap(), 1);
    }
}

fn status_body(status: &str, wamid: &str) -> Vec<u8> {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}},"statuses":[{{"id":"{wamid}","status":"{status}","timestamp":"1750264700","recipient_id":"16505551234"}}]}}}}]}}]}}"#
    )
    .into_bytes()
}

#[tokio::test]
async fn statuses_merge_by_rank_in_any_order_even_before_the_message() {
    for (backend, store) in stores().await {
        let state = state(store.clone());
        let wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0NkZFRUU3NkJFNTQxRkQ3NjUA";
        let mut id = 0;
        // `read` before `delivered`, and both before the message itself (an echo).
        for body in [status_body("read", wamid), status_body("delivered", wamid)] {
            assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
            id += 1;
            settled(&store, id).await;
        }
        let echo_body = fixture("whatsapp/tests/fixtures/smb_message_echoes.json");
        assert_eq!(
            post_signed(&state, "whatsapp", &echo_body).await,
            StatusCode::OK
        );
        id += 1;
        assert_eq!(settled(&store, id).await.state, "processed");
        assert_eq!(
            post_signed(&state, "whatsapp", &status_body("sent", wamid)).await,
            StatusCode::OK
        );
        id += 1;
        settled(&store, id).await;

        let messages = store.messages().await.unwrap();
        let echoed = messages
            .iter()
            .find(|m| m.message_id == wamid)
            .expect("the echo is stored");
        assert_eq!(echoed.direction, "outbound", "{backend}");
        assert_eq!(echoed.status.as_deref(), Some("read"), "{backend}");
    }
}

#[tokio::test]
async fn messenger_and_instagram_bodies_land_in_the_same_inbox() {
    for (backend, store) in stores().await {
        let state = state(store.clone());
        let page = fixture("messenger/tests/fixtures/batch.json");
        let instagram = fixture("instagram/tests/fixtures/batch.json");
        assert_eq!(
            post_signed(&state, "messenger", &page).await,
            StatusCode::OK
        );
        assert_eq!(settled(&store, 1).await.state, "processed", "{backend}");
        assert_eq!(
            post_signed(&state, "instagram", &instagram).await,
            StatusCode::OK
        );
        assert_eq!(settled(&store, 2).await.state, "processed", "{backend}");
        let messages = store.messages().await.unwrap();
        assert!(
            messages.iter().any(|m| m.platform == "messenger"),
            "{backend}"
        );
        assert!(
            messages.iter().any(|m| m.platform == "instagram"),
            "{backend}"
        );
        // Replaying the same bodies adds nothing.
        let before = messages.len();
        assert_eq!(
            post_signed(&state, "messenger", &page).await,
            StatusCode::OK
        );
        settled(&store, 3).await;
        assert_eq!(store.messages().await.unwrap().len(), before);
    }
}

#[tokio::test]
async fn a_body_that_fails_keeps_its_error_and_is_dead_lettered_after_the_attempts() {
    for (backend, store) in stores().await {
        let state = state(store.clone());
        // Signed by Meta's secret but a Messenger body on the WhatsApp endpoint: logged (never
        // lost), then refused by the WhatsApp parser.
        let body = fixture("messenger/tests/fixtures/text.json");
        assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
        let row = settled(&store, 1).await;
        assert_eq!(row.state, "failed", "{backend}");
        assert_eq!(row.attempts, 1);
        assert!(row.last_error.is_some());
        for _ in 1..MAX_ATTEMPTS {
            store.replay().await.unwrap();
        }
        let row = store.log_row(1).await.unwrap().unwrap();
        assert_eq!(row.state, "dead", "{backend}");
        assert_eq!(row.attempts, MAX_ATTEMPTS);
        assert!(store.messages().await.unwrap().is_empty());
    }
}
