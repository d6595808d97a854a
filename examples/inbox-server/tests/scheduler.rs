//! The sync scheduler with two instances on one database (SQLite file or PostgreSQL) and a
//! wiremock Graph API: each due account is synced by exactly one instance, a crashed
//! instance's lease runs out and the other finishes, a throttled account is postponed while
//! the others proceed, and a refused token flags the account and stops its calls.

mod common;

use std::time::Duration;

use common::{cipher, state_with, stores, user};
use inbox_server::AppState;
use inbox_server::crypto::token_context;
use inbox_server::jobs::{SyncConfig, run_once};
use inbox_server::store::{NewAccount, Store, now_ms};
use serde_json::json;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn graph_time(ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(ms / 1000).unwrap();
    at.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]+0000"
    ))
    .unwrap()
}

/// A Messenger Page account of `user_id`; returns its id.
async fn page_account(store: &Store, user_id: i64, page: &str) -> i64 {
    let sealed = cipher()
        .seal(
            &format!("EAAGpage{page}"),
            &token_context("messenger", page),
        )
        .unwrap();
    store
        .upsert_account(&NewAccount {
            user_id,
            platform: "messenger".into(),
            external_id: page.into(),
            name: None,
            sealed_token: sealed,
            token_expires_at: None,
            metadata: json!({}),
        })
        .await
        .unwrap()
        .id
}

/// One conversation with one message for `page`, each endpoint expected `times` times.
async fn mock_history(graph: &MockServer, page: &str, times: u64) {
    let now = now_ms();
    Mock::given(method("GET"))
        .and(path_regex(format!("/{page}/conversations$")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
            "id": format!("t_{page}"), "updated_time": graph_time(now),
            "participants": {"data": [{"id": format!("9{page}")}, {"id": page}]}}]})))
        .expect(times)
        .mount(graph)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(format!("/t_{page}/messages$")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
            "id": format!("m_{page}_1"), "created_time": graph_time(now),
            "from": {"id": format!("9{page}")}, "to": {"data": [{"id": page}]}, "message": "from the history"}]})))
        .expect(times)
        .mount(graph)
        .await;
}

fn config(holder: &str) -> SyncConfig {
    SyncConfig {
        holder: holder.to_owned(),
        lease: Duration::from_secs(60),
        ..SyncConfig::default()
    }
}

async fn two_instances(store: &Store, graph: &MockServer) -> (AppState, AppState) {
    let a = state_with(store.clone(), Some(&graph.uri())).await;
    let b = state_with(store.connect_again().await.unwrap(), Some(&graph.uri())).await;
    (a, b)
}

#[tokio::test]
async fn two_instances_sync_each_due_account_exactly_once() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (owner, _) = user(&store, "alice").await;
        let mut ids = Vec::new();
        for page in ["2001", "2002", "2003", "2004", "2005"] {
            ids.push(page_account(&store, owner, page).await);
            mock_history(&graph, page, 1).await;
        }
        let (a, b) = two_instances(&store, &graph).await;
        let (config_a, config_b) = (config("a"), config("b"));
        let (one, two) = tokio::join!(run_once(&a, &config_a), run_once(&b, &config_b));
        let (one, two) = (one.unwrap(), two.unwrap());
        let mut all: Vec<i64> = one.synced.iter().chain(&two.synced).copied().collect();
        all.sort_unstable();
        assert_eq!(
            all, ids,
            "{backend}: every account once, by one instance: {one:?} {two:?}"
        );
        assert_eq!(one.new_messages + two.new_messages, 5);
        // Nothing is due again within the period: no second call (wiremock's `expect(1)`).
        let again = run_once(&b, &config("b")).await.unwrap();
        assert!(again.synced.is_empty(), "{backend}: {again:?}");
        assert_eq!(store.all_messages().await.unwrap().len(), 5);
        // A requested sync is due at once, for that account only.
        assert!(store.request_sync(owner, ids[0]).await.unwrap());
        graph.reset().await;
        mock_history(&graph, "2001", 1).await;
        let requested = run_once(&a, &config("a")).await.unwrap();
        assert_eq!(requested.synced, vec![ids[0]], "{backend}");
        assert_eq!(
            requested.new_messages, 0,
            "{backend}: the overlap stores nothing twice"
        );
    }
}

