//! The SDK against the local Graph sandbox: what a wiremock reply cannot show. Messages sent
//! through the SDK come back as signed status webhooks; the history APIs list what was said;
//! the Facebook Login flow runs end to end; and injected faults surface as the SDK's typed
//! errors, with a dropped connection reported as ambiguous and never sent twice.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::post;
use futures_util::TryStreamExt as _;
use messaging_core::{ErrorKind, EventKind, Platform as _, UserId};
use meta_graph::{AccessToken, AppId, AppSecret, GraphClient, PageId, RetryPolicy};
use metabiz_sandbox::{DeliveryFaults, Fault, FaultKind, Platform, Sandbox, SandboxConfig, Target};
use metabiz_webhook_verify::SignatureVerifier;
use tokio::sync::mpsc;

type Received = mpsc::UnboundedSender<(String, Vec<u8>)>;

/// A webhook receiver on a local port: every verified body, with its platform.
async fn receiver(sandbox: &Sandbox) -> mpsc::UnboundedReceiver<(String, Vec<u8>)> {
    let (sender, received) = mpsc::unbounded_channel();
    let verifier = SignatureVerifier::new(&AppSecret::new(sandbox.app_secret()));
    let app = Router::new()
        .route(
            "/hook/{platform}",
            post(
                |State((sender, verifier)): State<(Received, SignatureVerifier)>,
                 Path(platform): Path<String>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let signature = headers
                        .get("x-hub-signature-256")
                        .map(axum::http::HeaderValue::as_bytes);
                    verifier
                        .verify(signature, None, &body)
                        .expect("the sandbox signs with the app secret");
                    let _ = sender.send((platform, body.to_vec()));
                    "EVENT_RECEIVED"
                },
            ),
        )
        .with_state((sender, verifier));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    for platform in [Platform::WhatsApp, Platform::Messenger, Platform::Instagram] {
        sandbox.set_webhook(
            platform,
            &format!("http://{addr}/hook/{}", platform.as_str()),
        );
    }
    received
}

async fn next_events(
    received: &mut mpsc::UnboundedReceiver<(String, Vec<u8>)>,
) -> Vec<messaging_core::WebhookEvent> {
    let (platform, body) = tokio::time::timeout(Duration::from_secs(5), received.recv())
        .await
        .expect("a webhook in time")
        .unwrap();
    match platform.as_str() {
        "whatsapp" => metabiz_whatsapp::webhook::parse_events(&body).unwrap(),
        "messenger" => metabiz_messenger::webhook::parse_events(&body).unwrap(),
        _ => metabiz_instagram::webhook::parse_events(&body).unwrap(),
    }
}

