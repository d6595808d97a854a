//! Webhook bodies in Meta's shapes, signed with the app secret and delivered like Meta does:
//! at least once, retried until the receiver answers 2xx.

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::mpsc;

use crate::world::{Customer, Platform, World};

/// The header Meta signs webhook bodies in.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// `sha256=<hex HMAC-SHA256 of body under secret>`.
///
/// # Panics
///
/// Never: HMAC takes keys of any length.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

pub(crate) struct Delivery {
    pub(crate) platform: Platform,
    pub(crate) body: Vec<u8>,
}

pub(crate) fn whatsapp_envelope(world: &World, value: &Value) -> Value {
    json!({"object": "whatsapp_business_account", "entry": [{"id": world.accounts.waba_id, "changes": [{
        "field": "messages",
        "value": value,
    }]}]})
}

pub(crate) fn whatsapp_metadata(world: &World) -> Value {
    json!({
        "display_phone_number": world.accounts.display_phone_number.replace(['+', ' ', '-'], ""),
        "phone_number_id": world.accounts.phone_number_id,
    })
}

pub(crate) fn whatsapp_message(
    world: &World,
    customer: &Customer,
    id: &str,
    text: &str,
    at_ms: i64,
) -> Value {
    whatsapp_envelope(
        world,
        &json!({
            "messaging_product": "whatsapp",
            "metadata": whatsapp_metadata(world),
            "contacts": [{"profile": {"name": customer.name}, "wa_id": customer.id}],
            "messages": [{"from": customer.id, "id": id, "timestamp": (at_ms / 1000).to_string(), "type": "text", "text": {"body": text}}],
        }),
    )
}

pub(crate) fn whatsapp_reaction(
    world: &World,
    customer: &str,
    name: &str,
    message_id: &str,
    emoji: &str,
    at_ms: i64,
) -> Value {
    let id = format!("wamid.reaction{at_ms}");
    whatsapp_envelope(
        world,
        &json!({
            "messaging_product": "whatsapp",
            "metadata": whatsapp_metadata(world),
            "contacts": [{"profile": {"name": name}, "wa_id": customer}],
            "messages": [{"from": customer, "id": id, "timestamp": (at_ms / 1000).to_string(), "type": "reaction",
                          "reaction": {"message_id": message_id, "emoji": emoji}}],
        }),
    )
}

pub(crate) fn whatsapp_status(
    world: &World,
    to: &str,
    id: &str,
    status: &str,
    at_ms: i64,
) -> Value {
    let mut item = json!({"id": id, "status": status, "timestamp": (at_ms / 1000).to_string(), "recipient_id": to});
    if status != "read" {
        item["conversation"] =
            json!({"id": format!("CONVERSATION_{to}"), "origin": {"type": "service"}});
        item["pricing"] = json!({"billable": false, "pricing_model": "PMP", "category": "service", "type": "free_customer_service"});
    }
    whatsapp_envelope(
        world,
        &json!({
            "messaging_product": "whatsapp",
            "metadata": whatsapp_metadata(world),
            "statuses": [item],
        }),
    )
}

/// A `page` or `instagram` body with one messaging item.
pub(crate) fn messaging(world: &World, platform: Platform, item: &Value, at_ms: i64) -> Value {
    let (object, entry) = match platform {
        Platform::Instagram => ("instagram", world.accounts.instagram_id.clone()),
        _ => ("page", world.accounts.page_id.clone()),
    };
    json!({"object": object, "entry": [{"id": entry, "time": at_ms, "messaging": [item]}]})
}

pub(crate) fn inbound_item(
    account: &str,
    customer: &str,
    id: &str,
    text: &str,
    at_ms: i64,
) -> Value {
    json!({"sender": {"id": customer}, "recipient": {"id": account}, "timestamp": at_ms,
           "message": {"mid": id, "text": text}})
}

pub(crate) fn echo_item(
    world: &World,
    account: &str,
    customer: &str,
    id: &str,
    text: &str,
    at_ms: i64,
) -> Value {
    json!({"sender": {"id": account}, "recipient": {"id": customer}, "timestamp": at_ms,
           "message": {"mid": id, "text": text, "is_echo": true, "app_id": world.app_id.parse::<u64>().unwrap_or(0)}})
}

pub(crate) fn delivery_item(account: &str, customer: &str, id: &str, at_ms: i64) -> Value {
    json!({"sender": {"id": customer}, "recipient": {"id": account}, "timestamp": at_ms,
           "delivery": {"mids": [id], "watermark": at_ms}})
}

pub(crate) fn read_item(account: &str, customer: &str, at_ms: i64) -> Value {
    json!({"sender": {"id": customer}, "recipient": {"id": account}, "timestamp": at_ms,
           "read": {"watermark": at_ms}})
}

/// Delivers queued bodies in order, each until the receiver takes it.
pub(crate) async fn deliver_forever(
    shared: std::sync::Weak<crate::Shared>,
    mut queue: mpsc::UnboundedReceiver<Delivery>,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a plain HTTP client");
    while let Some(delivery) = queue.recv().await {
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let (url, secret, copies) = {
            let world = shared.lock();
            (
                world.webhooks.get(&delivery.platform).cloned(),
                world.app_secret.clone(),
                1 + world.delivery_faults.duplicates,
            )
        };
        let Some(url) = url else {
            tracing::debug!(
                platform = delivery.platform.as_str(),
                "no webhook target: dropped"
            );
            continue;
        };
        let signature = sign(&secret, &delivery.body);
        for _ in 0..copies {
            let mut wait = Duration::from_millis(100);
            for attempt in 1..=30 {
                let result = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header(SIGNATURE_HEADER, &signature)
                    .body(delivery.body.clone())
                    .send()
                    .await;
                match result {
                    Ok(response) if response.status().is_success() => break,
                    Ok(response) => {
                        tracing::debug!(attempt, status = %response.status(), "webhook refused; retrying");
                    }
                    Err(error) => {
                        tracing::debug!(attempt, %error, "webhook not delivered; retrying");
                    }
                }
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
        }
    }
}
