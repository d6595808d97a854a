//! The inbox API's readers of untrusted request parts: the `Authorization: Bearer` header (and
//! `/api/ws`'s `?access_token=`), query strings, list cursors, limits, dates and path ids,
//! through the real router on a SQLite store.
//!
//! Properties, for any request the input builds:
//!
//! - nothing panics and nothing answers 5xx (the store is healthy);
//! - without the user's token (in the header, or as the first `access_token` of `/api/ws`'s
//!   query when there is no bearer header), every route answers 401 with `WWW-Authenticate: Bearer` and
//!   the JSON error `unauthorized`; the token is read with `Bearer ` or `bearer ` and blanks;
//! - with it, a list answers 200, 400 or 404, and every 4xx is the server's JSON error
//!   (`{"error": {"code", "message"}}`), a query string or path that does not deserialize
//!   included; only `/api/ws` answers a request that is not a WebSocket upgrade with axum's
//!   plain text (see `is_upgrade_rejection`);
//! - every cursor the server could have given out (base64url of `<at>.<id>`) is accepted, and
//!   a cursor that is not one answers 400 naming `cursor`; `limit` outside 1..=200 answers
//!   400 naming `limit`, inside it is accepted.
#![no_main]

use std::fmt::Write as _;
use std::sync::LazyLock;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use inbox_server::auth::{hash_token, new_api_token};
use inbox_server::crypto::Cipher;
use inbox_server::store::Store;
use inbox_server::{AppState, MetaApp, app};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use meta_graph::oauth::InstagramLogin;
use meta_graph::{AppId, AppSecret, GraphClient, RetryPolicy};
use metabiz_webhook_verify::VerifyToken;
use serde_json::Value;
use tower::ServiceExt as _;

struct Server {
    runtime: tokio::runtime::Runtime,
    router: Router,
    token: String,
}

static SERVER: LazyLock<Server> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = std::env::temp_dir().join(format!("inbox-server-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let (router, token) = runtime.block_on(async {
        let store = Store::connect(&format!("sqlite:{}", dir.join("inbox.db").display()))
            .await
            .expect("SQLite opens");
        let token = new_api_token();
        store
            .create_user("fuzz", &hash_token(&token))
            .await
            .expect("a user");
        // The Graph API is never reached by these routes: aim it at a closed port anyway.
        let graph = GraphClient::builder()
            .app_secret(AppSecret::new("fuzz-app-secret"))
            .retry_policy(RetryPolicy::none())
            .base_url("http://127.0.0.1:9")
            .dialog_base_url("http://127.0.0.1:9")
            .build()
            .expect("a Graph client");
        let meta = MetaApp {
            app_id: Some(AppId::new("1234")),
            app_secret: AppSecret::new("fuzz-app-secret"),
            redirect_uri: Some("http://127.0.0.1:9/callback".to_owned()),
            instagram: InstagramLogin::new(&graph).expect("Instagram Login"),
            graph,
        };
        let cipher = Cipher::from_config(&Cipher::generate_key("k1")).expect("a key");
        let state = AppState::new(store, meta, VerifyToken::new("fuzz-verify"), cipher);
        (app(state), token)
    });
    Server {
        runtime,
        router,
        token,
    }
});

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            write!(out, "%{byte:02X}").expect("writing to a String");
        }
    }
    out
}

/// Whether `cursor` is one the server could read: base64url of `<i64>.<i64>`.
fn readable_cursor(cursor: &str) -> bool {
    let Ok(raw) = URL_SAFE_NO_PAD.decode(cursor) else {
        return false;
    };
    let Ok(raw) = std::str::from_utf8(&raw) else {
        return false;
    };
    raw.split_once('.')
        .is_some_and(|(at, id)| at.parse::<i64>().is_ok() && id.parse::<i64>().is_ok())
}

/// What the request is expected to meet, when the input says so.
#[derive(Default)]
struct Expect {
    authorized: bool,
    /// Only a cursor and a limit, on the conversation list: 200 or a 400 naming the fault.
    verdict: Option<std::result::Result<(), &'static str>>,
}

enum Auth {
    Missing,
    /// The token between a prefix and a suffix.
    Valid(&'static str, &'static str),
    Raw(Vec<u8>),
    Wrong,
}