fn graph(sandbox: &Sandbox) -> GraphClient {
    GraphClient::builder()
        .base_url(sandbox.url())
        .dialog_base_url(sandbox.url())
        .app_secret(AppSecret::new(sandbox.app_secret()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn whatsapp(sandbox: &Sandbox) -> metabiz_whatsapp::WhatsAppClient {
    let accounts = sandbox.accounts();
    metabiz_whatsapp::WhatsAppClient::new(
        graph(sandbox),
        metabiz_whatsapp::PhoneNumberId::new(accounts.phone_number_id.as_str()),
        AccessToken::new(accounts.whatsapp_token.as_str()),
    )
}

#[tokio::test]
async fn a_whatsapp_reply_comes_back_as_sent_delivered_read_webhooks() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let mut received = receiver(&sandbox).await;
    let customer = sandbox.customers(Platform::WhatsApp)[0].clone();
    let inbound = sandbox.customer_writes(Platform::WhatsApp, None, "Is the shop open?");
    let events = next_events(&mut received).await;
    assert_eq!(events[0].kind, EventKind::Message);
    assert_eq!(events[0].message_id.as_deref(), Some(inbound.as_str()));
    assert_eq!(events[0].text.as_deref(), Some("Is the shop open?"));

    let client = whatsapp(&sandbox);
    let sent = client
        .send_text(&UserId::new(customer.id.as_str()), "Yes, until 6 pm.")
        .await
        .unwrap();
    let mut statuses = Vec::new();
    while statuses.len() < 3 {
        for event in next_events(&mut received).await {
            assert_eq!(event.message_id.as_deref(), Some(sent.message_id.as_str()));
            statuses.push(event.status.unwrap().as_str());
        }
    }
    assert_eq!(statuses, ["sent", "delivered", "read"]);
    // Outside the window a free-form message is refused as WhatsApp does.
    let stranger = client
        .send_text(&UserId::new("19995550000"), "hello?")
        .await
        .unwrap_err();
    assert!(
        matches!(stranger.kind(), ErrorKind::OutsideWindow),
        "{stranger:?}"
    );
}

#[tokio::test]
async fn a_dropped_connection_after_the_send_is_ambiguous_and_not_repeated() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let customer = sandbox.customers(Platform::WhatsApp)[0].id.clone();
    sandbox.customer_writes(Platform::WhatsApp, Some(&customer), "hi");
    // The default retry policy, which retries what is safe to retry.
    let accounts = sandbox.accounts();
    let client = metabiz_whatsapp::WhatsAppClient::new(
        GraphClient::builder()
            .base_url(sandbox.url())
            .app_secret(AppSecret::new(sandbox.app_secret()))
            .build()
            .unwrap(),
        metabiz_whatsapp::PhoneNumberId::new(accounts.phone_number_id.as_str()),
        AccessToken::new(accounts.whatsapp_token.as_str()),
    );
    sandbox.inject(Fault::once(Target::Send, FaultKind::DropAfterReceive));
    let error = client
        .send_text(&UserId::new(customer.as_str()), "did this go out?")
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Ambiguous), "{error:?}");
    let sends = sandbox.sends();
    assert_eq!(sends.len(), 1, "sent exactly once: {sends:?}");
    assert!(sends[0].message_id.is_some(), "and it did go out");

    // A 5xx on a send is ambiguous too (Meta may have acted), also not retried.
    sandbox.inject(Fault::once(Target::Send, FaultKind::ServerError));
    let error = client
        .send_text(&UserId::new(customer.as_str()), "again?")
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Ambiguous), "{error:?}");
    assert_eq!(sandbox.sends().len(), 1);
}

#[tokio::test]
async fn throttling_and_expired_tokens_come_back_typed() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let customer = sandbox.customers(Platform::WhatsApp)[0].id.clone();
    sandbox.customer_writes(Platform::WhatsApp, Some(&customer), "hi");
    let client = whatsapp(&sandbox);
    sandbox.inject(Fault::once(
        Target::Send,
        FaultKind::Throttle {
            code: 130_429,
            regain_minutes: 2,
        },
    ));
    let error = client
        .send_text(&UserId::new(customer.as_str()), "one")
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Throttled { .. }),
        "{error:?}"
    );
    sandbox.inject(Fault::once(Target::Any, FaultKind::ExpiredToken));
    let error = client
        .send_text(&UserId::new(customer.as_str()), "two")
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Unauthorized), "{error:?}");
    // The faults are used up: the next send goes through.
    client
        .send_text(&UserId::new(customer.as_str()), "three")
        .await
        .unwrap();
    assert_eq!(sandbox.sends().len(), 1);
}

