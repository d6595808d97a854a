//! Poison updates: a body of several updates of which one fails is split, the others are
//! processed at once, the failing one is kept with its own raw JSON and error, dead-lettered
//! after its attempts, and `replay` reprocesses it once the cause is fixed. Runs on SQLite
//! and, when `DATABASE_URL` points at PostgreSQL, on PostgreSQL.

mod common;

use axum::http::StatusCode;
use common::{all_settled, post_signed, state, stores};
use inbox_server::store::{Backend, MAX_ATTEMPTS, Store};
use serde_json::{Value, json};

const WABA: &str = "102290129340398";
const PHONE: &str = "106540352242922";
const PAGE: &str = "1122334455";

/// One WhatsApp change holding a text message per entry of `texts`, as Meta batches them.
fn whatsapp_batch(texts: &[&str]) -> Vec<u8> {
    let messages: Vec<Value> = texts
        .iter()
        .enumerate()
        .map(|(n, text)| {
            json!({"from": format!("1650555000{n}"), "id": format!("wamid.POISON{n}"), "timestamp": "1750264700",
                   "type": "text", "text": {"body": text}})
        })
        .collect();
    let contacts: Vec<Value> = (0..texts.len())
        .map(|n| json!({"profile": {"name": format!("Customer {n}")}, "wa_id": format!("1650555000{n}")}))
        .collect();
    json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE},
        "contacts": contacts,
        "messages": messages
    }}]}]})
    .to_string()
    .into_bytes()
}

/// Makes the database itself refuse any message whose text is `poison`: a stand-in for
/// whatever can make one update fail (a constraint, a bug in its handling).
async fn refuse_poison(store: &Store) {
    let statements: &[&str] = match store.backend() {
        Backend::Sqlite => &["CREATE TRIGGER refuse_poison BEFORE INSERT ON messages \
             WHEN NEW.text = 'poison' BEGIN SELECT RAISE(ABORT, 'poison message refused'); END"],
        Backend::Postgres => &[
            "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN \
             IF NEW.text = 'poison' THEN RAISE EXCEPTION 'poison message refused'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_poison BEFORE INSERT ON messages \
             FOR EACH ROW EXECUTE FUNCTION refuse_poison()",
        ],
    };
    for statement in statements {
        sqlx::query(statement).execute(store.pool()).await.unwrap();
    }
}

async fn accept_poison(store: &Store) {
    let statement = match store.backend() {
        Backend::Sqlite => "DROP TRIGGER refuse_poison",
        Backend::Postgres => "DROP TRIGGER refuse_poison ON messages",
    };
    sqlx::query(statement).execute(store.pool()).await.unwrap();
}

async fn texts(store: &Store) -> Vec<String> {
    let mut texts: Vec<String> = store
        .all_messages()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.text)
        .collect();
    texts.sort();
    texts
}

/// `(id, state, parent_id, body)` of every log row, with the body as received.
async fn log(store: &Store) -> Vec<(i64, String, Option<i64>, Vec<u8>)> {
    let rows: Vec<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT id, state, parent_id FROM webhook_log ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let mut log = Vec::with_capacity(rows.len());
    for (id, state, parent) in rows {
        let (_, body) = store.logged_body(id).await.unwrap().unwrap();
        log.push((id, state, parent, body));
    }
    log
}

