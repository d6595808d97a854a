//! Meta delivers at least once and in no particular order. The same bodies posted 50 times
//! at once leave one row per message and the unread counts of one delivery; a message's status
//! webhooks applied in every order (before the message itself too, and with duplicates mixed
//! in) end in the status the rank rules give, the same as applying them in order. Every test
//! runs on SQLite and, when `DATABASE_URL` points at a PostgreSQL server, on PostgreSQL.

mod common;

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use common::{all_settled, fixture, post_signed, state, stores, user};
use futures_util::StreamExt as _;
use inbox_server::store::{MessageRow, NewAccount, OutboundOutcome, Store, now_ms};
use messaging_core::PlatformKind;
use serde_json::{Value, json};
use sqlx::Row as _;

const WABA: &str = "102290129340398";
const PHONE: &str = "106540352242922";
const DISPLAY_PHONE: &str = "15550783881";
const PAGE: &str = "104518592379221";
const IG_ACCOUNT: &str = "17841400008460056";

/// What a reader of the inbox sees of the stored messages and conversations.
type Snapshot = (
    Vec<(
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    )>,
    Vec<(String, String, String, i64)>,
);

async fn snapshot(store: &Store) -> Snapshot {
    let mut messages: Vec<_> = store
        .all_messages()
        .await
        .unwrap()
        .into_iter()
        .map(|m| {
            (
                m.platform,
                m.message_id,
                m.direction,
                m.text,
                m.status,
                m.reaction,
            )
        })
        .collect();
    messages.sort();
    let rows = sqlx::query(
        "SELECT platform, account_id, counterpart_id, unread_count FROM conversations \
         ORDER BY platform, account_id, counterpart_id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let conversations = rows
        .iter()
        .map(|r| {
            (
                r.try_get(0).unwrap(),
                r.try_get(1).unwrap(),
                r.try_get(2).unwrap(),
                r.try_get(3).unwrap(),
            )
        })
        .collect();
    (messages, conversations)
}

const BATCHES: [(&str, &str); 3] = [
    ("whatsapp", "whatsapp/tests/fixtures/batch.json"),
    ("messenger", "messenger/tests/fixtures/batch.json"),
    ("instagram", "instagram/tests/fixtures/batch.json"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_deliveries_posted_50_times_at_once_leave_one_row_per_message() {
    let references = stores().await;
    for ((backend, store), (_, reference)) in stores().await.into_iter().zip(references) {
        // What one delivery of each body gives.
        let once = state(reference.clone()).await;
        for (platform, path) in BATCHES {
            assert_eq!(
                post_signed(&once, platform, &fixture(path)).await,
                StatusCode::OK
            );
        }
        all_settled(&reference).await;
        let expected = snapshot(&reference).await;
        // The three batches: 12 messages (echoes and standby items included) in 9
        // conversations; reactions, receipts and postbacks change rows but add none.
        assert_eq!(
            (expected.0.len(), expected.1.len()),
            (12, 9),
            "{backend}: {expected:?}"
        );
        assert!(
            expected.1.iter().any(|c| c.3 > 0),
            "{backend}: some are unread"
        );

        // Each body 50 times, all 150 POSTs in flight together.
        let state = state(store.clone()).await;
        let mut posts = tokio::task::JoinSet::new();
        for copy in 0..50 {
            for (platform, path) in BATCHES {
                let state = state.clone();
                let body = fixture(path);
                posts.spawn(
                    async move { (copy, platform, post_signed(&state, platform, &body).await) },
                );
            }
        }
        while let Some(done) = posts.join_next().await {
            let (copy, platform, status) = done.unwrap();
            assert_eq!(status, StatusCode::OK, "{backend}: {platform} copy {copy}");
        }
        all_settled(&store).await;
        let logged: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM webhook_log WHERE state = 'processed'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(logged, 150, "{backend}: every copy is logged and processed");
        let got = snapshot(&store).await;
        assert_eq!(got, expected, "{backend}");
        // One row per message id, whichever copy won.
        let mut ids: Vec<_> = got.0.iter().map(|m| (&m.0, &m.1)).collect();
        ids.dedup();
        assert_eq!(ids.len(), got.0.len(), "{backend}");
        // The unread counts are those of one delivery (the snapshots hold them), and the
        // batch's first message is there once.
        let first = got
            .0
            .iter()
            .filter(|m| m.1 == "wamid.BATCH-E1-C1-M1")
            .count();
        assert_eq!(first, 1, "{backend}");
    }
}

/// One event of a message's life as the store receives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    /// The message itself: the echo webhook, or the server's own send being recorded.
    Message,
    /// A WhatsApp status, a Messenger delivery or a read.
    Status(&'static str),
}

/// Where the outbound message comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// The server's reply: stored pending, then its send recorded with Meta's id.
    Reply,
    /// An echo webhook (WhatsApp `smb_message_echoes`, Messenger and Instagram `is_echo`).
    Echo,
}

fn permutations(items: &[Step]) -> Vec<Vec<Step>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for (n, first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(n);
        for mut tail in permutations(&rest) {
            tail.insert(0, *first);
            all.push(tail);
        }
    }
    all
}

/// `order` with every event delivered twice, each copy after the next event: `a b c` arrives
/// `a b a c b c`. A reply's send is recorded once (only its echo can come twice).
fn with_duplicates(order: &[Step], source: Source) -> Vec<Step> {
    let mut steps = Vec::with_capacity(order.len() * 2);
    for (n, step) in order.iter().enumerate() {
        steps.push(*step);
        if n > 0 {
            steps.push(order[n - 1]);
        }
    }
    steps.extend(order.last());
    if source == Source::Reply {
        let mut recorded = false;
        steps.retain(|s| {
            let again = *s == Step::Message && recorded;
            recorded |= *s == Step::Message;
            !again
        });
    }
    steps
}

/// A message and the order its events arrive in.
struct Case {
    source: Source,
    /// The statuses, in the order Meta emits them.
    statuses: Vec<&'static str>,
    /// The arrival order.
    steps: Vec<Step>,
    /// The message id and the person it goes to.
    message_id: String,
    counterpart: String,
    /// The pending row of a reply.
    row: Option<i64>,
}

/// Every arrival order of the message and each subset (of at least `min` statuses) of
/// `statuses`, from both sources; each order once as is and once with every event repeated
/// (see [`with_duplicates`]).
fn cases(platform: &str, statuses: &[&'static str], min: usize) -> Vec<Case> {
    let mut cases = Vec::new();
    let subsets = 1_u32 << statuses.len();
    for mask in 1..subsets {
        let subset: Vec<&'static str> = statuses
            .iter()
            .enumerate()
            .filter(|(n, _)| mask & (1 << n) != 0)
            .map(|(_, s)| *s)
            .collect();
        if subset.len() < min {
            continue;
        }
        let mut events: Vec<Step> = subset.iter().map(|s| Step::Status(s)).collect();
        events.push(Step::Message);
        for order in permutations(&events) {
            for source in [Source::Reply, Source::Echo] {
                for duplicated in [false, true] {
                    let steps = if duplicated {
                        with_duplicates(&order, source)
                    } else {
                        order.clone()
                    };
                    let n = cases.len();
                    let (message_id, counterpart) = match platform {
                        "whatsapp" => (
                            format!("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJDISORDER{n:06}"),
                            format!("1650{n:07}"),
                        ),
                        "messenger" => (format!("m_disorder{n:06}"), format!("6984{n:012}")),
                        _ => (
                            format!("aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE{n:06}ZDZD"),
                            format!("1254{n:012}"),
                        ),
                    };
                    cases.push(Case {
                        source,
                        statuses: subset.clone(),
                        steps,
                        message_id,
                        counterpart,
                        row: None,
                    });
                }
            }
        }
    }
    cases
}

fn whatsapp_value(field: &str, value: &Value) -> Value {
    json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{
        "field": field, "value": value}]}]})
}

