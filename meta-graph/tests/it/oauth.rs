//! Facebook Login: dialog URL, token exchanges, Pages, Instagram account,
//! token inspection.

use std::time::Duration;

use futures_util::TryStreamExt;
use meta_graph::oauth::{Expiry, OAuthState, PageTask, TokenType};
use meta_graph::{AccessToken, AppId, AppSecret, ErrorKind, PageId};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::common::{self, APP_SECRET, api_path, mount_catch_all};

const APP_ID: &str = "138483919580948";
const REDIRECT: &str = "https://app.example.com/auth/facebook/callback";

fn app() -> (AppId, AppSecret) {
    (AppId::new(APP_ID), AppSecret::new(APP_SECRET))
}

#[tokio::test]
async fn login_url_has_the_documented_shape() {
    let server = MockServer::start().await;
    mount_catch_all(&server).await;
    let client = common::builder(&server)
        .dialog_base_url("https://www.facebook.com")
        .build()
        .unwrap();
    let state = OAuthState::generate();
    let url = client
        .oauth()
        .login_url(
            &AppId::new(APP_ID),
            REDIRECT,
            &state,
            ["pages_show_list", "pages_messaging"],
        )
        .unwrap();
    assert_eq!(url.host_str(), Some("www.facebook.com"));
    assert_eq!(
        url.path(),
        format!("/{}/dialog/oauth", meta_graph::DEFAULT_API_VERSION)
    );
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |key: &str| {
        query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("client_id"), Some(APP_ID));
    assert_eq!(get("redirect_uri"), Some(REDIRECT));
    assert_eq!(get("state"), Some(state.as_str()));
    assert_eq!(get("scope"), Some("pages_show_list,pages_messaging"));
    assert_eq!(get("response_type"), Some("code"));
    assert!(state.matches(get("state").unwrap()));

    let err = client
        .oauth()
        .login_url(&AppId::new(APP_ID), "/relative", &state, [""; 0])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn exchanges_a_code_then_a_long_lived_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("oauth/access_token")))
        .and(query_param("client_id", APP_ID))
        .and(query_param("redirect_uri", REDIRECT))
        .and(query_param("client_secret", APP_SECRET))
        .and(query_param("code", "AQDcodeFromCallback"))
        .respond_with(common::json(200, &server, "oauth_access_token.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api_path("oauth/access_token")))
        .and(query_param("grant_type", "fb_exchange_token"))
        .and(query_param("client_id", APP_ID))
        .and(query_param("client_secret", APP_SECRET))
        .and(query_param(
            "fb_exchange_token",
            "EAAGshortLivedUserTokenFromCode",
        ))
        .respond_with(common::json(200, &server, "oauth_long_lived_token.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let client = common::client(&server);
    let (app_id, secret) = app();
    let short = client
        .oauth()
        .exchange_code(&app_id, &secret, REDIRECT, "AQDcodeFromCallback")
        .await
        .unwrap();
    assert_eq!(
        short.access_token.expose_secret(),
        "EAAGshortLivedUserTokenFromCode"
    );
    assert!(!format!("{short:?}").contains("EAAGshortLivedUserTokenFromCode"));

    let long = client
        .oauth()
        .exchange_for_long_lived(&app_id, &secret, &short.access_token)
        .await
        .unwrap();
    assert_eq!(
        long.access_token.expose_secret(),
        "EAAGlongLivedUserToken60Days"
    );
    assert_eq!(long.token_type.as_deref(), Some("bearer"));
    assert_eq!(long.expires_in, Some(Duration::from_secs(5_183_944)));
}

#[tokio::test]
async fn a_failed_exchange_shows_neither_the_secret_nor_the_code() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("oauth/access_token")))
        .respond_with(common::json(400, &server, "error_100_oauth_code.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let (app_id, secret) = app();
    let error = common::client(&server)
        .oauth()
        .exchange_code(&app_id, &secret, REDIRECT, "AQDsecretCode")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.api_error().unwrap().error_subcode(), Some(36_009));
    let shown = common::everything_shown(&error);
    assert!(!shown.contains(APP_SECRET), "{shown}");
    assert!(!shown.contains("AQDsecretCode"), "{shown}");
}

#[tokio::test]
async fn lists_pages_with_their_tokens_and_tasks() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_path("me/accounts")))
        .and(query_param("fields", "id,name,access_token,category,tasks"))
        .and(header(
            "authorization",
            "Bearer EAAGlongLivedUserToken60Days",
        ))
        .respond_with(common::json(200, &server, "me_accounts.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;

    let user = AccessToken::new("EAAGlongLivedUserToken60Days");
    let pages: Vec<_> = common::client(&server)
        .oauth()
        .pages(&user)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].id, PageId::new("102927594431953"));
    assert_eq!(pages[0].name.as_deref(), Some("Mikeapicalls"));
    assert_eq!(pages[0].category.as_deref(), Some("Blogger"));
    assert_eq!(
        pages[0].access_token.as_ref().unwrap().expose_secret(),
        "EAAGpageTokenOfMikeapicalls"
    );
    assert!(pages[0].tasks.contains(&PageTask::Messaging));
    assert_eq!(
        pages[1].tasks[1],
        PageTask::Unknown("PROFILE_PLUS_FACEBOOK_ACCESS".into())
    );
    assert!(!format!("{pages:?}").contains("EAAGpageToken"));
}

