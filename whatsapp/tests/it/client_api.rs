//! The media, template, phone number, business profile and subscription calls of
//! `WhatsAppClient` against a mock Graph API: the exact path, query and body Meta documents,
//! and what comes back. Every test mounts a catch-all last that must never be hit.

use std::time::Duration;

use futures_util::StreamExt as _;
use meta_graph::{AccessToken, DEFAULT_API_VERSION, GraphClient, RetryPolicy};
use metabiz_whatsapp::model::{
    CreateTemplate, DeleteTemplate, MediaInfo, MediaType, QualityRating, SubscribeApp,
    TemplateButton, TemplateCategory, TemplateComponent, TemplateStatus, UpdateBusinessProfile,
    Vertical,
};
use metabiz_whatsapp::{
    ErrorKind, MediaId, MediaMismatch, MediaUpload, PhoneNumberId, TemplateFilter, WabaId,
    WhatsAppClient,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wiremock::matchers::{
    any, body_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::fixture;

const TOKEN: &str = "EAAJtestSystemUserTokenQQQ";
const PHONE_NUMBER_ID: &str = "106540352242922";
const WABA_ID: &str = "102290129340398";

fn api(rest: &str) -> String {
    format!("/{DEFAULT_API_VERSION}/{rest}")
}

fn client(server: &MockServer) -> WhatsAppClient {
    let graph = GraphClient::builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("client builds");
    WhatsAppClient::new(
        graph,
        PhoneNumberId::new(PHONE_NUMBER_ID),
        AccessToken::new(TOKEN),
    )
}

fn waba() -> WabaId {
    WabaId::new(WABA_ID)
}

fn graph_json(name: &str) -> Value {
    serde_json::from_slice(&fixture(&format!("graph/{name}"))).unwrap()
}

fn respond(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture(&format!("graph/{name}")), "application/json")
}

fn authorized() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {TOKEN}").as_str())
}

async fn catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string("CATCH-ALL: unexpected request"))
        .with_priority(u8::MAX)
        .named("catch-all: unexpected request")
        .expect(0)
        .mount(server)
        .await;
}

// ---- media ----

const PHOTO: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00,
];