#[tokio::test]
async fn a_crashed_instances_account_is_finished_by_the_other_after_the_lease() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (owner, _) = user(&store, "alice").await;
        let id = page_account(&store, owner, "3001").await;
        mock_history(&graph, "3001", 1).await;
        let (_a, b) = two_instances(&store, &graph).await;
        // Instance A claims the account with a short lease, then dies before syncing.
        let claimed = store
            .claim_due_accounts("a", 300_000, 400, 10)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1, "{backend}");
        let early = run_once(&b, &config("b")).await.unwrap();
        assert!(
            early.synced.is_empty(),
            "{backend}: the lease still holds: {early:?}"
        );
        tokio::time::sleep(Duration::from_millis(600)).await;
        let late = run_once(&b, &config("b")).await.unwrap();
        assert_eq!(late.synced, vec![id], "{backend}");
        let account = store.account(owner, id).await.unwrap().unwrap();
        assert!(account.last_sync_at.is_some());
    }
}

#[tokio::test]
async fn a_throttled_account_waits_while_the_others_sync() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (owner, _) = user(&store, "alice").await;
        let throttled = page_account(&store, owner, "4001").await;
        let fine = page_account(&store, owner, "4002").await;
        Mock::given(method("GET"))
            .and(path_regex("/4001/conversations$"))
            .respond_with(
                ResponseTemplate::new(400)
                    .insert_header("x-business-use-case-usage", r#"{"4001":[{"type":"messenger","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":7}]}"#)
                    .set_body_json(json!({"error": {"message": "(#613) Calls to this api have exceeded the rate limit.", "type": "OAuthException", "code": 613, "fbtrace_id": "T613"}})),
            )
            .expect(1)
            .mount(&graph)
            .await;
        mock_history(&graph, "4002", 1).await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let report = run_once(&state, &config("a")).await.unwrap();
        assert_eq!(report.throttled, vec![throttled], "{backend}: {report:?}");
        assert_eq!(report.synced, vec![fine], "{backend}");
        let account = store.account(owner, throttled).await.unwrap().unwrap();
        assert_eq!(
            account.last_sync_at, None,
            "{backend}: an unfinished sync does not move last_sync_at"
        );
        // Postponed: the next round leaves it alone (wiremock's `expect(1)`).
        let next = run_once(&state, &config("a")).await.unwrap();
        assert!(
            next.throttled.is_empty() && next.synced.is_empty(),
            "{backend}: {next:?}"
        );
    }
}

#[tokio::test]
async fn a_refused_token_flags_the_account_and_stops_its_calls() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (owner, _) = user(&store, "alice").await;
        let id = page_account(&store, owner, "5001").await;
        Mock::given(method("GET"))
            .and(path_regex("/5001/conversations$"))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {
                "message": "Error validating access token: The user has not authorized application.",
                "type": "OAuthException", "code": 190, "error_subcode": 458, "fbtrace_id": "T190"}})))
            .expect(1)
            .mount(&graph)
            .await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let mut live = state.live.subscribe();
        let report = run_once(&state, &config("a")).await.unwrap();
        assert_eq!(report.flagged, vec![id], "{backend}: {report:?}");
        let account = store.account(owner, id).await.unwrap().unwrap();
        assert_eq!(account.status.as_str(), "needs_reauth");
        let event = tokio::time::timeout(Duration::from_secs(5), live.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(event.user_id, Some(owner));
        assert!(event.json.contains("needs_reauth"), "{}", event.json);
        store.request_sync(owner, id).await.unwrap();
        let next = run_once(&state, &config("a")).await.unwrap();
        assert_eq!(
            next,
            inbox_server::jobs::SyncReport::default(),
            "{backend}: no more calls for it"
        );
    }
}

