//! `MessengerClient` against a mock Graph API: the exact path, query and body Meta documents
//! for every call, and each failure sorted into the kind a sender acts on. Every test mounts,
//! last, a catch-all that must never be hit.

use std::time::Duration;

use futures_util::{StreamExt as _, TryStreamExt as _};
use meta_graph::{
    AccessToken, DEFAULT_API_VERSION, GraphClient, PageId, RetryPolicy, ThrottlePolicy,
    UsageThrottle,
};
use metabiz_messenger::limits::LIMITS;
use metabiz_messenger::send::{
    Attachment, MediaKind, MessageTag, QuickReply, ReplyWindow, SendMessage, Sender, WindowClosed,
};
use metabiz_messenger::{
    AttachmentId, AttachmentUpload, ConversationId, ErrorKind, MessengerClient, PersonaId,
    PersonaUpdate, Psid, UserProfileField,
};
use serde_json::{Value, json};
use time::macros::datetime;
use wiremock::matchers::{
    any, body_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub(crate) const TOKEN: &str = "EAAGtestPageTokenMMM";
pub(crate) const PAGE_ID: &str = "106540352242922";
pub(crate) const PSID: &str = "6254119754622003";

pub(crate) fn api(rest: &str) -> String {
    format!("/{DEFAULT_API_VERSION}/{rest}")
}

pub(crate) fn graph_fixture(server: &MockServer, name: &str) -> String {
    let path = format!("{}/tests/graph/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .replace("{{BASE}}", &server.uri())
}

pub(crate) fn respond(server: &MockServer, status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(graph_fixture(server, name), "application/json")
}

pub(crate) fn authorized() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {TOKEN}").as_str())
}

pub(crate) async fn catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string("CATCH-ALL: unexpected request"))
        .with_priority(u8::MAX)
        .named("catch-all: unexpected request")
        .expect(0)
        .mount(server)
        .await;
}

pub(crate) fn client(server: &MockServer) -> MessengerClient {
    let graph = GraphClient::builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("client builds");
    // Short pauses, so that the throttling tests take no real time.
    let throttle = UsageThrottle::new(
        ThrottlePolicy::default()
            .slow_down_at(90, Duration::from_millis(1))
            .pause_at(100, Duration::from_millis(5)),
    );
    MessengerClient::new(graph, PageId::new(PAGE_ID), AccessToken::new(TOKEN))
        .with_throttle(throttle)
}

async fn expect_send(server: &MockServer, body: Value, response: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path(api(&format!("{PAGE_ID}/messages"))))
        .and(authorized())
        .and(body_json(body))
        .respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

fn text_body(text: &str) -> Value {
    json!({"recipient": {"id": PSID}, "messaging_type": "RESPONSE", "message": {"text": text}})
}

#[tokio::test]
async fn send_text_with_quick_replies_returns_the_mid() {
    let server = MockServer::start().await;
    expect_send(
        &server,
        json!({
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {"text": "¿Talla?", "quick_replies": [
                {"content_type": "text", "title": "M", "payload": "SIZE_M"}
            ]}
        }),
        respond(&server, 200, "send_response.json"),
        1,
    )
    .await;
    catch_all(&server).await;

    let message = SendMessage::text(PSID, "¿Talla?")
        .quick_replies([QuickReply::text("M", "SIZE_M")])
        .build(&LIMITS)
        .unwrap();
    let sent = client(&server).send(&message).await.unwrap();
    assert!(sent.mid.as_str().starts_with("m_AG5Hz2Uq7"));
    assert_eq!(sent.recipient_id, Some(Psid::new(PSID)));
    assert_eq!(sent.attachment_id, None);
}