/// The multipart body carries exactly Meta's three fields, the file with its name and type.
fn is_documented_upload(request: &Request) -> bool {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(boundary) = content_type.strip_prefix("multipart/form-data; boundary=") else {
        return false;
    };
    let body = &request.body;
    let text = String::from_utf8_lossy(body);
    let part = |name: &str, value: &str| {
        text.contains(&format!(
            "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ))
    };
    let file_header = "Content-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n\
                       Content-Type: image/jpeg\r\n\r\n";
    let file_ok = text.find(file_header).is_some_and(|at| {
        let start = at + file_header.len();
        body.get(start..start + PHOTO.len()) == Some(PHOTO)
    });
    part("messaging_product", "whatsapp")
        && part("type", "image/jpeg")
        && file_ok
        && text.matches(&format!("--{boundary}\r\n")).count() == 3
}

#[tokio::test]
async fn upload_posts_a_multipart_form_and_returns_the_media_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api(&format!("{PHONE_NUMBER_ID}/media"))))
        .and(authorized())
        .and(is_documented_upload)
        .respond_with(respond("media_upload.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let upload = MediaUpload::from_bytes(PHOTO.to_vec(), "image/jpeg", "photo.jpg").unwrap();
    let uploaded = client(&server).upload_media(&upload).await.unwrap();
    assert_eq!(uploaded.id, MediaId::new("1037543291543636"));
}

#[tokio::test]
async fn upload_from_a_file_uses_its_name_and_refuses_what_meta_would() {
    let dir = std::env::temp_dir().join(format!("metabiz-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("photo.jpg");
    std::fs::write(&file, PHOTO).unwrap();

    let upload = MediaUpload::from_file(&file, "image/jpeg").await.unwrap();
    assert_eq!(upload.file_name(), "photo.jpg");
    assert_eq!(upload.len(), PHOTO.len());
    assert_eq!(upload.media_type(), MediaType::Image);

    // A type WhatsApp does not take fails before the file is even read.
    let gif = MediaUpload::from_file(&file, "image/gif")
        .await
        .unwrap_err();
    assert_eq!(gif.kind(), ErrorKind::Validation);
    // An image over 5 MB.
    let big = dir.join("big.png");
    std::fs::write(&big, vec![0u8; 5 * 1024 * 1024 + 1]).unwrap();
    let error = MediaUpload::from_file(&big, "image/png").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    // A missing file is an I/O error, not a panic.
    let missing = MediaUpload::from_file(dir.join("nope.jpg"), "image/jpeg")
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::Io);
    // Nothing to send.
    let empty = MediaUpload::from_bytes(Vec::new(), "image/jpeg", "e.jpg").unwrap_err();
    assert_eq!(empty.kind(), ErrorKind::Validation);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn media_info_asks_for_the_media_of_this_number_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api("2621233374848975")))
        .and(query_param("phone_number_id", PHONE_NUMBER_ID))
        .and(authorized())
        .respond_with(respond("media_info.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let info = client(&server)
        .media_info(&MediaId::new("2621233374848975"))
        .await
        .unwrap();
    assert_eq!(info.mime_type.as_deref(), Some("image/jpeg"));
    assert_eq!(info.file_size, Some(303_833));
    assert!(info.url.starts_with("https://lookaside.fbsbx.com/"));
}

/// Media info as `GET /{media-id}` returns it, pointing at the mock server.
fn info_for(server: &MockServer, data: &[u8], sha256: Option<String>) -> MediaInfo {
    serde_json::from_value(json!({
        "id": "2621233374848975",
        "messaging_product": "whatsapp",
        "mime_type": "image/jpeg",
        "file_size": data.len().to_string(),
        "sha256": sha256.unwrap_or_else(|| hex::encode(Sha256::digest(data))),
        "url": format!("{}/whatsapp_business/attachments/?mid=2621233374848975&ext=1750264500&hash=ATuo", server.uri()),
    }))
    .unwrap()
}

async fn mount_download(server: &MockServer, data: &[u8]) {
    Mock::given(method("GET"))
        .and(path("/whatsapp_business/attachments/"))
        .and(query_param("mid", "2621233374848975"))
        .and(authorized())
        .respond_with(ResponseTemplate::new(200).set_body_raw(data.to_vec(), "image/jpeg"))
        .expect(1)
        .mount(server)
        .await;
    catch_all(server).await;
}

#[tokio::test]
async fn download_sends_the_token_and_checks_size_and_hash() {
    let server = MockServer::start().await;
    mount_download(&server, PHOTO).await;

    let downloaded = client(&server)
        .download_media(&info_for(&server, PHOTO, None))
        .await
        .unwrap();
    assert_eq!(downloaded.data.as_ref(), PHOTO);
    assert_eq!(downloaded.mime_type.as_deref(), Some("image/jpeg"));
    assert_eq!(downloaded.sha256, hex::encode(Sha256::digest(PHOTO)));
}

#[tokio::test]
async fn a_truncated_download_is_a_size_mismatch() {
    let server = MockServer::start().await;
    mount_download(&server, &PHOTO[..5]).await;
    let mut info = info_for(&server, PHOTO, None);
    info.file_size = Some(PHOTO.len() as u64);

    let error = client(&server).download_media(&info).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MediaMismatch);
    let mismatch = std::error::Error::source(&error)
        .and_then(|s| s.downcast_ref::<MediaMismatch>())
        .unwrap();
    assert_eq!(
        mismatch,
        &MediaMismatch::Size {
            expected: PHOTO.len() as u64,
            actual: 5
        }
    );
}

#[tokio::test]
async fn an_altered_download_is_a_hash_mismatch() {
    let server = MockServer::start().await;
    let mut altered = PHOTO.to_vec();
    altered[3] ^= 1;
    mount_download(&server, &altered).await;

    let error = client(&server)
        .download_media(&info_for(&server, PHOTO, None))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MediaMismatch);
    assert!(matches!(
        std::error::Error::source(&error).and_then(|s| s.downcast_ref::<MediaMismatch>()),
        Some(MediaMismatch::Sha256 { .. })
    ));
}

#[tokio::test]
async fn a_download_url_on_a_foreign_host_never_receives_the_token() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let mut info = info_for(&server, PHOTO, None);
    info.url = "https://attacker.example/whatsapp_business/attachments/?mid=1".into();

    let error = client(&server).download_media(&info).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(
        error.graph().map(meta_graph::Error::kind),
        Some(meta_graph::ErrorKind::InvalidRequest)
    );
}