fn whatsapp_metadata() -> Value {
    json!({"display_phone_number": DISPLAY_PHONE, "phone_number_id": PHONE})
}

/// The person's first message, which opens the conversation a reply goes to.
fn inbound(platform: &str, case: &Case, at_ms: i64) -> Value {
    let id = format!("{}.in", case.message_id);
    match platform {
        "whatsapp" => whatsapp_value(
            "messages",
            &json!({"messaging_product": "whatsapp", "metadata": whatsapp_metadata(),
                "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": case.counterpart}],
                "messages": [{"from": case.counterpart, "id": id, "timestamp": (at_ms / 1000).to_string(),
                    "type": "text", "text": {"body": "Is my order on its way?"}}]}),
        ),
        _ => messaging(
            platform,
            &json!({"sender": {"id": case.counterpart}, "recipient": {"id": account(platform)},
                "timestamp": at_ms, "message": {"mid": id, "text": "Is my order on its way?"}}),
            at_ms,
        ),
    }
}

fn account(platform: &str) -> &'static str {
    match platform {
        "whatsapp" => PHONE,
        "messenger" => PAGE,
        _ => IG_ACCOUNT,
    }
}

fn messaging(platform: &str, item: &Value, at_ms: i64) -> Value {
    let object = if platform == "instagram" {
        "instagram"
    } else {
        "page"
    };
    json!({"object": object, "entry": [{"id": account(platform), "time": at_ms, "messaging": [item]}]})
}