#[tokio::test]
async fn facebook_login_then_messenger_history_and_echoes() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let mut received = receiver(&sandbox).await;
    let graph = graph(&sandbox);
    let oauth = graph.oauth();
    let app = AppId::new(sandbox.app_id());
    let secret = AppSecret::new(sandbox.app_secret());
    let state = meta_graph::oauth::OAuthState::generate();
    let redirect = "https://inbox.example.com/api/platforms/callback";
    let url = oauth
        .login_url(&app, redirect, &state, ["pages_messaging"])
        .unwrap();
    // The dialog approves at once and redirects with a code and the state.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answer = http.get(url.as_str()).send().await.unwrap();
    assert_eq!(answer.status(), 302);
    let location = url::Url::parse(answer.headers()["location"].to_str().unwrap()).unwrap();
    let query: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert!(state.matches(&query["state"]));
    let short = oauth
        .exchange_code(&app, &secret, redirect, &query["code"])
        .await
        .unwrap();
    // A code is single use.
    assert!(
        oauth
            .exchange_code(&app, &secret, redirect, &query["code"])
            .await
            .is_err()
    );
    let long = oauth
        .exchange_for_long_lived(&app, &secret, &short.access_token)
        .await
        .unwrap();
    assert!(long.expires_in.unwrap() > Duration::from_secs(50 * 86_400));
    let pages: Vec<_> = oauth.pages(&long.access_token).try_collect().await.unwrap();
    let page = &pages[0];
    let page_token = page.access_token.clone().unwrap();
    let instagram = oauth
        .instagram_business_account(&page.id, &page_token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(instagram.id.as_str(), sandbox.accounts().instagram_id);

    let messenger = metabiz_messenger::MessengerClient::new(
        graph.clone(),
        PageId::new(page.id.as_str()),
        page_token,
    );
    let customer = sandbox.customers(Platform::Messenger)[0].id.clone();
    sandbox.customer_writes(
        Platform::Messenger,
        Some(&customer),
        "Do you have oat milk?",
    );
    assert_eq!(next_events(&mut received).await[0].kind, EventKind::Message);
    let sent = messenger
        .send_text(&UserId::new(customer.as_str()), "We do!")
        .await
        .unwrap();
    // The echo, a delivery and a read follow, in that order.
    let kinds: Vec<EventKind> = [
        next_events(&mut received).await,
        next_events(&mut received).await,
        next_events(&mut received).await,
    ]
    .into_iter()
    .map(|events| events[0].kind)
    .collect();
    assert_eq!(
        kinds,
        [EventKind::Echo, EventKind::Delivery, EventKind::Read]
    );
    // The Conversations API lists both messages, newest first.
    let platform: &dyn messaging_core::Platform = &messenger;
    let conversations = platform.conversations(None).await.unwrap();
    let thread = &conversations.items[0];
    let messages = platform.messages(&thread.id, None).await.unwrap();
    let ids: Vec<&str> = messages.items.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids[0], sent.message_id.as_str());
    assert_eq!(
        messages.items[1].text.as_deref(),
        Some("Do you have oat milk?")
    );
    let profile = platform
        .user_profile(&UserId::new(customer.as_str()))
        .await
        .unwrap();
    assert!(profile.name.is_some());
}

#[tokio::test]
async fn deliveries_can_be_duplicated_like_meta_does() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let mut received = receiver(&sandbox).await;
    sandbox.set_delivery_faults(DeliveryFaults {
        duplicates: 2,
        reverse_statuses: false,
    });
    let id = sandbox.customer_writes(Platform::Instagram, None, "hey");
    for _ in 0..3 {
        let events = next_events(&mut received).await;
        assert_eq!(events[0].message_id.as_deref(), Some(id.as_str()));
    }
}

#[tokio::test]
async fn reactions_images_and_batches_arrive_in_metas_shapes() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let mut received = receiver(&sandbox).await;

    // An image on WhatsApp: its media downloads through the SDK, size and hash checked.
    let id = sandbox.customer_sends_image(Platform::WhatsApp, None, "our new cups");
    let events = next_events(&mut received).await;
    assert_eq!(events[0].message_id.as_deref(), Some(id.as_str()));
    let attachment = &events[0].attachments[0];
    let media = attachment.media_id.clone().expect("a media id");
    let downloaded = whatsapp(&sandbox)
        .download_media_by_id(&metabiz_whatsapp::MediaId::new(media.as_str()))
        .await
        .unwrap();
    assert!(downloaded.data.starts_with(b"\x89PNG"));

    // A reaction to it, on each platform's shape.
    sandbox.customer_reacts(Platform::WhatsApp, None, &id, "\u{1f44d}");
    let events = next_events(&mut received).await;
    assert_eq!(events[0].kind, EventKind::Reaction);
    assert_eq!(events[0].reaction.as_deref(), Some("\u{1f44d}"));
    let mid = sandbox.customer_sends_image(Platform::Instagram, None, "look");
    assert!(!next_events(&mut received).await[0].attachments.is_empty());
    sandbox.customer_reacts(Platform::Instagram, None, &mid, "");
    let events = next_events(&mut received).await;
    assert_eq!(events[0].kind, EventKind::Reaction);

    // A batch of 100 in one body, every item an event.
    let ids = sandbox.customer_batch(Platform::Messenger, 100);
    let events = next_events(&mut received).await;
    assert_eq!(events.len(), 100);
    let got: Vec<&str> = events
        .iter()
        .filter_map(|e| e.message_id.as_deref())
        .collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());
}