#[tokio::test]
async fn a_reusable_attachment_comes_back_with_its_id() {
    let server = MockServer::start().await;
    expect_send(
        &server,
        json!({
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {"attachment": {"type": "image",
                "payload": {"url": "https://example.com/photo.jpg", "is_reusable": true}}}
        }),
        respond(&server, 200, "send_response_reusable.json"),
        1,
    )
    .await;
    catch_all(&server).await;
    let message = SendMessage::attachment(
        PSID,
        Attachment::reusable_url(MediaKind::Image, "https://example.com/photo.jpg"),
    )
    .build(&LIMITS)
    .unwrap();
    let sent = client(&server).send(&message).await.unwrap();
    assert_eq!(
        sent.attachment_id,
        Some(AttachmentId::new("1857777774821032"))
    );
}

#[tokio::test]
async fn the_window_policy_tags_a_late_human_reply_and_refuses_a_late_bot() {
    let server = MockServer::start().await;
    expect_send(
        &server,
        json!({"recipient": {"id": PSID}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
               "message": {"text": "Sorry for the wait"}}),
        respond(&server, 200, "send_response.json"),
        1,
    )
    .await;
    catch_all(&server).await;
    let client = client(&server);
    let window = ReplyWindow::new(Some(datetime!(2026-12-01 09:00 UTC)));
    let two_days_later = datetime!(2026-12-03 09:00 UTC);

    client
        .send_in_window(
            SendMessage::text(PSID, "Sorry for the wait"),
            &window,
            Sender::HumanAgent,
            two_days_later,
        )
        .await
        .unwrap();

    let refused = client
        .send_in_window(
            SendMessage::text(PSID, "Still there?"),
            &window,
            Sender::Automated,
            two_days_later,
        )
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::WindowClosed);
    assert_eq!(
        refused.window_closed(),
        Some(&WindowClosed::StandardWindowClosed {
            closed_at: datetime!(2026-12-02 09:00 UTC)
        })
    );
}

#[tokio::test]
async fn meta_s_outside_window_error_is_typed() {
    let server = MockServer::start().await;
    expect_send(
        &server,
        text_body("late"),
        respond(&server, 400, "error_outside_window.json"),
        1,
    )
    .await;
    catch_all(&server).await;
    let message = SendMessage::text(PSID, "late").build(&LIMITS).unwrap();
    let error = client(&server).send(&message).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutsideWindow);
    let api = error
        .graph()
        .and_then(meta_graph::Error::api_error)
        .unwrap();
    assert_eq!((api.code(), api.error_subcode()), (10, Some(2_018_278)));
}

#[tokio::test]
async fn a_server_error_on_send_is_ambiguous_and_never_repeated() {
    let server = MockServer::start().await;
    // The retry policy allows 2 attempts; `.expect(1)` proves the send went once.
    expect_send(
        &server,
        text_body("once"),
        respond(&server, 500, "error_service.json"),
        1,
    )
    .await;
    catch_all(&server).await;
    let message = SendMessage::text(PSID, "once").build(&LIMITS).unwrap();
    let error = client(&server).send(&message).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Ambiguous);
}

#[tokio::test]
async fn a_rate_limited_send_is_throttled_and_retried_because_meta_did_not_act() {
    let server = MockServer::start().await;
    // Both attempts throttled: the caller gets the typed error after the second.
    expect_send(
        &server,
        text_body("busy"),
        respond(&server, 400, "error_rate_limit.json"),
        2,
    )
    .await;
    catch_all(&server).await;
    let message = SendMessage::text(PSID, "busy").build(&LIMITS).unwrap();
    let error = client(&server).send(&message).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Throttled { .. }));
}

#[tokio::test]
async fn sender_actions_mark_seen_and_typing() {
    let server = MockServer::start().await;
    for action in ["mark_seen", "typing_on", "typing_off"] {
        expect_send(
            &server,
            json!({"recipient": {"id": PSID}, "sender_action": action}),
            respond(&server, 200, "sender_action_response.json"),
            1,
        )
        .await;
    }
    catch_all(&server).await;
    let client = client(&server);
    let psid = Psid::new(PSID);
    client.mark_seen(&psid).await.unwrap();
    client.typing(&psid, true).await.unwrap();
    client.typing(&psid, false).await.unwrap();
}