#[tokio::test]
async fn delete_media_is_scoped_to_this_number() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(api("1037543291543636")))
        .and(query_param("phone_number_id", PHONE_NUMBER_ID))
        .and(authorized())
        .respond_with(respond("success.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    client(&server)
        .delete_media(&MediaId::new("1037543291543636"))
        .await
        .unwrap();
}

#[tokio::test]
async fn success_false_is_an_unexpected_response() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(api("1037543291543636")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": false})))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let error = client(&server)
        .delete_media(&MediaId::new("1037543291543636"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
}

// ---- templates ----

#[tokio::test]
async fn templates_stream_every_page_with_the_default_fields() {
    let server = MockServer::start().await;
    let mut first = graph_json("message_templates.json");
    first["paging"]["next"] = json!(format!(
        "{}{}?after=MgZDZD",
        server.uri(),
        api(&format!("{WABA_ID}/message_templates"))
    ));
    Mock::given(method("GET"))
        .and(path(api(&format!("{WABA_ID}/message_templates"))))
        .and(query_param(
            "fields",
            metabiz_whatsapp::model::MessageTemplate::DEFAULT_FIELDS,
        ))
        .and(query_param("status", "APPROVED"))
        .and(query_param_is_missing("after"))
        .and(authorized())
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api(&format!("{WABA_ID}/message_templates"))))
        .and(query_param("after", "MgZDZD"))
        .and(query_param("status", "APPROVED"))
        .and(authorized())
        .respond_with(respond("message_templates_page2.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let names: Vec<String> = client(&server)
        .templates_matching(
            &waba(),
            &TemplateFilter::new().status(TemplateStatus::Approved),
        )
        .map(|template| template.unwrap().name.unwrap())
        .collect()
        .await;
    assert_eq!(
        names,
        [
            "order_delivery_update",
            "order_confirmation",
            "summer_reminder",
            "seasonal_promotion"
        ]
    );
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api(&format!("{WABA_ID}/message_templates"))))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            fixture("graph/error_190_token_expired.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let items: Vec<_> = client(&server).templates(&waba()).collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().kind(),
        ErrorKind::Unauthorized
    );
}

fn seasonal_promotion() -> CreateTemplate {
    CreateTemplate::new("seasonal_promotion", "en_US", TemplateCategory::Marketing).components([
        TemplateComponent::header_text("Our {{1}} is on!").with_examples(["Summer Sale"]),
        TemplateComponent::body(
            "Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
        )
        .with_examples(["the end of August", "25OFF", "25%"]),
        TemplateComponent::footer("Use the buttons below to manage your marketing subscriptions"),
        TemplateComponent::buttons([
            TemplateButton::quick_reply("Unsubscribe from Promos"),
            TemplateButton::quick_reply("Unsubscribe from All"),
        ]),
    ])
}

#[tokio::test]
async fn create_template_posts_the_documented_body_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api(&format!("{WABA_ID}/message_templates"))))
        .and(authorized())
        .and(body_json(graph_json(
            "template_create_seasonal_promotion.json",
        )))
        .respond_with(respond("template_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let created = client(&server)
        .create_template(&waba(), &seasonal_promotion())
        .await
        .unwrap();
    assert_eq!(created.id.as_str(), "1924084211297547");
    assert_eq!(created.status, Some(TemplateStatus::Pending));
}

#[tokio::test]
async fn an_invalid_template_is_never_sent() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let bad = CreateTemplate::new("Not A Valid Name", "en_US", TemplateCategory::Utility)
        .components([TemplateComponent::body("Hello")]);
    let error = client(&server)
        .create_template(&waba(), &bad)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn create_template_after_a_server_error_is_ambiguous_and_not_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api(&format!("{WABA_ID}/message_templates"))))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let error = client(&server)
        .create_template(&waba(), &seasonal_promotion())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Ambiguous);
}