/// The webhook body of `step` (the message's echo, or one of its statuses).
fn body(platform: &str, case: &Case, step: Step, at_ms: i64) -> Value {
    let (id, to) = (&case.message_id, &case.counterpart);
    let seconds = (at_ms / 1000).to_string();
    match (platform, step) {
        ("whatsapp", Step::Message) => whatsapp_value(
            "smb_message_echoes",
            &json!({"messaging_product": "whatsapp", "metadata": whatsapp_metadata(),
                "message_echoes": [{"from": DISPLAY_PHONE, "to": to, "id": id, "timestamp": seconds,
                    "type": "text", "text": {"body": "It ships today."}}]}),
        ),
        ("whatsapp", Step::Status(status)) => {
            let mut item =
                json!({"id": id, "status": status, "timestamp": seconds, "recipient_id": to});
            match status {
                "failed" => {
                    item["errors"] = json!([{"code": 131_026, "title": "Message undeliverable",
                        "message": "Message undeliverable",
                        "error_data": {"details": "Message Undeliverable."}}]);
                }
                "read" => {}
                _ => {
                    item["conversation"] =
                        json!({"id": format!("CONVERSATION_{to}"), "origin": {"type": "service"}});
                    item["pricing"] = json!({"billable": false, "pricing_model": "PMP",
                        "category": "service", "type": "free_customer_service"});
                }
            }
            whatsapp_value(
                "messages",
                &json!({"messaging_product": "whatsapp", "metadata": whatsapp_metadata(), "statuses": [item]}),
            )
        }
        (_, Step::Message) => messaging(
            platform,
            &json!({"sender": {"id": account(platform)}, "recipient": {"id": to}, "timestamp": at_ms,
                "message": {"mid": id, "text": "It ships today.", "is_echo": true}}),
            at_ms,
        ),
        // Messenger's receipts cover everything up to their watermark; its delivery also
        // names the message. Instagram's read names the message.
        ("messenger", Step::Status("delivered")) => messaging(
            platform,
            &json!({"sender": {"id": to}, "recipient": {"id": PAGE}, "timestamp": at_ms + 1_000,
                "delivery": {"mids": [id], "watermark": at_ms + 1_000}}),
            at_ms,
        ),
        ("messenger", Step::Status(_)) => messaging(
            platform,
            &json!({"sender": {"id": to}, "recipient": {"id": PAGE}, "timestamp": at_ms + 2_000,
                "read": {"watermark": at_ms + 2_000}}),
            at_ms,
        ),
        (_, Step::Status(_)) => messaging(
            platform,
            &json!({"sender": {"id": to}, "recipient": {"id": IG_ACCOUNT}, "timestamp": at_ms + 2_000,
                "read": {"mid": id}}),
            at_ms,
        ),
    }
}

fn kind(platform: &str) -> PlatformKind {
    match platform {
        "whatsapp" => PlatformKind::WhatsApp,
        "messenger" => PlatformKind::Messenger,
        _ => PlatformKind::Instagram,
    }
}