fn build(u: &mut Unstructured<'_>, token: &str) -> Result<(Request<Body>, Expect)> {
    let mut expect = Expect::default();
    let auth = match u.int_in_range(0..=5)? {
        0 => Auth::Missing,
        1 => Auth::Valid("Bearer ", ""),
        2 => Auth::Valid("bearer ", " "),
        3 => Auth::Valid("Bearer  ", "\t"),
        4 => Auth::Raw(u.arbitrary()?),
        _ => Auth::Wrong,
    };
    let path = match u.int_in_range(0..=5)? {
        0 | 1 => "/api/conversations".to_owned(),
        2 => format!("/api/conversations/{}/messages", u.arbitrary::<i64>()?),
        3 => format!("/api/conversations/{}/messages", encode(u.arbitrary()?)),
        4 => "/api/analytics/daily".to_owned(),
        _ => "/api/ws".to_owned(),
    };
    let mut query: Vec<String> = Vec::new();
    let composed = u.arbitrary::<bool>()?;
    if composed {
        let mut fault = None;
        match u.int_in_range(0..=2)? {
            0 => {}
            1 => {
                let cursor = URL_SAFE_NO_PAD.encode(format!(
                    "{}.{}",
                    u.arbitrary::<i64>()?,
                    u.arbitrary::<i64>()?
                ));
                query.push(format!("cursor={cursor}"));
            }
            _ => {
                let cursor: String = u.arbitrary()?;
                if !readable_cursor(&cursor) {
                    fault = Some("cursor");
                }
                query.push(format!("cursor={}", encode(&cursor)));
            }
        }
        if u.arbitrary::<bool>()? {
            let limit: i64 = if u.arbitrary()? {
                u.int_in_range(1..=200)?
            } else {
                u.arbitrary()?
            };
            // The limit is checked before the cursor.
            if !(1..=200).contains(&limit) {
                fault = Some("limit");
            }
            query.push(format!("limit={limit}"));
        }
        if path == "/api/conversations" {
            expect.verdict = Some(fault.map_or(Ok(()), Err));
        }
    } else {
        let raw: String = u.arbitrary()?;
        // A `#` starts the fragment, which no server sees: the query ends there.
        let raw = raw.split('#').next().unwrap_or_default();
        if !raw.is_empty() {
            query.push(raw.to_owned());
        }
    }
    let token_in_query = path == "/api/ws" && u.arbitrary::<bool>()?;
    if token_in_query {
        // The server reads the first `access_token`: put the token before any the raw query has.
        query.insert(0, format!("access_token={}", encode(token)));
    }

    let uri = if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    };
    let header_value: Option<Vec<u8>> = match auth {
        Auth::Missing => None,
        Auth::Valid(prefix, suffix) => Some(format!("{prefix}{token}{suffix}").into_bytes()),
        Auth::Raw(bytes) => Some(bytes),
        Auth::Wrong => Some(b"Bearer ibx_not-the-token".to_vec()),
    };
    let mut request = Request::get(uri);
    // The token a server reads from the header: a bearer header is used even when wrong;
    // anything else counts as no header, and only `/api/ws` then looks at its query.
    let mut from_header = None;
    if let Some(bytes) = header_value {
        let value = HeaderValue::from_bytes(&bytes)
            .map_err(|_| libfuzzer_sys::arbitrary::Error::IncorrectFormat)?;
        from_header = value
            .to_str()
            .ok()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|v| v.trim().to_owned());
        request = request.header(header::AUTHORIZATION, value);
    }
    expect.authorized = match from_header {
        Some(read) => read == token,
        None => token_in_query,
    };
    match request.body(Body::empty()) {
        Ok(request) => Ok((request, expect)),
        // Not a URI or header value at all: no server sees it.
        Err(_) => Err(libfuzzer_sys::arbitrary::Error::IncorrectFormat),
    }
}

/// axum's own answer when `/api/ws` gets a request that is not a WebSocket upgrade: plain
/// text, not JSON.
fn is_upgrade_rejection(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    text.starts_with("Connection header")
        || text.starts_with("`Upgrade` header")
        || text.starts_with("`Sec-WebSocket")
        || text.starts_with("WebSocket request couldn't be upgraded")
        || text.starts_with("Request method must be")
}

fn error_code(body: &[u8]) -> Option<(String, String)> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?;
    Some((
        error.get("code")?.as_str()?.to_owned(),
        error.get("message")?.as_str()?.to_owned(),
    ))
}

fuzz_target!(|data: &[u8]| {
    let server = &*SERVER;
    let mut u = Unstructured::new(data);
    let Ok((request, expect)) = build(&mut u, &server.token) else {
        return;
    };
    let uri = request.uri().to_string();
    let (status, www, body) = server.runtime.block_on(async {
        let response = server
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let www = response
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .map(|v| v.as_bytes().to_vec());
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("a body");
        (status, www, body)
    });
    let text = String::from_utf8_lossy(&body);
    assert!(!status.is_server_error(), "{uri}: {status} {text}");

    if !expect.authorized {
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}: {text}");
        assert_eq!(www.as_deref(), Some(&b"Bearer"[..]));
        assert_eq!(
            error_code(&body).map(|(c, _)| c).as_deref(),
            Some("unauthorized")
        );
        return;
    }
    assert_ne!(
        status,
        StatusCode::UNAUTHORIZED,
        "{uri}: the token was refused"
    );
    if status.is_client_error() {
        let upgrade = uri.starts_with("/api/ws") && is_upgrade_rejection(&body);
        assert!(
            error_code(&body).is_some() || upgrade,
            "{uri}: {status} without the JSON error: {text}"
        );
    }
    match expect.verdict {
        Some(Ok(())) => assert_eq!(status, StatusCode::OK, "{uri}: {text}"),
        Some(Err(field)) => {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {text}");
            let (code, message) = error_code(&body).expect("the server's JSON error");
            assert_eq!(code, "bad_request");
            assert!(
                message.contains(field),
                "{uri}: {message} does not name {field}"
            );
        }
        None => {}
    }
    if status == StatusCode::OK && uri.starts_with("/api/conversations") {
        let value: Value = serde_json::from_slice(&body).expect("a JSON page");
        assert!(value["data"].is_array(), "{uri}: {text}");
        assert!(value.get("next_cursor").is_some(), "{uri}: {text}");
    }
});