#[tokio::test]
async fn delete_template_by_name_and_by_id() {
    let server = MockServer::start().await;
    let templates = api(&format!("{WABA_ID}/message_templates"));
    Mock::given(method("DELETE"))
        .and(path(templates.clone()))
        .and(query_param("name", "order_confirmation"))
        .and(query_param_is_missing("hsm_id"))
        .and(authorized())
        .respond_with(respond("success.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(templates))
        .and(query_param("name", "order_confirmation"))
        .and(query_param("hsm_id", "1407680676729941"))
        .and(authorized())
        .respond_with(respond("success.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let client = client(&server);
    client
        .delete_template(&waba(), &DeleteTemplate::by_name("order_confirmation"))
        .await
        .unwrap();
    client
        .delete_template(
            &waba(),
            &DeleteTemplate::by_id(
                metabiz_whatsapp::model::TemplateId::new("1407680676729941"),
                "order_confirmation",
            ),
        )
        .await
        .unwrap();
}

// ---- phone numbers and profile ----

#[tokio::test]
async fn phone_numbers_of_the_account() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api(&format!("{WABA_ID}/phone_numbers"))))
        .and(query_param(
            "fields",
            metabiz_whatsapp::model::BusinessPhoneNumber::DEFAULT_FIELDS,
        ))
        .and(authorized())
        .respond_with(respond("phone_numbers.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let numbers: Vec<_> = client(&server).phone_numbers(&waba()).collect().await;
    let numbers: Vec<_> = numbers.into_iter().map(Result::unwrap).collect();
    assert_eq!(numbers.len(), 2);
    assert_eq!(numbers[0].id.as_str(), "1906385232743451");
    assert_eq!(numbers[0].quality_rating, Some(QualityRating::Green));
}

#[tokio::test]
async fn this_phone_number_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api(PHONE_NUMBER_ID)))
        .and(query_param(
            "fields",
            metabiz_whatsapp::model::BusinessPhoneNumber::DEFAULT_FIELDS,
        ))
        .and(authorized())
        .respond_with(respond("phone_number.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let number = client(&server).phone_number().await.unwrap();
    assert_eq!(number.verified_name.as_deref(), Some("Jasper's Market"));
}

#[tokio::test]
async fn business_profile_get_and_update() {
    let server = MockServer::start().await;
    let profile_path = api(&format!("{PHONE_NUMBER_ID}/whatsapp_business_profile"));
    Mock::given(method("GET"))
        .and(path(profile_path.clone()))
        .and(query_param(
            "fields",
            metabiz_whatsapp::model::BusinessProfile::FIELDS,
        ))
        .and(authorized())
        .respond_with(respond("business_profile.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(profile_path))
        .and(authorized())
        .and(body_json(graph_json("business_profile_update.json")))
        .respond_with(respond("success.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = client(&server);

    let profile = client.business_profile().await.unwrap();
    assert_eq!(profile.about.as_deref(), Some("Succulent specialists!"));
    assert_eq!(profile.vertical, Some(Vertical::Retail));

    let update = UpdateBusinessProfile::new()
        .about("Succulent specialists!")
        .address("1 Hacker Way, Menlo Park, CA 94025")
        .description(
            "At Lucky Shrub, we specialize in providing a diverse range of high-quality \
             succulents to suit your needs. From rare and exotic varieties to timeless \
             classics, our collection has something for everyone.",
        )
        .email("lucky@luckyshrub.com")
        .profile_picture_handle("4::aW...")
        .vertical(Vertical::Retail)
        .websites(["https://www.luckyshrub.com"]);
    client.update_business_profile(&update).await.unwrap();

    // Over the 139-character limit of "About": refused locally.
    let too_long = UpdateBusinessProfile::new().about("x".repeat(140));
    let error = client.update_business_profile(&too_long).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
}

// ---- webhook subscriptions ----

#[tokio::test]
async fn subscribe_list_and_unsubscribe_the_app() {
    let server = MockServer::start().await;
    let apps = api(&format!("{WABA_ID}/subscribed_apps"));
    Mock::given(method("POST"))
        .and(path(apps.clone()))
        .and(authorized())
        .and(body_json(graph_json("subscribe_app_override.json")))
        .respond_with(respond("success.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(apps.clone()))
        .and(authorized())
        .respond_with(respond("subscribed_apps.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(apps))
        .and(authorized())
        .respond_with(respond("success.json"))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let client = client(&server);

    client
        .subscribe_app(
            &waba(),
            &SubscribeApp::with_callback(
                "https://my-waba-alternate-callback.com/webhook",
                "myvoiceismypassport?",
            ),
        )
        .await
        .unwrap();
    let subscribed = client.subscribed_apps(&waba()).await.unwrap();
    assert!(subscribed.contains_app("670843887433847"));
    client.unsubscribe_app(&waba()).await.unwrap();
}