/// Logs `bodies` and processes them in one batch, in order, as the intake does.
async fn apply(store: &Store, platform: &str, bodies: &[Value]) {
    let bytes: Vec<Vec<u8>> = bodies.iter().map(|b| b.to_string().into_bytes()).collect();
    let logged: Vec<(PlatformKind, &[u8], i64)> = bytes
        .iter()
        .map(|b| (kind(platform), b.as_slice(), now_ms()))
        .collect();
    for chunk in logged.chunks(200) {
        let ids = store.log_webhooks(chunk).await.unwrap();
        store.process_many(&ids).await.unwrap();
    }
    let failed: Vec<(i64, Option<String>)> =
        sqlx::query("SELECT id, last_error FROM webhook_log WHERE state <> 'processed'")
            .fetch_all(store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.try_get(0).unwrap(), r.try_get(1).unwrap()))
            .collect();
    assert!(failed.is_empty(), "{failed:?}");
}

/// Runs every case on `store`: the cases are independent (a message and a person of their
/// own each), so step `k` of all of them is applied in one batch, after step `k - 1`.
async fn run(store: &Store, platform: &str, cases: &mut [Case]) {
    let at = now_ms() - 60_000;
    // The server's replies go to conversations the people opened, from a connected account.
    let (user_id, _) = user(store, "agent").await;
    store
        .upsert_account(&NewAccount {
            user_id,
            platform: platform.to_owned(),
            external_id: account(platform).to_owned(),
            name: Some("Sandbox Coffee".to_owned()),
            sealed_token: "sealed".to_owned(),
            token_expires_at: None,
            metadata: json!({"page_id": PAGE}),
        })
        .await
        .unwrap();
    let openers: Vec<Value> = cases
        .iter()
        .filter(|c| c.source == Source::Reply)
        .map(|c| inbound(platform, c, at))
        .collect();
    apply(store, platform, &openers).await;
    let conversations: HashMap<String, i64> =
        sqlx::query("SELECT counterpart_id, id FROM conversations")
            .fetch_all(store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.try_get(0).unwrap(), r.try_get(1).unwrap()))
            .collect();
    // Independent rows: stored (and below, recorded as sent) several at a time.
    let rows: Vec<(usize, i64)> = futures_util::stream::iter(
        cases
            .iter()
            .enumerate()
            .filter(|(_, c)| c.source == Source::Reply),
    )
    .map(|(n, case)| {
        let conversation = conversations[&case.counterpart];
        async move {
            let conversation = store
                .conversation(user_id, conversation)
                .await
                .unwrap()
                .unwrap();
            let pending = store
                .begin_outbound(&conversation, "It ships today.", at + 1_000)
                .await
                .unwrap();
            (n, pending.id)
        }
    })
    .buffer_unordered(8)
    .collect()
    .await;
    for (n, row) in rows {
        cases[n].row = Some(row);
    }
    let longest = cases.iter().map(|c| c.steps.len()).max().unwrap_or(0);
    for k in 0..longest {
        let mut bodies = Vec::new();
        let mut sends = Vec::new();
        for case in cases.iter() {
            match (case.steps.get(k), case.source) {
                (Some(Step::Message), Source::Reply) => sends.push(case),
                (Some(step), _) => bodies.push(body(platform, case, *step, at + 1_000)),
                (None, _) => {}
            }
        }
        futures_util::stream::iter(sends)
            .for_each_concurrent(8, |case| async move {
                store
                    .finish_outbound(
                        case.row.unwrap(),
                        &OutboundOutcome::Sent(case.message_id.clone()),
                    )
                    .await
                    .unwrap();
            })
            .await;
        apply(store, platform, &bodies).await;
    }
}

/// The status the rank rules give a message with these statuses: positive evidence beats a
/// failure report, and a later stage beats an earlier one (`read` > `delivered` > `failed` >
/// `sent`), whatever the order they came in.
fn final_status(statuses: &[&str]) -> &'static str {
    ["read", "delivered", "failed"]
        .into_iter()
        .find(|s| statuses.contains(s))
        .unwrap_or("sent")
}

/// The final status of each arrival order of the same statuses.
type Ends<'a> = Vec<(String, &'a Vec<Step>)>;