#[tokio::test]
async fn upload_an_attachment_by_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api(&format!("{PAGE_ID}/message_attachments"))))
        .and(authorized())
        .and(body_json(
            json!({"message": {"attachment": {"type": "video",
            "payload": {"url": "https://example.com/clip.mp4", "is_reusable": true}}}}),
        ))
        .respond_with(respond(&server, 200, "attachment_uploaded.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let upload = AttachmentUpload::url(MediaKind::Video, "https://example.com/clip.mp4").unwrap();
    let id = client(&server).upload_attachment(&upload).await.unwrap();
    assert_eq!(id, AttachmentId::new("1857777774821032"));
    assert_eq!(
        AttachmentUpload::url(MediaKind::Video, "file:///etc/passwd")
            .unwrap_err()
            .kind(),
        ErrorKind::Validation
    );
}

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
];

fn is_documented_file_upload(request: &Request) -> bool {
    let text = String::from_utf8_lossy(&request.body);
    let marker = "Content-Disposition: form-data; name=\"message\"\r\n\r\n";
    let message_ok = text.find(marker).is_some_and(|at| {
        let rest = &text[at + marker.len()..];
        let end = rest.find("\r\n--").unwrap_or(rest.len());
        serde_json::from_str::<Value>(&rest[..end]).ok()
            == Some(json!({"attachment": {"type": "image", "payload": {"is_reusable": true}}}))
    });
    let file = "Content-Disposition: form-data; name=\"filedata\"; filename=\"logo.png\"\r\n\
                Content-Type: image/png\r\n\r\n";
    let file_ok = text.find(file).is_some_and(|at| {
        let start = at + file.len();
        request.body.get(start..start + PNG.len()) == Some(PNG)
    });
    message_ok && file_ok
}