#[tokio::test]
async fn finds_the_instagram_account_of_a_page_or_none() {
    let server = MockServer::start().await;
    for (page, fixture) in [
        ("106540352242922", "page_instagram_business_account.json"),
        ("102927594431953", "page_without_instagram.json"),
    ] {
        Mock::given(method("GET"))
            .and(path(api_path(page)))
            .and(query_param(
                "fields",
                "instagram_business_account{id,username}",
            ))
            .and(header("authorization", "Bearer EAAGpageToken"))
            .respond_with(common::json(200, &server, fixture))
            .expect(1)
            .mount(&server)
            .await;
    }
    mount_catch_all(&server).await;

    let client = common::client(&server);
    let page_token = AccessToken::new("EAAGpageToken");
    let account = client
        .oauth()
        .instagram_business_account(&PageId::new("106540352242922"), &page_token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.id.as_str(), "17841405822304914");
    assert_eq!(account.username.as_deref(), Some("cornerbakery"));
    let none = client
        .oauth()
        .instagram_business_account(&PageId::new("102927594431953"), &page_token)
        .await
        .unwrap();
    assert!(none.is_none());
}

#[tokio::test]
async fn debug_token_with_an_app_token() {
    let server = MockServer::start().await;
    let app_token = format!("{APP_ID}|{APP_SECRET}");
    for (input, fixture) in [
        ("EAAGuser", "debug_token_user.json"),
        ("EAAGpage", "debug_token_page.json"),
        ("EAAGrevoked", "debug_token_invalid.json"),
    ] {
        Mock::given(method("GET"))
            .and(path(api_path("debug_token")))
            .and(query_param("input_token", input))
            .and(header(
                "authorization",
                format!("Bearer {app_token}").as_str(),
            ))
            .respond_with(common::json(200, &server, fixture))
            .expect(1)
            .mount(&server)
            .await;
    }
    mount_catch_all(&server).await;

    let client = common::client(&server);
    let (app_id, secret) = app();
    let app_token = AccessToken::app_token(&app_id, &secret);
    let oauth = client.oauth();

    let user = oauth
        .debug_token(&AccessToken::new("EAAGuser"), &app_token)
        .await
        .unwrap();
    assert!(user.is_valid);
    assert_eq!(user.app_id, Some(app_id.clone()));
    assert_eq!(user.token_type, Some(TokenType::User));
    assert_eq!(user.application.as_deref(), Some("Social Cafe"));
    assert_eq!(
        user.expires_at,
        Some(Expiry::At(
            time::OffsetDateTime::from_unix_timestamp(1_352_419_328).unwrap()
        ))
    );
    assert_eq!(user.issued_at.unwrap().unix_timestamp(), 1_347_235_328);
    assert_eq!(user.scopes, ["email", "pages_show_list", "pages_messaging"]);
    assert_eq!(
        user.granular_scopes[0].target_ids,
        ["102927594431953", "106540352242922"]
    );
    assert!(user.granular_scopes[1].target_ids.is_empty());
    assert_eq!(user.user_id.as_ref().unwrap().as_str(), "1207059");

    let page = oauth
        .debug_token(&AccessToken::new("EAAGpage"), &app_token)
        .await
        .unwrap();
    assert_eq!(page.token_type, Some(TokenType::Page));
    assert_eq!(page.expires_at, Some(Expiry::Never));
    assert_eq!(page.data_access_expires_at, Some(Expiry::Never));
    assert_eq!(page.profile_id.as_deref(), Some("106540352242922"));

    let revoked = oauth
        .debug_token(&AccessToken::new("EAAGrevoked"), &app_token)
        .await
        .unwrap();
    assert!(!revoked.is_valid);
    let error = revoked.error.unwrap();
    assert_eq!((error.code, error.subcode), (Some(190), Some(458)));
}
