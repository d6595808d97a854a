//! Pagination: cursors, `next` links and every stop condition.

use futures_util::{StreamExt, TryStreamExt};
use meta_graph::{ErrorKind, GraphTime};
use serde::Deserialize;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

use crate::common::{self, TOKEN, api_path, mount_catch_all};

#[derive(Debug, Deserialize)]
struct Conversation {
    id: String,
    updated_time: GraphTime,
}

const PAGE_1_AFTER: &str = "QVFIUkNfcGFnZTFfYWZ0ZXI";
const PAGE_2_AFTER: &str = "QVFIUkNfcGFnZTJfYWZ0ZXI";

/// Mounts `GET …/conversations` answering page 1 without a cursor and the
/// given fixtures for the given `after` cursors.
async fn mount_pages(server: &MockServer, first: &str, rest: &[(&str, &str)]) {
    let conversations = api_path("106540352242922/conversations");
    Mock::given(method("GET"))
        .and(path(conversations.as_str()))
        .and(query_param_is_missing("after"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(common::json(200, server, first))
        .expect(1)
        .named(first)
        .mount(server)
        .await;
    for (cursor, fixture) in rest {
        Mock::given(method("GET"))
            .and(path(conversations.as_str()))
            .and(query_param("after", *cursor))
            .and(query_param("limit", "2"))
            .and(query_param_is_missing("access_token"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(common::json(200, server, fixture))
            .expect(1)
            .named(*fixture)
            .mount(server)
            .await;
    }
}

fn conversations(server: &MockServer) -> meta_graph::GraphRequest {
    common::client(server)
        .get("106540352242922/conversations")
        .token(&common::token())
        .limit(2)
}

#[tokio::test]
async fn follows_after_cursors_across_three_pages() {
    let server = MockServer::start().await;
    mount_pages(
        &server,
        "conversations_page_1.json",
        &[
            (PAGE_1_AFTER, "conversations_page_2.json"),
            (PAGE_2_AFTER, "conversations_page_3.json"),
        ],
    )
    .await;
    mount_catch_all(&server).await;

    let all: Vec<Conversation> = conversations(&server)
        .paginate()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "t_10159867410932551",
            "t_10159867410932552",
            "t_10159867410932553",
            "t_10159867410932554",
            "t_10159867410932555"
        ]
    );
    assert_eq!(all[0].updated_time.unix_timestamp(), 1_704_110_400);
    for request in server.received_requests().await.unwrap() {
        assert!(
            !request.url.as_str().contains("access_token"),
            "{}",
            request.url
        );
    }
}

#[tokio::test]
async fn stops_when_next_is_missing_even_with_an_after_cursor() {
    let server = MockServer::start().await;
    // Page 3 carries `cursors.after` but no `next`: it is the last page.
    mount_pages(&server, "conversations_page_3.json", &[]).await;
    mount_catch_all(&server).await;
    let all: Vec<Conversation> = conversations(&server)
        .paginate()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn stops_on_a_repeated_cursor() {
    let server = MockServer::start().await;
    // Page 2 is answered for its own cursor too, so following it would
    // loop forever without the guard.
    mount_pages(
        &server,
        "conversations_page_1.json",
        &[(PAGE_1_AFTER, "conversations_page_1.json")],
    )
    .await;
    mount_catch_all(&server).await;
    let all: Vec<Conversation> = conversations(&server)
        .paginate()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.len(),
        4,
        "two pages fetched, then the repeated cursor stops the walk"
    );
}

#[tokio::test]
async fn stops_at_max_pages() {
    let server = MockServer::start().await;
    mount_pages(
        &server,
        "conversations_page_1.json",
        &[(PAGE_1_AFTER, "conversations_page_2.json")],
    )
    .await;
    mount_catch_all(&server).await;
    let all: Vec<Conversation> = conversations(&server)
        .max_pages(2)
        .paginate()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
}

#[tokio::test]
async fn an_empty_page_with_next_is_followed_by_default() {
    let server = MockServer::start().await;
    mount_pages(
        &server,
        "conversations_empty_with_next.json",
        &[("QVFIUkNfZW1wdHlfYWZ0ZXI", "conversations_page_3.json")],
    )
    .await;
    mount_catch_all(&server).await;
    let all: Vec<Conversation> = conversations(&server)
        .paginate()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.len(),
        1,
        "Meta: a page may be empty while later pages hold data"
    );
}

#[tokio::test]
async fn stops_on_an_empty_page_when_asked() {
    let server = MockServer::start().await;
    mount_pages(&server, "conversations_empty_with_next.json", &[]).await;
    mount_catch_all(&server).await;
    let all: Vec<Conversation> = conversations(&server)
        .stop_on_empty_page(true)
        .paginate()
        .try_collect()
        .await
        .unwrap();
    assert!(all.is_empty());
}

#[tokio::test]
async fn a_next_only_link_on_the_same_origin_is_followed_without_its_access_token() {
    let server = MockServer::start().await;
    let media = api_path("17841405822304914/media");
    Mock::given(method("GET"))
        .and(path(media.as_str()))
        .and(query_param_is_missing("offset"))
        .respond_with(common::json(200, &server, "offset_page_1.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(media.as_str()))
        .and(query_param("offset", "2"))
        .and(query_param("limit", "2"))
        .and(query_param_is_missing("access_token"))
        .and(query_param_is_missing("appsecret_proof"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(common::json(200, &server, "offset_page_2.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let ids: Vec<serde_json::Value> = common::client(&server)
        .get("17841405822304914/media")
        .token(&common::token())
        .paginate()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused() {
    let server = MockServer::start().await;
    let media = api_path("17841405822304914/media");
    let body = common::fixture("offset_page_1.json").replace("{{BASE}}", "https://evil.example");
    Mock::given(method("GET"))
        .and(path(media.as_str()))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let mut stream = common::client(&server)
        .get("17841405822304914/media")
        .token(&common::token())
        .paginate::<serde_json::Value>();
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.unwrap().is_ok());
    let error = stream.next().await.unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Paging);
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn one_page_at_a_time_for_callers_holding_the_cursor() {
    let server = MockServer::start().await;
    mount_pages(
        &server,
        "conversations_page_1.json",
        &[(PAGE_1_AFTER, "conversations_page_2.json")],
    )
    .await;
    mount_catch_all(&server).await;

    let first = conversations(&server).page::<Conversation>().await.unwrap();
    assert_eq!(first.data.len(), 2);
    assert!(first.has_next);
    assert_eq!(first.before.as_deref(), Some("QVFIUmJ2MDU0bW9ZAbzk3"));
    let cursor = first.next_cursor().unwrap().to_owned();
    assert_eq!(cursor, PAGE_1_AFTER);

    let second = conversations(&server)
        .after(cursor)
        .page::<Conversation>()
        .await
        .unwrap();
    assert_eq!(second.data[0].id, "t_10159867410932553");
    assert!(second.has_previous);
}
