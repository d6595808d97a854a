//! The server against the local Graph sandbox where fixed replies are not enough: a send whose
//! connection drops after Meta acted is stored as ambiguous and not sent again; a throttled
//! send fails with Meta's error; duplicate and reordered deliveries end in one message with
//! its final status; an expired token flags the account for reconnection.

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