/// Checks every case's message: one row, the server's own for a reply, in its final status,
/// which is the same for every order of the same statuses.
fn check(backend: &str, platform: &str, cases: &[Case], messages: &[MessageRow]) {
    let by_id: BTreeMap<&str, Vec<&MessageRow>> =
        messages.iter().fold(BTreeMap::new(), |mut map, m| {
            map.entry(m.message_id.as_str()).or_default().push(m);
            map
        });
    let mut finals: BTreeMap<(Vec<&str>, bool), Ends<'_>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for case in cases {
        let rows = by_id
            .get(case.message_id.as_str())
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            rows.len(),
            1,
            "{backend} {platform} {:?} {:?}: {rows:?}",
            case.source,
            case.steps
        );
        let row = rows[0];
        assert_eq!(row.direction, "outbound");
        if let Some(pending) = case.row {
            assert_eq!(row.id, pending, "{backend} {platform}: the reply's own row");
            assert!(row.sent_by_server);
        }
        let status = row.status.clone().unwrap_or_default();
        let expected = final_status(&case.statuses);
        if status != expected {
            wrong.push(format!(
                "{:?} {:?}: {status}, not {expected}",
                case.source, case.steps
            ));
        }
        finals
            .entry((case.statuses.clone(), case.source == Source::Reply))
            .or_default()
            .push((status, &case.steps));
    }
    assert!(
        wrong.is_empty(),
        "{backend} {platform}: {} of {} orders end wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
    // The same statuses in every order end alike, as in the order Meta sends them.
    for ((statuses, _), ends) in &finals {
        let in_order: Vec<Step> = std::iter::once(Step::Message)
            .chain(statuses.iter().map(|s| Step::Status(s)))
            .collect();
        let reference = ends
            .iter()
            .find(|(_, steps)| **steps == in_order)
            .map(|(status, _)| status)
            .expect("the in-order arrival is one of the orders");
        assert!(
            ends.iter().all(|(status, _)| status == reference),
            "{backend} {platform} {statuses:?}: {ends:?}"
        );
    }
    // No reply was left behind as a pending placeholder.
    assert!(
        messages
            .iter()
            .all(|m| !m.message_id.starts_with("pending:")),
        "{backend} {platform}"
    );
}

#[tokio::test]
async fn whatsapp_statuses_in_every_order_end_in_the_status_the_ranks_give() {
    for (backend, store) in stores().await {
        // Every subset of sent, delivered, read and failed, in every order, the message
        // anywhere among them: 2 × 2 × (8 + 36 + 96 + 120) cases.
        let mut cases = cases("whatsapp", &["sent", "failed", "delivered", "read"], 1);
        assert_eq!(cases.len(), 1_040);
        run(&store, "whatsapp", &mut cases).await;
        let messages = store.all_messages().await.unwrap();
        check(backend, "whatsapp", &cases, &messages);
    }
}

#[tokio::test]
async fn instagram_reads_in_every_order_end_read() {
    for (backend, store) in stores().await {
        let mut cases = cases("instagram", &["read"], 1);
        run(&store, "instagram", &mut cases).await;
        let messages = store.all_messages().await.unwrap();
        check(backend, "instagram", &cases, &messages);
    }
}

#[tokio::test]
async fn messenger_receipts_in_every_order_end_read() {
    for (backend, store) in stores().await {
        let mut cases = cases("messenger", &["delivered", "read"], 1);
        run(&store, "messenger", &mut cases).await;
        let messages = store.all_messages().await.unwrap();
        check(backend, "messenger", &cases, &messages);
    }
}

#[tokio::test]
async fn messenger_receipts_after_the_message_end_read_in_any_order() {
    for (backend, store) in stores().await {
        // The orders where the read watermark comes after the message it covers.
        let mut cases: Vec<Case> = cases("messenger", &["delivered", "read"], 1)
            .into_iter()
            .filter(|c| {
                let message = c.steps.iter().position(|s| *s == Step::Message);
                let read = c.steps.iter().position(|s| *s == Step::Status("read"));
                read.is_none_or(|read| message < Some(read))
            })
            .collect();
        assert!(cases.len() >= 10);
        run(&store, "messenger", &mut cases).await;
        let messages = store.all_messages().await.unwrap();
        check(backend, "messenger", &cases, &messages);
    }
}