#[tokio::test]
async fn upload_an_attachment_from_a_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api(&format!("{PAGE_ID}/message_attachments"))))
        .and(authorized())
        .and(is_documented_file_upload)
        .respond_with(respond(&server, 200, "attachment_uploaded.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let dir = std::env::temp_dir().join(format!("metabiz-messenger-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("logo.png");
    std::fs::write(&file, PNG).unwrap();

    let upload = AttachmentUpload::file(MediaKind::Image, &file, "image/png")
        .await
        .unwrap();
    client(&server).upload_attachment(&upload).await.unwrap();

    let missing = AttachmentUpload::file(MediaKind::Image, dir.join("nope.png"), "image/png")
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::Io);
    let empty = AttachmentUpload::bytes(MediaKind::File, Vec::new(), "application/pdf", "a.pdf")
        .unwrap_err();
    assert_eq!(empty.kind(), ErrorKind::Validation);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn personas_create_list_send_as_and_delete() {
    let server = MockServer::start().await;
    let personas = api(&format!("{PAGE_ID}/personas"));
    Mock::given(method("POST"))
        .and(path(personas.clone()))
        .and(authorized())
        .and(body_json(json!({"name": "Ana (Support)",
                               "profile_picture_url": "https://example.com/ana.png"})))
        .respond_with(respond(&server, 200, "persona_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(personas))
        .and(authorized())
        .respond_with(respond(&server, 200, "personas.json"))
        .expect(1)
        .mount(&server)
        .await;
    expect_send(
        &server,
        json!({"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
               "message": {"text": "Hi, Ana here"}, "persona_id": "1923432171306125"}),
        respond(&server, 200, "send_response.json"),
        1,
    )
    .await;
    Mock::given(method("DELETE"))
        .and(path(api("1923432171306125")))
        .and(authorized())
        .respond_with(respond(&server, 200, "success.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = client(&server);

    let id = client
        .create_persona(
            &PersonaUpdate::new("Ana (Support)", "https://example.com/ana.png").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(id, PersonaId::new("1923432171306125"));
    let all: Vec<_> = client.personas().try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].name.as_deref(), Some("Jürgen"));
    let message = SendMessage::text(PSID, "Hi, Ana here")
        .persona(id.as_str())
        .build(&LIMITS)
        .unwrap();
    client.send(&message).await.unwrap();
    client.delete_persona(&id).await.unwrap();
    assert_eq!(
        PersonaUpdate::new(" ", "https://example.com/a.png")
            .unwrap_err()
            .kind(),
        ErrorKind::Validation
    );
}

async fn mount_conversations(server: &MockServer, second_page: u64) {
    let conversations = api(&format!("{PAGE_ID}/conversations"));
    Mock::given(method("GET"))
        .and(path(conversations.clone()))
        .and(query_param("platform", "messenger"))
        .and(query_param(
            "fields",
            "id,updated_time,participants,message_count,unread_count,snippet",
        ))
        .and(query_param_is_missing("after"))
        .and(authorized())
        .respond_with(respond(server, 200, "conversations_page1.json"))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(conversations))
        .and(query_param("platform", "messenger"))
        .and(query_param("after", "QVFIUkNn"))
        .and(authorized())
        .respond_with(respond(server, 200, "conversations_page2.json"))
        .expect(second_page)
        .mount(server)
        .await;
    catch_all(server).await;
}

#[tokio::test]
async fn conversations_stream_every_page() {
    let server = MockServer::start().await;
    mount_conversations(&server, 1).await;
    let all: Vec<_> = client(&server).conversations().try_collect().await.unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "t_10161225367741234",
            "t_10161225367745678",
            "t_10161225367749999"
        ]
    );
    assert_eq!(all[0].snippet.as_deref(), Some("¿Tienen envío gratis?"));
    assert_eq!(all[0].unread_count, Some(2));
    let users: Vec<_> = all[0].counterparts(PAGE_ID).collect();
    assert_eq!(users[0].id, PSID);
}

#[tokio::test]
async fn an_incremental_fetch_stops_at_the_first_older_conversation() {
    let server = MockServer::start().await;
    // Page 2 must not be fetched: page 1 already reaches back past `since`.
    mount_conversations(&server, 0).await;
    let since = datetime!(2026-11-30 00:00 UTC);
    let recent: Vec<_> = client(&server)
        .conversations_updated_since(since)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].id, "t_10161225367741234");
}

#[tokio::test]
async fn messages_of_a_conversation_with_their_fields() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api("t_10161225367741234/messages")))
        .and(query_param(
            "fields",
            "id,created_time,from,to,message,attachments,sticker,shares",
        ))
        .and(authorized())
        .respond_with(respond(&server, 200, "messages.json"))
        .expect(2)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = client(&server);
    let conversation = ConversationId::new("t_10161225367741234");

    let all: Vec<_> = client.messages(&conversation).try_collect().await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].text(), Some("¿Tienen envío gratis?"));
    assert_eq!(all[1].text(), None);
    assert_eq!(all[1].attachment_list()[0].size, Some(53_271));

    let since: Vec<_> = client
        .messages_since(&conversation, datetime!(2026-11-30 00:00 UTC))
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(since.len(), 2);
}