#[tokio::test]
async fn whatsapp_numbers_get_a_health_check_instead_of_history() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (owner, _) = user(&store, "alice").await;
        let phone = "106540352242922";
        let id = store
            .upsert_account(&NewAccount {
                user_id: owner,
                platform: "whatsapp".into(),
                external_id: phone.into(),
                name: None,
                sealed_token: cipher()
                    .seal("EAAGwa", &token_context("whatsapp", phone))
                    .unwrap(),
                token_expires_at: Some(now_ms() + 3 * 24 * 3600 * 1000),
                metadata: json!({"business_account_id": "102290129340398"}),
            })
            .await
            .unwrap()
            .id;
        Mock::given(method("GET"))
            .and(path_regex(format!("/{phone}$")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": phone, "display_phone_number": "+1 555-078-3881", "verified_name": "Shop", "quality_rating": "YELLOW"})))
            .expect(1)
            .mount(&graph)
            .await;
        Mock::given(method("GET"))
            .and(path_regex("/102290129340398/subscribed_apps$"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
                "whatsapp_business_api_data": {"id": common::APP_ID, "name": "Inbox", "link": "https://example.com"}}]})))
            .expect(1)
            .mount(&graph)
            .await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let report = run_once(&state, &config("a")).await.unwrap();
        assert_eq!(report.synced, vec![id], "{backend}: {report:?}");
        let account = store.account(owner, id).await.unwrap().unwrap();
        assert_eq!(account.metadata["quality_rating"], "YELLOW", "{backend}");
        assert_eq!(account.metadata["webhooks_subscribed"], true);
        assert_eq!(
            account.metadata["token_expiring"], true,
            "{backend}: expires in 3 days"
        );
        assert_eq!(account.metadata["business_account_id"], "102290129340398");
    }
}

#[tokio::test]
async fn an_expiring_instagram_login_token_is_refreshed_before_the_sync() {
    for (backend, store) in stores().await {
        let graph = MockServer::start().await;
        let (owner, _) = user(&store, "alice").await;
        let ig = "17841400000000777";
        let id = store
            .upsert_account(&NewAccount {
                user_id: owner,
                platform: "instagram".into(),
                external_id: ig.into(),
                name: None,
                sealed_token: cipher()
                    .seal("IGold", &token_context("instagram", ig))
                    .unwrap(),
                token_expires_at: Some(now_ms() + 2 * 24 * 3600 * 1000),
                metadata: json!({"login": "instagram_login"}),
            })
            .await
            .unwrap()
            .id;
        Mock::given(method("GET"))
            .and(path_regex("/refresh_access_token$"))
            .and(wiremock::matchers::query_param(
                "grant_type",
                "ig_refresh_token",
            ))
            .and(wiremock::matchers::query_param("access_token", "IGold"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "IGnew", "token_type": "bearer", "expires_in": 5_184_000})))
            .expect(1)
            .mount(&graph)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(format!("/{ig}/conversations$")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
            .expect(1)
            .mount(&graph)
            .await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let report = run_once(&state, &config("a")).await.unwrap();
        assert_eq!(report.synced, vec![id], "{backend}: {report:?}");
        let account = store.account(owner, id).await.unwrap().unwrap();
        let expires = account.token_expires_at.unwrap();
        assert!(
            expires > now_ms() + 59 * 24 * 3600 * 1000,
            "{backend}: about 60 days"
        );
        assert_eq!(account.metadata["token_expiring"], false);
        let sealed = store.account_token(id).await.unwrap().unwrap();
        assert_eq!(
            cipher()
                .open(&sealed, &token_context("instagram", ig))
                .unwrap()
                .as_str(),
            "IGnew"
        );
        // The sync itself used the new token.
        let requests = graph.received_requests().await.unwrap();
        let listing = requests
            .iter()
            .find(|r| r.url.path().ends_with("/conversations"))
            .unwrap();
        let used = format!("{:?} {}", listing.headers.get("authorization"), listing.url);
        assert!(
            used.contains("IGnew") && !used.contains("IGold"),
            "{backend}: {used}"
        );
    }
}
