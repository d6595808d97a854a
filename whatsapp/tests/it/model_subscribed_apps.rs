//! Webhook subscriptions of a WhatsApp Business Account: the list the scheduler checks and the
//! subscribe request.

use metabiz_whatsapp::ValidationProblem;
use metabiz_whatsapp::model::{SubscribeApp, SubscribedApps, Success};
use serde_json::json;

use crate::model_support::{graph, graph_json, invalid};

#[test]
fn subscribed_apps_response() {
    let apps: SubscribedApps = graph("subscribed_apps.json");
    assert_eq!(apps.data.len(), 2);
    assert!(apps.contains_app("670843887433847"));
    assert!(apps.contains_app("1187315598543542"));
    assert!(!apps.contains_app("999"));

    let first = apps.find("670843887433847").unwrap();
    let data = first.whatsapp_business_api_data.as_ref().unwrap();
    assert_eq!(data.name.as_deref(), Some("Jaspers Market"));
    assert_eq!(
        data.link.as_deref(),
        Some("https://www.facebook.com/games/?app_id=670843887433847")
    );
    assert_eq!(
        first.override_callback_uri.as_deref(),
        Some("https://my-waba-alternate-callback.com/webhook")
    );
    assert_eq!(
        apps.find("1187315598543542").unwrap().override_callback_uri,
        None
    );
}

#[test]
fn no_subscription_and_numeric_app_ids() {
    let none: SubscribedApps = serde_json::from_value(json!({"data": []})).unwrap();
    assert!(!none.contains_app("670843887433847"));
    let numeric: SubscribedApps = serde_json::from_value(json!({
        "data": [{"whatsapp_business_api_data": {"id": 670_843_887_433_847_u64, "name": "x"}}]
    }))
    .unwrap();
    assert!(numeric.contains_app("670843887433847"));
}

#[test]
fn subscribe_request_with_an_override_matches_meta_example() {
    let request = SubscribeApp::with_callback(
        "https://my-waba-alternate-callback.com/webhook",
        "myvoiceismypassport?",
    );
    request.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        graph_json("subscribe_app_override.json")
    );
    assert_eq!(
        serde_json::to_value(SubscribeApp::new()).unwrap(),
        json!({})
    );
    let answer: Success = graph("success.json");
    assert!(answer.success);
}

#[test]
fn the_verify_token_never_shows_in_debug() {
    let request = SubscribeApp::with_callback("https://example.com/hook", "myvoiceismypassport?");
    let debug = format!("{request:?}");
    assert!(!debug.contains("myvoiceismypassport"), "{debug}");
    assert!(debug.contains("https://example.com/hook"));
    assert!(debug.contains("redacted"));
}

#[test]
fn override_callback_limits() {
    let max = SubscribeApp::OVERRIDE_CALLBACK_URI_MAX_CHARS;
    // Webhook overrides docs: "Maximum 200 characters".
    assert_eq!(max, 200);
    let uri = |n: usize| {
        let prefix = "https://example.com/";
        format!("{prefix}{}", "w".repeat(n - prefix.len()))
    };
    SubscribeApp::with_callback(uri(max), "token")
        .validate()
        .unwrap();
    let detail = invalid(SubscribeApp::with_callback(uri(max + 1), "token").validate());
    assert_eq!(detail.field(), "override_callback_uri");
    assert_eq!(
        detail.problem(),
        &ValidationProblem::TooLong {
            max,
            actual: max + 1
        }
    );

    let detail = invalid(SubscribeApp::with_callback("ftp://example.com", "token").validate());
    assert_eq!(detail.problem(), &ValidationProblem::NotHttpUrl);
    let detail = invalid(SubscribeApp::with_callback("https://example.com", "").validate());
    assert_eq!(detail.field(), "verify_token");
    assert_eq!(detail.problem(), &ValidationProblem::Empty);
}
