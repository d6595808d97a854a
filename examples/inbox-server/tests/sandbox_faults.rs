//! The server against the local Graph sandbox where fixed replies are not enough: a send whose
//! connection drops after Meta acted is stored as ambiguous and not sent again; a throttled
//! send fails with Meta's error; duplicate and reordered deliveries end in one message with
//! its final status; an expired token flags the account for reconnection.
//!
//! Then each Graph fault on a reply through the REST API, on each platform, each against a
//! server and sandbox of its own: a 5xx (ambiguous, since Meta may have acted, and never
//! retried), throttling with Meta's usage headers at 100 % and a regain time (failed with the
//! code, not retried), an app throttle without a regain time (retried once), an expired
//! token (failed, account flagged), a connection dropped after Meta acted (ambiguous, sent
//! once). Each checks the reply's final state and, from the sandbox's own record of what it
//! received, that nothing was sent twice. Last, one throttled account does not slow the
//! others, and gets nothing sent during its regain time.

use std::time::Duration;

use inbox_server::demo::{Demo, DemoOptions, start};
use metabiz_sandbox::{DeliveryFaults, Fault, FaultKind, Platform, Target};
use serde_json::{Value, json};

async fn demo() -> Demo {
    start(DemoOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        chatter: None,
    })
    .await
    .unwrap()
}

