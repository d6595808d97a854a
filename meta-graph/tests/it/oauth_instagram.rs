//! Instagram Login against a mock of its three hosts: the authorization URL, the code
//! exchange as a form POST, the long-lived exchange and the refresh, with secrets kept out of
//! everything a log could show.

use std::fmt::Write as _;
use std::time::Duration;

use meta_graph::oauth::{INSTAGRAM_MESSAGING_SCOPES, InstagramLogin, OAuthState};
use meta_graph::{AccessToken, AppId, AppSecret, ErrorKind};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::{self, mount_catch_all};

const APP_ID: &str = "990602627938098";
const SECRET: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const CODE: &str = "AQBx-hBsH3dXvNr6xmK3p0gYkzT1mE";
const REDIRECT: &str = "https://inbox.example.com/api/platforms/callback";

fn login(server: &MockServer) -> InstagramLogin {
    let base = common::client(server);
    let uri = format!("{}/", server.uri());
    InstagramLogin::with_hosts(&base, &uri, &uri, "https://www.instagram.com/").unwrap()
}

#[test]
fn the_authorize_url_asks_for_a_code_with_the_messaging_scopes() {
    let base = meta_graph::GraphClient::builder().build().unwrap();
    let login = InstagramLogin::new(&base).unwrap();
    let state = OAuthState::generate();
    let url = login
        .authorize_url(
            &AppId::new(APP_ID),
            REDIRECT,
            &state,
            INSTAGRAM_MESSAGING_SCOPES,
        )
        .unwrap();
    assert_eq!(url.host_str(), Some("www.instagram.com"));
    assert_eq!(url.path(), "/oauth/authorize");
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [
            ("client_id".into(), APP_ID.into()),
            ("redirect_uri".into(), REDIRECT.into()),
            ("response_type".into(), "code".into()),
            (
                "scope".into(),
                "instagram_business_basic,instagram_business_manage_messages".into()
            ),
            ("state".into(), state.as_str().into()),
        ]
    );
    assert_eq!(
        login.graph().base_url().as_str(),
        "https://graph.instagram.com/"
    );
    assert!(
        login
            .authorize_url(&AppId::new(APP_ID), "not a url", &state, ["x"])
            .is_err()
    );
}

fn is_code_exchange_form(request: &Request) -> bool {
    let text = String::from_utf8_lossy(&request.body);
    let field = |name: &str, value: &str| {
        text.contains(&format!(
            "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ))
    };
    field("client_id", APP_ID)
        && field("client_secret", SECRET)
        && field("grant_type", "authorization_code")
        && field("redirect_uri", REDIRECT)
        // Instagram appends `#_` to the code in the redirect: it must be stripped.
        && field("code", CODE)
        && request.url.query().is_none()
}

#[tokio::test]
async fn the_code_exchange_posts_the_form_and_reads_both_answer_shapes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/access_token"))
        .and(is_code_exchange_form)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{
                "access_token": "IGAAshortLivedToken",
                "user_id": "17841400000000000",
                "permissions": "instagram_business_basic,instagram_business_manage_messages"
            }]
        })))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/access_token"))
        .and(is_code_exchange_form)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "IGAAshortLivedToken2",
            "user_id": 17_841_400_000_000_001_u64,
            "permissions": ["instagram_business_basic"]
        })))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let login = login(&server);
    let secret = AppSecret::new(SECRET);

    let first = login
        .exchange_code(&AppId::new(APP_ID), &secret, REDIRECT, &format!("{CODE}#_"))
        .await
        .unwrap();
    assert_eq!(first.access_token.expose_secret(), "IGAAshortLivedToken");
    assert_eq!(first.user_id.as_deref(), Some("17841400000000000"));
    assert_eq!(
        first.permissions,
        [
            "instagram_business_basic",
            "instagram_business_manage_messages"
        ]
    );
    let second = login
        .exchange_code(&AppId::new(APP_ID), &secret, REDIRECT, CODE)
        .await
        .unwrap();
    assert_eq!(second.user_id.as_deref(), Some("17841400000000001"));
    assert_eq!(second.permissions, ["instagram_business_basic"]);
}

#[tokio::test]
async fn long_lived_exchange_and_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/access_token"))
        .and(query_param("grant_type", "ig_exchange_token"))
        .and(query_param("client_secret", SECRET))
        .and(query_param("access_token", "IGAAshortLivedToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "IGAAlongLivedToken", "token_type": "bearer", "expires_in": 5_183_944
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/refresh_access_token"))
        .and(query_param("grant_type", "ig_refresh_token"))
        .and(query_param("access_token", "IGAAlongLivedToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "IGAArefreshedToken", "token_type": "bearer", "expires_in": 5_183_944
        })))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let login = login(&server);

    let long = login
        .exchange_for_long_lived(
            &AppSecret::new(SECRET),
            &AccessToken::new("IGAAshortLivedToken"),
        )
        .await
        .unwrap();
    assert_eq!(long.access_token.expose_secret(), "IGAAlongLivedToken");
    assert_eq!(long.expires_in, Some(Duration::from_secs(5_183_944)));
    let refreshed = login.refresh(&long.access_token).await.unwrap();
    assert_eq!(refreshed.access_token.expose_secret(), "IGAArefreshedToken");
}

#[tokio::test]
async fn an_expired_token_fails_typed_and_no_secret_is_shown() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/refresh_access_token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {
                "message": "Error validating access token: Session has expired. IGAAlongLivedToken",
                "type": "OAuthException", "code": 190, "error_subcode": 463,
                "fbtrace_id": "AqK7zPqNkTe"
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    mount_catch_all(&server).await;
    let error = login(&server)
        .refresh(&AccessToken::new("IGAAlongLivedToken"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(
        error.api_error().map(meta_graph::GraphApiError::code),
        Some(190)
    );
    let mut shown = format!("{error}\n{error:?}\n");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        writeln!(shown, "{cause}\n{cause:?}").unwrap();
        source = cause.source();
    }
    assert!(!shown.contains("IGAAlongLivedToken"), "{shown}");
}