#[tokio::test]
async fn user_profile_and_the_typed_error_without_consent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api(PSID)))
        .and(query_param("fields", "first_name,last_name,profile_pic"))
        .and(authorized())
        .respond_with(respond(&server, 200, "user_profile.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api("7111222333444555")))
        .respond_with(respond(&server, 400, "error_no_profile.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = client(&server);

    let profile = client
        .user_profile(&Psid::new(PSID), &UserProfileField::DEFAULT)
        .await
        .unwrap();
    assert_eq!(profile.display_name().as_deref(), Some("Sheena Nelson"));
    assert!(profile.profile_pic.unwrap().starts_with("https://"));

    let error = client
        .user_profile(&Psid::new("7111222333444555"), &UserProfileField::DEFAULT)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ProfileUnavailable);
}

#[tokio::test]
async fn a_page_at_its_limit_is_paused_not_hammered() {
    let server = MockServer::start().await;
    expect_send(
        &server,
        text_body("one"),
        respond(&server, 200, "send_response.json").insert_header(
            "x-page-usage",
            r#"{"call_count":100,"total_cputime":10,"total_time":10}"#,
        ),
        1,
    )
    .await;
    expect_send(
        &server,
        text_body("two"),
        respond(&server, 200, "send_response.json"),
        1,
    )
    .await;
    catch_all(&server).await;
    let throttle =
        UsageThrottle::new(ThrottlePolicy::default().pause_at(100, Duration::from_millis(300)));
    let client = client(&server).with_throttle(throttle.clone());
    let other_page = client.clone().with_throttle(UsageThrottle::default());

    let start = std::time::Instant::now();
    client
        .send(&SendMessage::text(PSID, "one").build(&LIMITS).unwrap())
        .await
        .unwrap();
    assert!(throttle.paused_until().is_some());
    // Another Page's client is not held up by this Page's pause.
    let before_other = std::time::Instant::now();
    assert!(other_page.throttle().paused_until().is_none());
    client
        .send(&SendMessage::text(PSID, "two").build(&LIMITS).unwrap())
        .await
        .unwrap();
    assert!(start.elapsed() >= Duration::from_millis(290));
    assert!(before_other.elapsed() >= Duration::from_millis(250));
}

#[test]
fn debug_shows_the_page_not_the_token() {
    let graph = GraphClient::builder().build().unwrap();
    let client = MessengerClient::new(graph, PageId::new(PAGE_ID), AccessToken::new(TOKEN));
    let shown = format!("{client:?}");
    assert!(shown.contains(PAGE_ID));
    assert!(!shown.contains(TOKEN));
    // A tag can be chosen freely too.
    let tagged = SendMessage::text(PSID, "Your order shipped")
        .tag(MessageTag::PostPurchaseUpdate)
        .build(&LIMITS)
        .unwrap();
    assert_eq!(
        serde_json::to_value(tagged).unwrap()["tag"],
        "POST_PURCHASE_UPDATE"
    );
}

#[tokio::test]
async fn the_page_subscribes_the_app_to_the_inbox_fields_and_lists_them() {
    use metabiz_messenger::PageWebhookField;
    let server = MockServer::start().await;
    let subscribed = api(&format!("{PAGE_ID}/subscribed_apps"));
    Mock::given(method("POST"))
        .and(path(subscribed.clone()))
        .and(authorized())
        .and(query_param(
            "subscribed_fields",
            "messages,message_echoes,message_deliveries,message_reads,message_reactions,messaging_postbacks",
        ))
        .respond_with(respond(&server, 200, "success.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(subscribed))
        .and(authorized())
        .respond_with(respond(&server, 200, "subscribed_apps.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = client(&server);

    client
        .subscribe_app(&PageWebhookField::INBOX)
        .await
        .unwrap();
    let apps = client.subscribed_apps().await.unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].id, "1498275983754011");
    assert!(
        PageWebhookField::INBOX
            .iter()
            .all(|field| apps[0].subscribed_fields.contains(field))
    );
    // A field this version does not name keeps its value.
    assert_eq!(
        apps[0].subscribed_fields.last().unwrap().as_str(),
        "messaging_customer_information"
    );
    // No fields: refused before any request.
    assert_eq!(
        client.subscribe_app(&[]).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
}

#[tokio::test]
async fn subscribing_without_pages_manage_metadata_is_a_permission_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api(&format!("{PAGE_ID}/subscribed_apps"))))
        .respond_with(respond(&server, 403, "error_manage_metadata.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let error = client(&server)
        .subscribe_app(&[metabiz_messenger::PageWebhookField::Messages])
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::PermissionDenied);
    let api_error = error.graph().and_then(|g| g.api_error()).unwrap();
    assert_eq!(api_error.code(), 200);
}