async fn api(
    demo: &Demo,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("http://{}{path}", demo.addr))
        .bearer_auth(&demo.token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Waits until `check` holds on the conversation list, for up to 10 s.
async fn conversation(demo: &Demo, platform: &str, counterpart: &str) -> i64 {
    for _ in 0..200 {
        let (_, list) = api(
            demo,
            reqwest::Method::GET,
            &format!("/api/conversations?platform={platform}"),
            None,
        )
        .await;
        if let Some(c) = list["data"]
            .as_array()
            .and_then(|d| d.iter().find(|c| c["counterpart_id"] == counterpart))
        {
            return c["id"].as_i64().unwrap();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no {platform} conversation with {counterpart}");
}

async fn thread(demo: &Demo, id: i64) -> Vec<Value> {
    let (_, page) = api(
        demo,
        reqwest::Method::GET,
        &format!("/api/conversations/{id}/messages"),
        None,
    )
    .await;
    page["data"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_dropped_send_is_ambiguous_and_sent_once_and_a_throttled_one_fails() {
    let demo = demo().await;
    let customer = "16505551234";
    demo.sandbox
        .customer_writes(Platform::WhatsApp, Some(customer), "hello");
    let id = conversation(&demo, "whatsapp", customer).await;
    let path = format!("/api/conversations/{id}/messages");

    demo.sandbox
        .inject(Fault::once(Target::Send, FaultKind::DropAfterReceive));
    let (status, body) = api(
        &demo,
        reqwest::Method::POST,
        &path,
        Some(json!({"text": "did it go?"})),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["message"]["status"], "ambiguous");
    let sent: Vec<_> = demo
        .sandbox
        .sends()
        .into_iter()
        .filter(|s| s.message_id.is_some())
        .collect();
    assert_eq!(sent.len(), 1, "reached Meta once, never repeated");

    demo.sandbox.inject(Fault::once(
        Target::Send,
        FaultKind::Throttle {
            code: 130_429,
            regain_minutes: 1,
        },
    ));
    let (status, body) = api(
        &demo,
        reqwest::Method::POST,
        &path,
        Some(json!({"text": "too fast"})),
    )
    .await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["message"]["status"], "failed");
    assert_eq!(body["message"]["error"]["graph"]["code"], 130_429);
    demo.shutdown().await;
}

#[tokio::test]
async fn duplicated_and_reordered_deliveries_end_in_one_message_with_its_final_status() {
    let demo = demo().await;
    demo.sandbox.set_delivery_faults(DeliveryFaults {
        duplicates: 3,
        reverse_statuses: true,
    });
    let customer = "4915112345678";
    demo.sandbox
        .customer_writes(Platform::WhatsApp, Some(customer), "hallo");
    let id = conversation(&demo, "whatsapp", customer).await;
    let (status, body) = api(
        &demo,
        reqwest::Method::POST,
        &format!("/api/conversations/{id}/messages"),
        Some(json!({"text": "hi!"})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let wamid = body["message"]["message_id"].as_str().unwrap().to_owned();
    // Statuses arrive read, delivered, sent, each four times.
    let mut last = Value::Null;
    for _ in 0..200 {
        let messages = thread(&demo, id).await;
        assert_eq!(messages.len(), 2, "{messages:?}");
        last = messages
            .iter()
            .find(|m| m["message_id"] == json!(wamid))
            .unwrap()["status"]
            .clone();
        if last == "read"
            && demo.sandbox.threads().iter().any(|t| {
                t.messages
                    .iter()
                    .any(|m| m.id == wamid && m.status.as_deref() == Some("sent"))
            })
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let messages = thread(&demo, id).await;
    assert_eq!(messages.len(), 2);
    assert_eq!(last, "read");
    assert_eq!(
        messages
            .iter()
            .find(|m| m["message_id"] == json!(wamid))
            .unwrap()["status"],
        "read",
        "a late `sent` does not lower it"
    );
    demo.shutdown().await;
}

#[tokio::test]
async fn an_expired_token_on_a_reply_flags_the_account() {
    let demo = demo().await;
    let customer = "6254119754622003";
    demo.sandbox
        .customer_writes(Platform::Messenger, Some(customer), "hi");
    let id = conversation(&demo, "messenger", customer).await;
    demo.sandbox
        .inject(Fault::once(Target::Send, FaultKind::ExpiredToken));
    let (status, body) = api(
        &demo,
        reqwest::Method::POST,
        &format!("/api/conversations/{id}/messages"),
        Some(json!({"text": "hello"})),
    )
    .await;
    assert_eq!(status, 502, "{body}");
    let (_, accounts) = api(&demo, reqwest::Method::GET, "/api/platforms/", None).await;
    let messenger = accounts["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["platform"] == "messenger")
        .unwrap()
        .clone();
    assert_eq!(messenger["status"], "needs_reauth");
    let (status, body) = api(
        &demo,
        reqwest::Method::POST,
        &format!("/api/conversations/{id}/messages"),
        Some(json!({"text": "again"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("account_not_active"))
    );
    demo.shutdown().await;
}

/// The sandbox's business account of `platform` and its first customer.
fn account_and_customer(demo: &Demo, platform: Platform) -> (String, String) {
    let accounts = demo.sandbox.accounts();
    let account = match platform {
        Platform::WhatsApp => accounts.phone_number_id,
        Platform::Messenger => accounts.page_id,
        Platform::Instagram => accounts.instagram_id,
    };
    (account, demo.sandbox.customers(platform)[0].id.clone())
}

/// A customer of `platform` writes, and the server's conversation with them is returned.
async fn open_conversation(demo: &Demo, platform: Platform) -> i64 {
    let (_, customer) = account_and_customer(demo, platform);
    demo.sandbox
        .customer_writes(platform, Some(&customer), "hello, anyone there?");
    conversation(demo, platform.as_str(), &customer).await
}

async fn reply(demo: &Demo, conversation: i64, text: &str) -> (u16, Value) {
    api(
        demo,
        reqwest::Method::POST,
        &format!("/api/conversations/{conversation}/messages"),
        Some(json!({ "text": text })),
    )
    .await
}

/// How long a reply on an account Meta is not throttling may take here, with another
/// account throttled for half an hour: seconds, where waiting on the throttled account would
/// take the regain time.
const PROMPT: Duration = Duration::from_secs(4);

async fn timed_reply(
    demo: &Demo,
    conversation: i64,
    text: &str,
) -> (Option<(u16, Value)>, Duration) {
    let started = std::time::Instant::now();
    // Bounded, so that a reply held for the regain fails the test instead of hanging it.
    let answer = tokio::time::timeout(PROMPT * 2, reply(demo, conversation, text))
        .await
        .ok();
    (answer, started.elapsed())
}

/// What reached the sandbox for `platform`'s account, by the sandbox's own records: the send
/// attempts (refused ones included), and the messages they created (to its first customer,
/// the one the tests talk to).
fn reached(demo: &Demo, platform: Platform) -> (usize, usize) {
    let (account, customer) = account_and_customer(demo, platform);
    let attempts = demo
        .sandbox
        .received()
        .iter()
        .filter(|r| r.is_send() && r.account.as_deref() == Some(account.as_str()))
        .count();
    let created = demo
        .sandbox
        .sends()
        .iter()
        .filter(|s| {
            s.message_id.is_some()
                && (s.body["to"] == json!(customer) || s.body["recipient"]["id"] == json!(customer))
        })
        .count();
    (attempts, created)
}

/// The stored row of a reply, by its row id, after the platform's status webhooks for it
/// (all sent within 2 s of a send) had time to arrive.
async fn settled_reply(demo: &Demo, conversation: i64, row: i64) -> (Value, Vec<Value>) {
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let messages = thread(demo, conversation).await;
    let reply = messages
        .iter()
        .find(|m| m["id"] == json!(row))
        .cloned()
        .unwrap_or_else(|| panic!("row {row} is gone: {messages:?}"));
    (reply, messages)
}

const PLATFORMS: [Platform; 3] = [Platform::WhatsApp, Platform::Messenger, Platform::Instagram];

/// Runs `case` for each platform, each against a server and sandbox of its own, at once.
async fn on_each_platform<F, Fut>(case: F)
where
    F: Fn(Platform) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    futures_util::future::join_all(PLATFORMS.map(&case)).await;
}

#[tokio::test]
async fn a_5xx_on_a_reply_is_ambiguous_on_every_platform_and_never_retried() {
    on_each_platform(|platform| async move {
        let demo = demo().await;
        let (account, _) = account_and_customer(&demo, platform);
        let id = open_conversation(&demo, platform).await;
        demo.sandbox.inject(Fault::once(
            Target::SendFrom(account.clone()),
            FaultKind::ServerError,
        ));
        let (status, body) = reply(&demo, id, "are you there?").await;
        let name = platform.as_str();
        // A 5xx answer to a send may come after Meta acted: unknown, so not repeated.
        assert_eq!(status, 202, "{name}: {body}");
        let message = &body["message"];
        assert_eq!(message["status"], "ambiguous", "{name}");
        assert_eq!(message["error"]["graph"]["code"], 2, "{name}: {message}");
        assert_eq!(message["error"]["kind"], "Ambiguous", "{name}");
        assert_eq!(
            reached(&demo, platform),
            (1, 0),
            "{name}: one attempt, no retry"
        );
        let (stored, messages) = settled_reply(&demo, id, message["id"].as_i64().unwrap()).await;
        assert_eq!(stored["status"], "ambiguous", "{name}");
        assert_eq!(
            messages.len(),
            2,
            "{name}: the customer's line and the reply"
        );
        // The account keeps working: the next reply goes out once.
        let (status, body) = reply(&demo, id, "hello again").await;
        assert_eq!(status, 201, "{name}: {body}");
        assert_eq!(reached(&demo, platform), (2, 1), "{name}");
        demo.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_connection_dropped_after_meta_acted_is_ambiguous_and_sent_once_on_every_platform() {
    on_each_platform(|platform| async move {
        let demo = demo().await;
        let (account, _) = account_and_customer(&demo, platform);
        let id = open_conversation(&demo, platform).await;
        demo.sandbox.inject(Fault::once(
            Target::SendFrom(account.clone()),
            FaultKind::DropAfterReceive,
        ));
        let (status, body) = reply(&demo, id, "did it go?").await;
        let name = platform.as_str();
        assert_eq!(status, 202, "{name}: {body}");
        let message = &body["message"];
        assert_eq!(message["status"], "ambiguous", "{name}");
        assert_eq!(
            message["error"]["graph"],
            Value::Null,
            "{name}: no answer came"
        );
        // One attempt, no retry, and it did go out.
        assert_eq!(reached(&demo, platform), (1, 1), "{name}");
        let row = message["id"].as_i64().unwrap();
        let (stored, _) = settled_reply(&demo, id, row).await;
        // WhatsApp's statuses name a wamid the reply never learnt: it stays ambiguous.
        // Messenger's and Instagram's read watermark covers every earlier outbound message
        // of the conversation, this one included: it went out, and was read.
        let settled = if platform == Platform::WhatsApp {
            "ambiguous"
        } else {
            "read"
        };
        assert_eq!(stored["status"], settled, "{name}: {stored}");
        assert_eq!(reached(&demo, platform), (1, 1), "{name}: still once");
        demo.shutdown().await;
    })
    .await;
}

/// The sandbox delivers the echo (Messenger, Instagram) and statuses of the message that
/// went out; the inbox should then show it once, not the ambiguous reply beside the echo.
#[tokio::test]
async fn the_echo_of_an_ambiguous_reply_does_not_show_it_twice() {
    on_each_platform(|platform| async move {
        if platform == Platform::WhatsApp {
            // Cloud API sends have no echo; their statuses name a wamid no row holds.
            return;
        }
        let demo = demo().await;
        let (account, _) = account_and_customer(&demo, platform);
        let id = open_conversation(&demo, platform).await;
        demo.sandbox.inject(Fault::once(
            Target::SendFrom(account.clone()),
            FaultKind::DropAfterReceive,
        ));
        let (_, body) = reply(&demo, id, "did it go?").await;
        let (_, messages) = settled_reply(&demo, id, body["message"]["id"].as_i64().unwrap()).await;
        let copies: Vec<&Value> = messages
            .iter()
            .filter(|m| m["text"] == "did it go?")
            .collect();
        assert_eq!(copies.len(), 1, "{}: {copies:?}", platform.as_str());
        demo.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_throttled_reply_fails_with_meta_s_code_and_wait_and_is_not_repeated() {
    on_each_platform(|platform| async move {
        let demo = demo().await;
        let (account, _) = account_and_customer(&demo, platform);
        let id = open_conversation(&demo, platform).await;
        let code = if platform == Platform::WhatsApp {
            80_007
        } else {
            613
        };
        demo.sandbox.inject(Fault::once(
            Target::SendFrom(account.clone()),
            FaultKind::Throttle {
                code,
                regain_minutes: 30,
            },
        ));
        let started = std::time::Instant::now();
        let (status, body) = reply(&demo, id, "too fast?").await;
        let name = platform.as_str();
        assert_eq!(status, 502, "{name}: {body}");
        let message = &body["message"];
        assert_eq!(message["status"], "failed", "{name}");
        assert_eq!(message["error"]["graph"]["code"], code, "{name}: {message}");
        assert_eq!(message["error"]["graph"]["retryable"], true, "{name}");
        // The usage header's 30 minutes, not a guess: the wait is longer than the server's
        // call deadline, so the send is not retried but handed back.
        let kind = message["error"]["kind"].as_str().unwrap_or_default();
        assert!(
            kind.starts_with("Throttled") && kind.contains("1800s"),
            "{name}: {kind}"
        );
        assert!(
            started.elapsed() < inbox_server::GRAPH_CALL_DEADLINE,
            "{name}: answered without waiting for the regain"
        );
        assert_eq!(reached(&demo, platform), (1, 0), "{name}");
        let (stored, _) = settled_reply(&demo, id, message["id"].as_i64().unwrap()).await;
        assert_eq!(stored["status"], "failed", "{name}");
        demo.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn an_expired_token_fails_the_reply_and_flags_the_account_on_every_platform() {
    on_each_platform(|platform| async move {
        let demo = demo().await;
        let (account, _) = account_and_customer(&demo, platform);
        let id = open_conversation(&demo, platform).await;
        demo.sandbox.inject(Fault::once(
            Target::SendFrom(account.clone()),
            FaultKind::ExpiredToken,
        ));
        let (status, body) = reply(&demo, id, "hello").await;
        let name = platform.as_str();
        assert_eq!(status, 502, "{name}: {body}");
        let message = &body["message"];
        assert_eq!(message["status"], "failed", "{name}");
        assert_eq!(message["error"]["graph"]["code"], 190, "{name}: {message}");
        assert_eq!(message["error"]["graph"]["error_subcode"], 463, "{name}");
        assert_eq!(message["error"]["kind"], "Unauthorized", "{name}");
        let (_, accounts) = api(&demo, reqwest::Method::GET, "/api/platforms/", None).await;
        let flagged = accounts["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["platform"] == name)
            .unwrap()["status"]
            .clone();
        assert_eq!(flagged, "needs_reauth", "{name}");
        // Nothing more is tried with the dead token.
        let (status, _) = reply(&demo, id, "again").await;
        assert_eq!(status, 409, "{name}");
        assert_eq!(reached(&demo, platform), (1, 0), "{name}");
        let (stored, _) = settled_reply(&demo, id, message["id"].as_i64().unwrap()).await;
        assert_eq!(stored["status"], "failed", "{name}");
        demo.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_throttled_account_does_not_slow_the_others() {
    futures_util::future::join_all([Platform::Messenger, Platform::WhatsApp].map(
        |throttled| async move {
            let demo = demo().await;
            let mut conversations = Vec::new();
            for platform in PLATFORMS {
                conversations.push((platform, open_conversation(&demo, platform).await));
            }
            let (account, _) = account_and_customer(&demo, throttled);
            let code = if throttled == Platform::WhatsApp {
                80_007
            } else {
                613
            };
            // At 100 % with half an hour to regain: Meta refuses every call of the account
            // until then.
            demo.sandbox.inject(Fault::times(
                Target::Account(account.clone()),
                FaultKind::Throttle {
                    code,
                    regain_minutes: 30,
                },
                1_000,
            ));
            let name = throttled.as_str();
            let own = conversations
                .iter()
                .find(|(p, _)| *p == throttled)
                .unwrap()
                .1;
            let (status, body) = reply(&demo, own, "first").await;
            assert_eq!(status, 502, "{name}: {body}");
            assert_eq!(body["message"]["error"]["graph"]["code"], code);

            // Now one more reply on each account at once.
            let answers = futures_util::future::join_all(
                conversations
                    .iter()
                    .map(|(_, id)| timed_reply(&demo, *id, "while throttled")),
            )
            .await;
            for ((platform, _), (answer, took)) in conversations.iter().zip(&answers) {
                let other = platform.as_str();
                // The figures, for `--nocapture`.
                eprintln!("{name} throttled: the {other} reply took {took:?}");
                let (status, body) = answer
                    .clone()
                    .unwrap_or_else(|| panic!("{name} throttled: the {other} reply hung {took:?}"));
                assert!(took < &PROMPT, "{name} throttled: {other} took {took:?}");
                if *platform == throttled {
                    // Refused at once, nothing stored or tried: Meta said 30 minutes.
                    assert_eq!(status, 429, "{name}: {body}");
                    assert_eq!(body["error"]["code"], "throttled", "{name}: {body}");
                    let wait = body["error"]["retry_after_seconds"].as_u64().unwrap();
                    assert!((1_790..=1_800).contains(&wait), "{name}: {wait}");
                } else {
                    assert_eq!(status, 201, "{name} throttled: {other}: {body}");
                    assert_eq!(reached(&demo, *platform), (1, 1), "{other}");
                }
            }
            // The throttled account's replies went no further than the first refusal, and
            // nothing was sent for it during the regain.
            tokio::time::sleep(Duration::from_millis(500)).await;
            assert_eq!(reached(&demo, throttled), (1, 0), "{name}");
            let messages = thread(&demo, own).await;
            let replies: Vec<&Value> = messages
                .iter()
                .filter(|m| m["direction"] == "outbound")
                .collect();
            assert_eq!(
                replies.len(),
                1,
                "{name}: only the refused first one: {replies:?}"
            );
            assert_eq!(replies[0]["status"], "failed");
            demo.shutdown().await;
        },
    ))
    .await;
}

/// Code 4 with `X-App-Usage` at 100 % and no regain time: Meta refused before acting, so
/// the SDK may retry the send within the server's call deadline; either way the reply is
/// answered within that deadline, and sent at most once.
async fn app_throttle(platform: Platform) {
    let demo = demo().await;
    let (account, _) = account_and_customer(&demo, platform);
    let id = open_conversation(&demo, platform).await;
    demo.sandbox.inject(Fault::once(
        Target::SendFrom(account.clone()),
        FaultKind::Throttle {
            code: 4,
            regain_minutes: 0,
        },
    ));
    let (answer, took) = timed_reply(&demo, id, "quick one").await;
    let name = platform.as_str();
    let (status, body) = answer.unwrap_or_else(|| panic!("{name}: the reply was held {took:?}"));
    assert!(took < inbox_server::GRAPH_CALL_DEADLINE, "{name}: {took:?}");
    // The refusal is retried once, after a short backoff, and the retry goes out.
    assert_eq!(status, 201, "{name}: {body}");
    assert_eq!(body["message"]["status"], "sent");
    assert_eq!(
        reached(&demo, platform),
        (2, 1),
        "{name}: refused, then sent once"
    );
    demo.shutdown().await;
}

#[tokio::test]
async fn an_app_throttle_without_a_regain_time_is_retried_and_sent_once() {
    app_throttle(Platform::WhatsApp).await;
}

/// The Messenger and Instagram clients pause their throttle for the SDK's default 60 s on a
/// throttling error without a regain time; a retry that could only go out after that pause
/// would end past the retry policy's deadline, so the reply is answered at once (failed with
/// Meta's code, sent never), not held, and the account is paused for the next one.
async fn app_throttle_paused(platform: Platform) {
    let demo = demo().await;
    let (account, _) = account_and_customer(&demo, platform);
    let id = open_conversation(&demo, platform).await;
    demo.sandbox.inject(Fault::once(
        Target::SendFrom(account.clone()),
        FaultKind::Throttle {
            code: 4,
            regain_minutes: 0,
        },
    ));
    let (answer, took) = timed_reply(&demo, id, "quick one").await;
    let name = platform.as_str();
    let (status, body) = answer.unwrap_or_else(|| panic!("{name}: the reply was held {took:?}"));
    assert!(took < inbox_server::GRAPH_CALL_DEADLINE, "{name}: {took:?}");
    assert_eq!(status, 502, "{name}: {body}");
    assert_eq!(body["message"]["status"], "failed");
    assert_eq!(
        body["message"]["error"]["graph"]["code"], 4,
        "{name}: {body}"
    );
    assert_eq!(
        reached(&demo, platform),
        (1, 0),
        "{name}: refused once, never sent"
    );
    let (status, body) = reply(&demo, id, "and another").await;
    assert_eq!(status, 429, "{name}: the account is paused: {body}");
    assert_eq!(
        reached(&demo, platform),
        (1, 0),
        "{name}: nothing more went out"
    );
    demo.shutdown().await;
}

#[tokio::test]
async fn an_app_throttle_on_messenger_and_instagram_is_answered_within_the_deadline() {
    futures_util::future::join_all(
        [Platform::Messenger, Platform::Instagram].map(app_throttle_paused),
    )
    .await;
}

/// A reply's throttling pauses the account's client; the next sync round must not wait that
/// pause out (the scheduler postpones by Meta's wait only the accounts its own calls saw
/// throttled), or every account's syncs stop behind it.
#[tokio::test]
async fn a_sync_round_does_not_wait_out_an_account_a_reply_saw_throttled() {
    let demo = demo().await;
    let messenger = open_conversation(&demo, Platform::Messenger).await;
    open_conversation(&demo, Platform::WhatsApp).await;
    let (page, _) = account_and_customer(&demo, Platform::Messenger);
    demo.sandbox.inject(Fault::times(
        Target::Account(page),
        FaultKind::Throttle {
            code: 613,
            regain_minutes: 30,
        },
        1_000,
    ));
    let (status, _) = reply(&demo, messenger, "first").await;
    assert_eq!(status, 502);
    let store = &demo.state.store;
    let owner = store.first_user_id().await.unwrap().unwrap();
    let accounts = store.accounts(owner).await.unwrap();
    for account in &accounts {
        store.request_sync(owner, account.id).await.unwrap();
    }
    let config = inbox_server::jobs::SyncConfig {
        holder: "sandbox-faults".to_owned(),
        ..inbox_server::jobs::SyncConfig::default()
    };
    let report = tokio::time::timeout(PROMPT, inbox_server::jobs::run_once(&demo.state, &config))
        .await
        .expect("the round ends without waiting for the regain")
        .unwrap();
    let id_of = |platform: &str| accounts.iter().find(|a| a.platform == platform).unwrap().id;
    assert_eq!(report.throttled, vec![id_of("messenger")], "{report:?}");
    assert!(report.synced.contains(&id_of("whatsapp")), "{report:?}");
    demo.shutdown().await;
}

#[tokio::test]
async fn one_person_s_pair_rate_limit_does_not_stop_the_number_replying_to_others() {
    let demo = demo().await;
    let customers = demo.sandbox.customers(Platform::WhatsApp);
    let (first, second) = (&customers[0].id, &customers[1].id);
    for customer in [first, second] {
        demo.sandbox
            .customer_writes(Platform::WhatsApp, Some(customer), "hi");
    }
    let to_first = conversation(&demo, "whatsapp", first).await;
    let to_second = conversation(&demo, "whatsapp", second).await;
    let (number, _) = account_and_customer(&demo, Platform::WhatsApp);
    // 131056 on every attempt the retry policy makes for the first person.
    demo.sandbox.inject(Fault::times(
        Target::SendFrom(number),
        FaultKind::Throttle {
            code: 131_056,
            regain_minutes: 0,
        },
        4,
    ));
    let (status, body) = reply(&demo, to_first, "one more thing").await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["message"]["error"]["graph"]["code"], 131_056);
    // The pair is limited, not the number: the other person's reply goes out at once.
    let (status, body) = reply(&demo, to_second, "your order ships today").await;
    assert_eq!(status, 201, "{body}");
    demo.shutdown().await;
}