#[tokio::test]
async fn one_poison_update_is_set_aside_and_the_rest_of_its_batch_lands() {
    for (backend, store) in stores().await {
        refuse_poison(&store).await;
        let state = state(store.clone()).await;
        let body = whatsapp_batch(&["one", "two", "poison", "four", "five"]);
        assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
        all_settled(&store).await;

        assert_eq!(
            texts(&store).await,
            ["five", "four", "one", "two"],
            "{backend}"
        );
        let log = log(&store).await;
        // The body as Meta sent it, kept, and one child per message.
        assert_eq!(log[0].1, "split", "{backend}");
        assert_eq!(log[0].3, body, "the original bytes are kept");
        assert_eq!(log.len(), 6, "{backend}");
        assert!(log[1..].iter().all(|row| row.2 == Some(log[0].0)));
        let dead = store.dead_letters().await.unwrap();
        assert_eq!(dead.len(), 1, "{backend}: {dead:?}");
        assert_eq!(dead[0].state, "failed");
        assert!(
            dead[0]
                .last_error
                .as_deref()
                .unwrap()
                .contains("poison message refused"),
            "{backend}: {dead:?}"
        );
        // The dead letter holds the poison update alone, with its context, as raw JSON.
        let poison = &log.iter().find(|row| row.0 == dead[0].id).unwrap().3;
        let poison: Value = serde_json::from_slice(poison).unwrap();
        let value = &poison["entry"][0]["changes"][0]["value"];
        assert_eq!(value["messages"].as_array().unwrap().len(), 1);
        assert_eq!(value["messages"][0]["text"]["body"], "poison");
        assert_eq!(value["metadata"]["phone_number_id"], PHONE);

        // Retried until dead-lettered; the others are not touched again.
        for _ in 1..MAX_ATTEMPTS {
            store.process(dead[0].id).await.unwrap();
        }
        let row = store.log_row(dead[0].id).await.unwrap().unwrap();
        assert_eq!((row.state.as_str(), row.attempts), ("dead", MAX_ATTEMPTS));
        assert_eq!(texts(&store).await.len(), 4);

        // After the fix, replay brings it in, once; replaying again changes nothing.
        accept_poison(&store).await;
        store.replay().await.unwrap();
        assert_eq!(
            texts(&store).await,
            ["five", "four", "one", "poison", "two"],
            "{backend}"
        );
        assert!(store.dead_letters().await.unwrap().is_empty());
        store.replay().await.unwrap();
        assert_eq!(store.all_messages().await.unwrap().len(), 5);
        // Redelivered by Meta after all that: still once each.
        assert_eq!(post_signed(&state, "whatsapp", &body).await, StatusCode::OK);
        all_settled(&store).await;
        assert_eq!(store.all_messages().await.unwrap().len(), 5, "{backend}");
    }
}

#[tokio::test]
async fn an_update_the_parser_refuses_does_not_hold_back_its_entry() {
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
        // A Messenger batch in which one item's `mid` is a number: the parser refuses that
        // item (ids must be strings), which used to fail the whole body.
        let item = |mid: Value, text: &str| {
            json!({"sender": {"id": "6543210987654321"}, "recipient": {"id": PAGE}, "timestamp": 1_750_264_700_000_i64,
                   "message": {"mid": mid, "text": text}})
        };
        let body = json!({"object": "page", "entry": [
            {"id": PAGE, "time": 1_750_264_700_000_i64, "messaging": [item(json!("m_first"), "first"), item(json!(12345), "bad")]},
            {"id": PAGE, "time": 1_750_264_700_001_i64, "messaging": [item(json!("m_third"), "third")]}
        ]})
        .to_string()
        .into_bytes();
        assert_eq!(
            post_signed(&state, "messenger", &body).await,
            StatusCode::OK
        );
        all_settled(&store).await;

        assert_eq!(texts(&store).await, ["first", "third"], "{backend}");
        let dead = store.dead_letters().await.unwrap();
        assert_eq!(dead.len(), 1, "{backend}: {dead:?}");
        assert_eq!(dead[0].parent_id, Some(1));
        let part = &log(&store).await[usize::try_from(dead[0].id - 1).unwrap()].3;
        let part: Value = serde_json::from_slice(part).unwrap();
        assert_eq!(part["entry"][0]["messaging"][0]["message"]["mid"], 12345);
        assert_eq!(part["entry"][0]["messaging"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_poison_body_in_a_processing_batch_does_not_hold_back_the_other_bodies() {
    for (backend, store) in stores().await {
        refuse_poison(&store).await;
        let bodies: Vec<Vec<u8>> = ["a", "poison", "c"]
            .iter()
            .enumerate()
            .map(|(n, text)| {
                let body = whatsapp_batch(&[text]);
                String::from_utf8(body)
                    .unwrap()
                    .replace("wamid.POISON0", &format!("wamid.BODY{n}"))
                    .into_bytes()
            })
            .collect();
        // Logged together, processed together: the batch transaction fails on the second.
        let logged = store
            .log_webhooks(
                &bodies
                    .iter()
                    .map(|b| (messaging_core::PlatformKind::WhatsApp, b.as_slice(), 0))
                    .collect::<Vec<_>>(),
            )
            .await
            .unwrap();
        store.process_many(&logged).await.unwrap();
        assert_eq!(texts(&store).await, ["a", "c"], "{backend}");
        let row = store.log_row(logged[1]).await.unwrap().unwrap();
        assert_eq!(row.state, "failed", "{backend}");
        assert!(row.last_error.unwrap().contains("poison message refused"));
    }
}
