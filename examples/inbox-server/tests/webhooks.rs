//! Webhook intake end to end through `app()`: signed bodies of the three platforms are logged,
//! processed into messages exactly once, statuses merge in any order, and a body that fails
//! keeps its error until replayed. Every test runs on SQLite and, when `DATABASE_URL` points at
//! a PostgreSQL server, on PostgreSQL in a schema of its own.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{VERIFY_TOKEN, fixture, post_signed, post_webhook as post, settled, state, stores};
use http_body_util::BodyExt as _;
use inbox_server::app;
use inbox_server::store::MAX_ATTEMPTS;
use metabiz_webhook_verify::AppSecret;
use metabiz_webhook_verify::test_util::sign_body;
use tower::ServiceExt as _;

fn status_body(status: &str, wamid: &str) -> Vec<u8> {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}},"statuses":[{{"id":"{wamid}","status":"{status}","timestamp":"1750264700","recipient_id":"16505551234"}}]}}}}]}}]}}"#
    )
    .into_bytes()
}

#[tokio::test]
async fn the_subscription_handshake_echoes_the_challenge_only_for_the_token() {
    for (backend, store) in stores().await {
        let state = state(store).await;
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
        let state = state(store.clone()).await;
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
        let state = state(store.clone()).await;
        let body = fixture("whatsapp/tests/fixtures/text.json");
        for id in 1..=5 {
            assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
            assert_eq!(settled(&store, id).await.state, "processed", "{backend}");
        }
        let messages = store.all_messages().await.unwrap();
        assert_eq!(messages.len(), 1, "{backend}: {messages:?}");
        assert_eq!(messages[0].platform, "whatsapp");
        assert_eq!(messages[0].direction, "inbound");
        assert_eq!(store.conversation_count().await.unwrap(), 1);
    }
}

#[tokio::test]
async fn statuses_merge_by_rank_in_any_order_even_before_the_message() {
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
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

        let messages = store.all_messages().await.unwrap();
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
        let state = state(store.clone()).await;
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
        let messages = store.all_messages().await.unwrap();
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
        assert_eq!(store.all_messages().await.unwrap().len(), before);
    }
}

#[tokio::test]
async fn a_body_that_fails_keeps_its_error_and_is_dead_lettered_after_the_attempts() {
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
        // Signed by Meta's secret but a WhatsApp body (one message) on the Messenger endpoint:
        // logged (never lost), then refused by the Messenger parser. (A body of several
        // updates would be split first: tests/poison.rs.)
        let body = fixture("whatsapp/tests/fixtures/text.json");
        assert_eq!(
            post_signed(&state, "messenger", &body).await,
            StatusCode::OK
        );
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
        assert!(store.all_messages().await.unwrap().is_empty());
    }
}

/// A WhatsApp webhook carrying `n` text messages from different customers, as Meta batches
/// them under load.
fn whatsapp_batch(n: usize) -> Vec<u8> {
    let messages: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"from":"3161234{i:04}","id":"wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzRUIw{i:08X}AA==","timestamp":"{}","text":{{"body":"Hello, is order {i} on its way?"}},"type":"text"}}"#,
                1_750_264_700 + i
            )
        })
        .collect();
    let contacts: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"profile":{{"name":"Customer {i}"}},"wa_id":"3161234{i:04}"}}"#))
        .collect();
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}},"contacts":[{}],"messages":[{}]}}}}]}}]}}"#,
        contacts.join(","),
        messages.join(",")
    )
    .into_bytes()
}

#[tokio::test]
async fn a_large_body_is_stored_compressed_and_processed_as_received() {
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
        let body = whatsapp_batch(200);
        assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
        assert_eq!(settled(&store, 1).await.state, "processed", "{backend}");

        let (encoding, stored): (Option<String>, i64) = sqlx::query_as(
            "SELECT body_encoding, CAST(LENGTH(body) AS BIGINT) FROM webhook_log WHERE id = 1",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(encoding.as_deref(), Some("lz4"), "{backend}");
        assert!(
            usize::try_from(stored).unwrap() * 3 < body.len(),
            "{backend}: {stored} bytes stored for {} received",
            body.len()
        );
        let (platform, logged) = store.logged_body(1).await.unwrap().unwrap();
        assert_eq!(platform, "whatsapp");
        assert!(logged == body, "{backend}: the body comes back as received");

        let messages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(messages, 200, "{backend}");
        // A short body is stored as it came.
        let short = fixture("whatsapp/tests/fixtures/text.json");
        assert_eq!(
            post_signed(&state, "whatsapp", &short).await,
            StatusCode::OK
        );
        settled(&store, 2).await;
        let encoding: Option<String> =
            sqlx::query_scalar("SELECT body_encoding FROM webhook_log WHERE id = 2")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(encoding, None, "{backend}");
    }
}

#[tokio::test]
async fn a_stored_body_that_does_not_decode_is_recorded_on_its_row() {
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
        let body = whatsapp_batch(50);
        assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
        assert_eq!(settled(&store, 1).await.state, "processed", "{backend}");
        // Damage the row: its block cut in half, then an encoding this version does not know.
        for (damage, error) in [
            (
                "UPDATE webhook_log SET state = 'failed', body = SUBSTR(body, 1, 40) WHERE id = 1",
                "lz4 body does not decode",
            ),
            (
                "UPDATE webhook_log SET state = 'failed', body_encoding = 'zstd' WHERE id = 1",
                "unknown body encoding",
            ),
        ] {
            sqlx::query(damage).execute(store.pool()).await.unwrap();
            store.process(1).await.unwrap();
            let row = store.log_row(1).await.unwrap().unwrap();
            assert_eq!(row.state, "failed", "{backend}");
            assert!(
                row.last_error.as_deref().unwrap_or("").contains(error),
                "{backend}: {:?}",
                row.last_error
            );
            assert!(store.logged_body(1).await.is_err(), "{backend}");
        }
        // Nothing else was lost or doubled.
        let messages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(messages, 50, "{backend}");
    }
}
