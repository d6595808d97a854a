//! `InstagramClient` on both login paths against mock Graph hosts: the same calls go to the
//! Page on `graph.facebook.com` with a Page token, or to the account on `graph.instagram.com`
//! with an Instagram user token. Every test mounts a catch-all that must never be hit.

use std::time::Duration;

use futures_util::TryStreamExt as _;
use meta_graph::{
    AccessToken, DEFAULT_API_VERSION, GraphClient, PageId, RetryPolicy, ThrottlePolicy,
    UsageThrottle,
};
use metabiz_instagram::limits::LIMITS;
use metabiz_instagram::send::{
    GenericElement, QuickReply, Recipient, ReplyWindow, SendMessage, Sender, Template,
};
use metabiz_instagram::{
    ErrorKind, IceBreaker, Igsid, InstagramAccountId, InstagramClient, LoginPath, MenuItem, Mid,
    PersistentMenu, UserProfileField,
};
use serde_json::{Value, json};
use time::macros::datetime;
use wiremock::matchers::{any, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(crate) const PAGE_ID: &str = "106540352242922";
pub(crate) const ACCOUNT: &str = "17841400000000000";
pub(crate) const IGSID: &str = "1254477777772919";
pub(crate) const PAGE_TOKEN: &str = "EAAGtestPageTokenIG";
pub(crate) const USER_TOKEN: &str = "IGAAtestUserToken";

pub(crate) fn api(rest: &str) -> String {
    format!("/{DEFAULT_API_VERSION}/{rest}")
}

pub(crate) fn respond(status: u16, name: &str) -> ResponseTemplate {
    let path = format!("{}/tests/graph/{name}", env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
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

fn graph(server: &MockServer) -> GraphClient {
    GraphClient::builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn quick_throttle() -> UsageThrottle {
    UsageThrottle::new(ThrottlePolicy::default().pause_at(100, Duration::from_millis(5)))
}

/// The client for the Facebook Login path (Page node, Page token).
pub(crate) fn facebook(server: &MockServer) -> InstagramClient {
    InstagramClient::facebook_login(
        graph(server),
        PageId::new(PAGE_ID),
        InstagramAccountId::new(ACCOUNT),
        AccessToken::new(PAGE_TOKEN),
    )
    .with_throttle(quick_throttle())
}

/// The client for the Instagram Login path (account node, Instagram user token).
pub(crate) fn instagram(server: &MockServer) -> InstagramClient {
    InstagramClient::instagram_login(
        graph(server),
        InstagramAccountId::new(ACCOUNT),
        AccessToken::new(USER_TOKEN),
    )
    .with_throttle(quick_throttle())
}

/// Mounts `POST /{node}/messages` with `token` and `body`, answered with `response`.
async fn expect_message(
    server: &MockServer,
    node: &str,
    token: &str,
    body: Value,
    response: ResponseTemplate,
) {
    Mock::given(method("POST"))
        .and(path(api(&format!("{node}/messages"))))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .and(body_json(body))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

fn hello() -> Value {
    json!({"recipient": {"id": IGSID}, "messaging_type": "RESPONSE",
           "message": {"text": "¡Hola! 👋",
                       "quick_replies": [{"content_type": "text", "title": "Precios", "payload": "PRICES"}]}})
}

fn hello_message() -> SendMessage {
    SendMessage::text(IGSID, "¡Hola! 👋").quick_replies([QuickReply::text("Precios", "PRICES")])
}

#[tokio::test]
async fn the_same_send_goes_to_the_page_or_the_account_by_login_path() {
    let facebook_host = MockServer::start().await;
    let instagram_host = MockServer::start().await;
    expect_message(
        &facebook_host,
        PAGE_ID,
        PAGE_TOKEN,
        hello(),
        respond(200, "send_response.json"),
    )
    .await;
    expect_message(
        &instagram_host,
        ACCOUNT,
        USER_TOKEN,
        hello(),
        respond(200, "send_response.json"),
    )
    .await;
    catch_all(&facebook_host).await;
    catch_all(&instagram_host).await;

    let message = hello_message().build(&LIMITS).unwrap();
    for client in [facebook(&facebook_host), instagram(&instagram_host)] {
        let sent = client.send(&message).await.unwrap();
        assert!(sent.mid.as_str().starts_with("aWdfZAG1"));
        assert_eq!(sent.recipient_id, Some(Igsid::new(IGSID)));
    }
    assert_eq!(
        facebook(&facebook_host).login_path(),
        &LoginPath::FacebookLogin {
            page_id: PageId::new(PAGE_ID)
        }
    );
    assert_eq!(
        instagram(&instagram_host).login_path(),
        &LoginPath::InstagramLogin
    );
}

#[tokio::test]
async fn like_heart_generic_template_and_private_reply() {
    let server = MockServer::start().await;
    expect_message(
        &server,
        ACCOUNT,
        USER_TOKEN,
        json!({"recipient": {"id": IGSID}, "messaging_type": "RESPONSE",
               "message": {"attachment": {"type": "like_heart"}}}),
        respond(200, "send_response.json"),
    )
    .await;
    expect_message(
        &server,
        ACCOUNT,
        USER_TOKEN,
        json!({"recipient": {"id": IGSID}, "messaging_type": "RESPONSE",
               "message": {"attachment": {"type": "template", "payload": {
                   "template_type": "generic",
                   "elements": [{"title": "Gorra de verano", "subtitle": "Talla única",
                                 "image_url": "https://example.com/gorra.png"}]}}}}),
        respond(200, "send_response.json"),
    )
    .await;
    expect_message(
        &server,
        ACCOUNT,
        USER_TOKEN,
        json!({"recipient": {"comment_id": "17895695668004550"}, "messaging_type": "RESPONSE",
               "message": {"text": "Thanks! We sent you the details."}}),
        respond(200, "private_reply_response.json"),
    )
    .await;
    catch_all(&server).await;
    let client = instagram(&server);

    client.send_like_heart(&Igsid::new(IGSID)).await.unwrap();
    let card = Template::generic([GenericElement::new("Gorra de verano")
        .subtitle("Talla única")
        .image_url("https://example.com/gorra.png")]);
    client
        .send(
            &SendMessage::attachment(IGSID, metabiz_instagram::send::Attachment::Template(card))
                .build(&LIMITS)
                .unwrap(),
        )
        .await
        .unwrap();
    let reply = SendMessage::text(
        Recipient::CommentId("17895695668004550".into()),
        "Thanks! We sent you the details.",
    )
    .build(&LIMITS)
    .unwrap();
    let sent = client.send(&reply).await.unwrap();
    assert_eq!(sent.recipient_id, None);
}

#[tokio::test]
async fn reactions_and_sender_actions() {
    let server = MockServer::start().await;
    for body in [
        json!({"recipient": {"id": IGSID}, "sender_action": "react",
               "payload": {"message_id": "aWdfmid", "reaction": "love"}}),
        json!({"recipient": {"id": IGSID}, "sender_action": "unreact",
               "payload": {"message_id": "aWdfmid"}}),
        json!({"recipient": {"id": IGSID}, "sender_action": "mark_seen"}),
        json!({"recipient": {"id": IGSID}, "sender_action": "typing_on"}),
    ] {
        expect_message(
            &server,
            PAGE_ID,
            PAGE_TOKEN,
            body,
            respond(200, "sender_action_response.json"),
        )
        .await;
    }
    catch_all(&server).await;
    let client = facebook(&server);
    let user = Igsid::new(IGSID);
    let mid = Mid::new("aWdfmid");
    client.react(&user, &mid, Some("love")).await.unwrap();
    client.react(&user, &mid, None).await.unwrap();
    client.mark_seen(&user).await.unwrap();
    client.typing(&user, true).await.unwrap();
}

#[tokio::test]
async fn limits_are_instagram_s_and_the_window_policy_applies() {
    let server = MockServer::start().await;
    expect_message(
        &server,
        ACCOUNT,
        USER_TOKEN,
        json!({"recipient": {"id": IGSID}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
               "message": {"text": "Perdón por la demora"}}),
        respond(200, "send_response.json"),
    )
    .await;
    Mock::given(method("POST"))
        .and(path(api(&format!("{ACCOUNT}/messages"))))
        .and(body_json(
            json!({"recipient": {"id": IGSID}, "messaging_type": "RESPONSE",
                              "message": {"text": "late"}}),
        ))
        .respond_with(respond(400, "error_outside_window.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = instagram(&server);

    // Instagram takes 1,000 characters, half of Messenger's 2,000.
    assert!(
        SendMessage::text(IGSID, "a".repeat(1_000))
            .build(&LIMITS)
            .is_ok()
    );
    let too_long = SendMessage::text(IGSID, "a".repeat(1_001))
        .build(&LIMITS)
        .unwrap_err();
    assert_eq!(too_long.field(), "message.text");

    let window = ReplyWindow::new(Some(datetime!(2026-12-01 09:00 UTC)));
    client
        .send_in_window(
            SendMessage::text(IGSID, "Perdón por la demora"),
            &window,
            Sender::HumanAgent,
            datetime!(2026-12-04 09:00 UTC),
        )
        .await
        .unwrap();
    let refused = client
        .send_in_window(
            SendMessage::text(IGSID, "bot"),
            &window,
            Sender::Automated,
            datetime!(2026-12-04 09:00 UTC),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::WindowClosed);

    let error = client
        .send(&SendMessage::text(IGSID, "late").build(&LIMITS).unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutsideWindow);
}

#[tokio::test]
async fn ice_breakers_get_set_delete() {
    let server = MockServer::start().await;
    let profile = api(&format!("{ACCOUNT}/messenger_profile"));
    Mock::given(method("POST"))
        .and(path(profile.clone()))
        .and(body_json(json!({
            "platform": "instagram",
            "ice_breakers": [{"call_to_actions": [
                {"question": "¿Hacen envíos?", "payload": "SHIPPING"},
                {"question": "What are your hours?", "payload": "HOURS"}
            ], "locale": "default"}]
        })))
        .respond_with(respond(200, "success.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(profile.clone()))
        .and(query_param("fields", "ice_breakers"))
        .and(query_param("platform", "instagram"))
        .respond_with(respond(200, "ice_breakers.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(profile))
        .and(body_json(
            json!({"fields": ["ice_breakers"], "platform": "instagram"}),
        ))
        .respond_with(respond(200, "success.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = instagram(&server);
    let questions = [
        IceBreaker::new("¿Hacen envíos?", "SHIPPING"),
        IceBreaker::new("What are your hours?", "HOURS"),
    ];
    client.set_ice_breakers(&questions).await.unwrap();
    assert_eq!(client.ice_breakers().await.unwrap(), questions);
    client.delete_ice_breakers().await.unwrap();

    let five: Vec<_> = (0..5)
        .map(|i| IceBreaker::new(format!("Q{i}"), "P"))
        .collect();
    assert_eq!(
        client.set_ice_breakers(&five).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
}

#[tokio::test]
async fn persistent_menu_get_set_delete() {
    let server = MockServer::start().await;
    let profile = api(&format!("{PAGE_ID}/messenger_profile"));
    let menu = PersistentMenu::new([
        MenuItem::Postback {
            title: "Talk to a person".into(),
            payload: "HUMAN".into(),
        },
        MenuItem::WebUrl {
            title: "Shop".into(),
            url: "https://example.com/shop".into(),
        },
    ]);
    Mock::given(method("POST"))
        .and(path(profile.clone()))
        .and(body_json(
            json!({"platform": "instagram", "persistent_menu": [{
            "locale": "default",
            "call_to_actions": [
                {"type": "postback", "title": "Talk to a person", "payload": "HUMAN"},
                {"type": "web_url", "title": "Shop", "url": "https://example.com/shop"}
            ]}]}),
        ))
        .respond_with(respond(200, "success.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(profile.clone()))
        .and(query_param("fields", "persistent_menu"))
        .respond_with(respond(200, "persistent_menu.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(profile))
        .and(body_json(
            json!({"fields": ["persistent_menu"], "platform": "instagram"}),
        ))
        .respond_with(respond(200, "success.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = facebook(&server);
    client
        .set_persistent_menu(std::slice::from_ref(&menu))
        .await
        .unwrap();
    assert_eq!(client.persistent_menu().await.unwrap(), [menu]);
    client.delete_persistent_menu().await.unwrap();
    let bad = PersistentMenu::new([MenuItem::WebUrl {
        title: "Shop".into(),
        url: "javascript:alert(1)".into(),
    }]);
    assert_eq!(
        client.set_persistent_menu(&[bad]).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
}

#[tokio::test]
async fn conversations_messages_and_profiles_on_the_instagram_host() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api(&format!("{ACCOUNT}/conversations"))))
        .and(query_param("platform", "instagram"))
        .and(query_param(
            "fields",
            "id,updated_time,participants,message_count",
        ))
        .and(header(
            "authorization",
            format!("Bearer {USER_TOKEN}").as_str(),
        ))
        .respond_with(respond(200, "conversations.json"))
        .expect(1)
        .mount(&server)
        .await;
    let conversation = "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc4NDE0MDAwMDAwMDAwMDA6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4MTM3NjQ2NDQ3OTc1MTI1";
    Mock::given(method("GET"))
        .and(path(api(&format!("{conversation}/messages"))))
        .and(query_param(
            "fields",
            "id,created_time,from,to,message,attachments,story,shares,reactions,is_unsupported",
        ))
        .respond_with(respond(200, "messages.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api(IGSID)))
        .and(query_param(
            "fields",
            "name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,is_verified_user",
        ))
        .respond_with(respond(200, "user_profile.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = instagram(&server);

    let conversations: Vec<_> = client.conversations().try_collect().await.unwrap();
    assert_eq!(conversations.len(), 1);
    let user = conversations[0].counterparts(ACCOUNT).next().unwrap();
    assert_eq!(user.username.as_deref(), Some("lucía.ramos"));
    let messages: Vec<_> = client.messages(conversation).try_collect().await.unwrap();
    assert_eq!(messages[0].text(), Some("¿Tienen la talla M? 🙏"));
    assert!(messages[1].extra.contains_key("story"));
    let profile = client
        .user_profile(&Igsid::new(IGSID), &UserProfileField::ALL)
        .await
        .unwrap();
    assert_eq!(profile.follower_count, Some(1_234));
    assert_eq!(profile.is_user_follow_business, Some(true));
}

#[test]
fn debug_shows_the_account_and_path_never_the_token() {
    let graph = GraphClient::builder().build().unwrap();
    let client = InstagramClient::instagram_login(
        graph,
        InstagramAccountId::new(ACCOUNT),
        AccessToken::new(USER_TOKEN),
    );
    let shown = format!("{client:?}");
    assert!(shown.contains(ACCOUNT));
    assert!(!shown.contains(USER_TOKEN));
}
