//! A corpus of malformed and hostile requests: each is answered with the 4xx a client would
//! expect, never a panic or a 5xx, nothing of it reaches the webhook log, and the server still
//! answers a good request afterwards.
//!
//! The bulk goes through the router with `oneshot`; what hyper itself must handle (a broken
//! request line, bad header bytes, a body cut short, a body streamed in chunks) goes over a
//! real socket to `axum::serve`, with the status read from the raw response. Every webhook
//! case runs against the three platforms, and everything runs on SQLite and, when
//! `DATABASE_URL` points at PostgreSQL, on PostgreSQL. `HOSTILE_SEED` picks another seed for
//! the mutated bodies.

#![allow(clippy::too_many_lines)] // a corpus reads best as one list

mod common;

use std::fmt::Write as _;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, Request, StatusCode};
use bytes::Bytes;
use common::{VERIFY_TOKEN, fixture, signature, state, state_with, stores, user};
use http_body_util::BodyExt as _;
use inbox_server::api::{Access, BODY_LIMIT, routes};
use inbox_server::store::Store;
use inbox_server::{AppState, app};
use metabiz_webhook_verify::test_util::sign_body;
use metabiz_webhook_verify::{
    AppSecret, MAX_CHALLENGE_LEN, SIGNATURE_256_HEADER, SIGNATURE_SHA1_HEADER,
};
use rand::{Rng as _, SeedableRng as _};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tower::ServiceExt as _;

const PLATFORMS: [&str; 3] = ["whatsapp", "messenger", "instagram"];
const FIVE_MB: usize = 5 * 1024 * 1024;
const JSON: &str = "application/json";

/// A real delivery of each platform, as Meta's documentation shows it.
fn good_body(platform: &str) -> Bytes {
    fixture(&format!("{platform}/tests/fixtures/text.json")).into()
}

fn webhook_uri(platform: &str) -> String {
    format!("/api/webhooks/{platform}/")
}

fn handshake_uri(platform: &str, query: &str) -> String {
    format!("/api/webhooks/{platform}/?{query}")
}

fn good_handshake(challenge: &str) -> String {
    format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge={challenge}")
}

/// One request of the corpus and the status it must get.
struct Case {
    name: String,
    request: Request<Body>,
    expect: StatusCode,
}

/// The requests of a corpus, and the bodies the good ones among them must leave in the log.
#[derive(Default)]
struct Corpus {
    cases: Vec<Case>,
    logged: Vec<(String, Bytes)>,
}

impl Corpus {
    fn case(&mut self, name: impl Into<String>, request: Request<Body>, expect: StatusCode) {
        self.cases.push(Case {
            name: name.into(),
            request,
            expect,
        });
    }

    /// A POST to `platform`'s webhook with these headers, signed with the app secret when
    /// `sign` is set.
    fn post(
        &mut self,
        name: &str,
        platform: &str,
        body: impl Into<Bytes>,
        headers: &[(&str, HeaderValue)],
        sign: bool,
        expect: StatusCode,
    ) {
        let body = body.into();
        let mut request = Request::post(webhook_uri(platform));
        if sign {
            request = request.header(SIGNATURE_256_HEADER, signature(&body));
        }
        for (name, value) in headers {
            request = request.header(*name, value.clone());
        }
        if expect == StatusCode::OK {
            self.logged.push((platform.to_owned(), body.clone()));
        }
        self.case(
            format!("{platform}: {name}"),
            request.body(Body::from(body)).unwrap(),
            expect,
        );
    }

    fn signed(&mut self, name: &str, platform: &str, body: impl Into<Bytes>, expect: StatusCode) {
        self.post(name, platform, body, &[json_type()], true, expect);
    }

    /// Sends every case; returns what the good ones must have logged.
    async fn run(self, backend: &str, state: &AppState) -> Vec<(String, Bytes)> {
        for case in self.cases {
            let (status, _) = send(state, case.request).await;
            assert_eq!(status, case.expect, "{backend}: {}", case.name);
        }
        self.logged
    }
}

fn json_type() -> (&'static str, HeaderValue) {
    ("content-type", HeaderValue::from_static(JSON))
}

fn content_type(value: &'static str) -> (&'static str, HeaderValue) {
    ("content-type", HeaderValue::from_static(value))
}

async fn send(state: &AppState, request: Request<Body>) -> (StatusCode, Bytes) {
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    assert!(!status.is_server_error(), "{status}");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, body)
}

/// `body` in chunks, with no length known up front (as `Transfer-Encoding: chunked` arrives).
fn streamed(body: &[u8]) -> Body {
    let chunks: Vec<Result<Bytes, std::io::Error>> = body
        .chunks(64 * 1024)
        .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
        .collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

/// `body` with `insert` put in before the first occurrence of `at`.
fn splice(body: &[u8], at: &[u8], insert: &[u8]) -> Vec<u8> {
    let index = body
        .windows(at.len())
        .position(|window| window == at)
        .unwrap_or_else(|| panic!("{} is not in the body", String::from_utf8_lossy(at)));
    [&body[..index], insert, &body[index..]].concat()
}

/// A well-formed JSON object of `len` bytes: `body` padded with spaces.
fn padded(body: &[u8], len: usize) -> Vec<u8> {
    let mut out = body.to_vec();
    out.resize(len, b' ');
    out
}

/// Every body received into the webhook log, as `(platform, body)`, in order. The rows that
/// processing splits off a body (one per update, with a `parent_id`) were not received.
async fn webhook_log(store: &Store) -> Vec<(String, Vec<u8>)> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM webhook_log WHERE parent_id IS NULL ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let mut log = Vec::with_capacity(ids.len());
    for id in ids {
        // Byte for byte as received, though a large body is stored compressed.
        log.push(store.logged_body(id).await.unwrap().unwrap());
    }
    log
}

async fn assert_log_is(backend: &str, store: &Store, expected: &[(String, Bytes)]) {
    let log = webhook_log(store).await;
    let got: Vec<(&str, &[u8])> = log.iter().map(|(p, b)| (p.as_str(), &b[..])).collect();
    let want: Vec<(&str, &[u8])> = expected.iter().map(|(p, b)| (p.as_str(), &b[..])).collect();
    assert_eq!(got.len(), want.len(), "{backend}: rows in the webhook log");
    assert!(got == want, "{backend}: the webhook log holds other bodies");
}

/// The webhook corpus for one platform.
fn webhook_corpus(corpus: &mut Corpus, platform: &str) {
    use StatusCode as S;
    let good = good_body(platform);
    let compact = good.trim_ascii_end();
    let sig = signature(&good);
    let wrong = sign_body(&AppSecret::new("not the app secret"), &good);
    let header = |value: &str| HeaderValue::from_str(value).unwrap();

    // Signed, but not one JSON object: 400, not logged.
    corpus.signed(
        "truncated JSON",
        platform,
        good.slice(..good.len() / 2),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "JSON missing its last brace",
        platform,
        compact[..compact.len() - 1].to_vec(),
        S::BAD_REQUEST,
    );
    corpus.signed("an empty body", platform, Bytes::new(), S::BAD_REQUEST);
    corpus.signed("100,000 [", platform, "[".repeat(100_000), S::BAD_REQUEST);
    corpus.signed(
        "100,000 {\"a\":",
        platform,
        "{\"a\":".repeat(100_000),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "well-formed nesting 200 deep",
        platform,
        format!(
            r#"{{"object":"page","entry":{}{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        ),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "well-formed nesting 100,000 deep",
        platform,
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "invalid UTF-8 in a key",
        platform,
        splice(&good, b"entry\"", b"\xff"),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "a UTF-8 sequence cut short in a value",
        platform,
        splice(&good, b"\"object\"", b"\"k\":\"\xc3\","),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "an overlong UTF-8 encoding of /",
        platform,
        splice(&good, b"\"object\"", b"\"\xc0\xaf\":1,"),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "a lone surrogate escape",
        platform,
        splice(&good, b"\"object\"", br#""\udc00":1,"#),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "a NUL byte in a string",
        platform,
        splice(&good, b"\"object\"", b"\"\0\":1,"),
        S::BAD_REQUEST,
    );
    let utf16: Vec<u8> = String::from_utf8_lossy(&good)
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    corpus.signed("the body in UTF-16", platform, utf16, S::BAD_REQUEST);
    corpus.signed(
        "a byte-order mark",
        platform,
        [&b"\xef\xbb\xbf"[..], &good].concat(),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "an array of the body",
        platform,
        [&b"["[..], compact, b"]"].concat(),
        S::BAD_REQUEST,
    );
    corpus.signed("a JSON string", platform, "\"EVENT\"", S::BAD_REQUEST);
    corpus.signed("null", platform, "null", S::BAD_REQUEST);
    corpus.signed(
        "the body twice",
        platform,
        [&good[..], &good].concat(),
        S::BAD_REQUEST,
    );
    corpus.signed(
        "trailing garbage",
        platform,
        [&good[..], b"\x00garbage"].concat(),
        S::BAD_REQUEST,
    );

    // Signed, a good body, not declared JSON: 415, not logged.
    for (name, value) in [
        ("text/plain", "text/plain"),
        ("a form", "application/x-www-form-urlencoded"),
        ("multipart", "multipart/form-data; boundary=xyz"),
        ("application/jsonp", "application/jsonp"),
        ("application/*", "application/*"),
    ] {
        corpus.post(
            &format!("content type {name}"),
            platform,
            good.clone(),
            &[content_type(value)],
            true,
            S::UNSUPPORTED_MEDIA_TYPE,
        );
    }
    corpus.post(
        "no content type",
        platform,
        good.clone(),
        &[],
        true,
        S::UNSUPPORTED_MEDIA_TYPE,
    );
    corpus.post(
        "two content types",
        platform,
        good.clone(),
        &[json_type(), content_type("text/plain")],
        true,
        S::UNSUPPORTED_MEDIA_TYPE,
    );
    corpus.post(
        "a non-ASCII content type",
        platform,
        good.clone(),
        &[(
            "content-type",
            HeaderValue::from_bytes(b"application/json\xe4").unwrap(),
        )],
        true,
        S::UNSUPPORTED_MEDIA_TYPE,
    );
    let form = format!("payload={}", url_encode(&good));
    corpus.post(
        "the body as a form",
        platform,
        form,
        &[content_type("application/x-www-form-urlencoded")],
        true,
        S::UNSUPPORTED_MEDIA_TYPE,
    );
    let multipart = [
        &b"--xyz\r\nContent-Disposition: form-data; name=\"payload\"\r\nContent-Type: application/json\r\n\r\n"[..],
        &good,
        b"\r\n--xyz--\r\n",
    ]
    .concat();
    corpus.post(
        "the body as multipart",
        platform,
        multipart,
        &[content_type("multipart/form-data; boundary=xyz")],
        true,
        S::UNSUPPORTED_MEDIA_TYPE,
    );

    // Unsigned, or a signature that does not verify: 401, whatever else is wrong.
    corpus.post(
        "no signature",
        platform,
        good.clone(),
        &[json_type()],
        false,
        S::UNAUTHORIZED,
    );
    corpus.post(
        "no signature, text/plain",
        platform,
        good.clone(),
        &[content_type("text/plain")],
        false,
        S::UNAUTHORIZED,
    );
    corpus.post(
        "no signature, truncated JSON",
        platform,
        good.slice(..10),
        &[json_type()],
        false,
        S::UNAUTHORIZED,
    );
    let hex = sig.strip_prefix("sha256=").unwrap();
    let mut other_body = good.to_vec();
    other_body[good.len() / 2] ^= 1;
    for (name, value) in [
        ("another secret's signature", header(&wrong)),
        ("the hex alone, no sha256=", header(hex)),
        ("sha256= and nothing", header("sha256=")),
        ("63 hex digits", header(&sig[..sig.len() - 1])),
        ("65 hex digits", header(&format!("{sig}0"))),
        (
            "uppercase hex",
            header(&format!("sha256={}", hex.to_uppercase())),
        ),
        ("SHA256=", header(&format!("SHA256={hex}"))),
        (
            "non-hex digits",
            header(&format!("sha256={}", "zz".repeat(32))),
        ),
        ("a trailing space", header(&format!("{sig} "))),
        ("a leading space", header(&format!(" {sig}"))),
        ("two values in one header", header(&format!("{sig},{sig}"))),
        ("8 KiB of garbage", header(&"x".repeat(8 * 1024))),
        (
            "non-ASCII bytes",
            HeaderValue::from_bytes(format!("sha256={}\u{e4}", &hex[..62]).as_bytes()).unwrap(),
        ),
        (
            "sha1= in the SHA-256 header",
            header(&format!("sha1={}", &hex[..40])),
        ),
        (
            "the signature of another body",
            header(&signature(&other_body)),
        ),
    ] {
        corpus.post(
            &format!("signature: {name}"),
            platform,
            good.clone(),
            &[json_type(), (SIGNATURE_256_HEADER, value)],
            false,
            S::UNAUTHORIZED,
        );
    }
    for (name, first, second) in [
        ("right then wrong", &sig, &wrong),
        ("wrong then right", &wrong, &sig),
        ("right twice", &sig, &sig),
    ] {
        corpus.post(
            &format!("X-Hub-Signature-256 twice, {name}"),
            platform,
            good.clone(),
            &[
                json_type(),
                (SIGNATURE_256_HEADER, header(first)),
                (SIGNATURE_256_HEADER, header(second)),
            ],
            false,
            S::UNAUTHORIZED,
        );
    }
    corpus.post(
        "only the legacy SHA-1 header",
        platform,
        good.clone(),
        &[
            json_type(),
            (
                SIGNATURE_SHA1_HEADER,
                header(&format!("sha1={}", &hex[..40])),
            ),
        ],
        false,
        S::UNAUTHORIZED,
    );

    // Over the limit: 413 when signed (401 first when not), declared or streamed.
    corpus.signed(
        "5 MB",
        platform,
        padded(&good, FIVE_MB),
        S::PAYLOAD_TOO_LARGE,
    );
    corpus.signed(
        "one byte over the limit",
        platform,
        padded(&good, BODY_LIMIT + 1),
        S::PAYLOAD_TOO_LARGE,
    );
    corpus.post(
        "5 MB unsigned",
        platform,
        padded(&good, FIVE_MB),
        &[json_type()],
        false,
        S::UNAUTHORIZED,
    );
    let big = padded(&good, FIVE_MB);
    corpus.case(
        format!("{platform}: 5 MB streamed in chunks"),
        Request::post(webhook_uri(platform))
            .header(CONTENT_TYPE, JSON)
            .header(SIGNATURE_256_HEADER, signature(&big))
            .body(streamed(&big))
            .unwrap(),
        S::PAYLOAD_TOO_LARGE,
    );

    // The handshake: anything but the exact subscription is 403.
    let too_long = "7".repeat(MAX_CHALLENGE_LEN + 1);
    // The longest URI the `http` crate builds is 65,534 bytes; 1 MB goes over the socket.
    let long = "9".repeat(60_000);
    for (name, query) in [
        ("no query", String::new()),
        (
            "hub.mode unsubscribe",
            format!("hub.mode=unsubscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"),
        ),
        (
            "hub.mode in capitals",
            format!("hub.mode=SUBSCRIBE&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"),
        ),
        (
            "no hub.mode",
            format!("hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"),
        ),
        (
            "no verify token",
            "hub.mode=subscribe&hub.challenge=1".to_owned(),
        ),
        (
            "a wrong verify token",
            "hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1".to_owned(),
        ),
        (
            "the verify token in capitals",
            format!(
                "hub.mode=subscribe&hub.verify_token={}&hub.challenge=1",
                VERIFY_TOKEN.to_uppercase()
            ),
        ),
        (
            "an empty verify token",
            "hub.mode=subscribe&hub.verify_token=&hub.challenge=1".to_owned(),
        ),
        (
            "the verify token twice",
            format!(
                "hub.mode=subscribe&hub.verify_token=guess&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"
            ),
        ),
        (
            "no challenge",
            format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}"),
        ),
        ("an empty challenge", good_handshake("")),
        ("a challenge one over the limit", good_handshake(&too_long)),
        ("a 60 KB challenge", good_handshake(&long)),
        ("a 60 KB query of junk", "&=".repeat(30_000)),
        (
            "a challenge with CRLF",
            good_handshake("1%0D%0ASet-Cookie:%20x=1"),
        ),
        ("a challenge with a space", good_handshake("11+58")),
        ("a non-ASCII challenge", good_handshake("%C3%A4")),
        ("a challenge of invalid UTF-8", good_handshake("%FF%FE")),
        (
            "the challenge twice",
            format!("{}&hub.challenge=2", good_handshake("1")),
        ),
    ] {
        corpus.case(
            format!("{platform}: handshake, {name}"),
            Request::get(handshake_uri(platform, &query))
                .body(Body::empty())
                .unwrap(),
            S::FORBIDDEN,
        );
    }

    // Unknown platforms and paths: 404 before anything is read.
    for path in [
        format!("/api/webhooks/{platform}s/"),
        format!("/api/webhooks/{}/", platform.to_uppercase()),
        format!("/api/webhooks/{platform}%00/"),
        format!("/api/webhooks/%FF{platform}/"),
        format!("/api/webhooks/{platform}"),
        format!("/api/webhooks/{platform}/extra/"),
        format!("/api/webhook/{platform}/"),
        format!("/api/webhooks/{}/", "x".repeat(10_000)),
        "/api/webhooks/telegram/".to_owned(),
        "/api/webhooks//".to_owned(),
    ] {
        let body = good.clone();
        corpus.case(
            format!("{platform}: signed POST to {}", &path[..path.len().min(60)]),
            Request::post(&path)
                .header(CONTENT_TYPE, JSON)
                .header(SIGNATURE_256_HEADER, signature(&body))
                .body(Body::from(body))
                .unwrap(),
            S::NOT_FOUND,
        );
        corpus.case(
            format!("{platform}: handshake at {}", &path[..path.len().min(60)]),
            Request::get(format!("{path}?{}", good_handshake("1158201444")))
                .body(Body::empty())
                .unwrap(),
            S::NOT_FOUND,
        );
    }

    // Methods the endpoint does not take.
    for method in [
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::TRACE,
    ] {
        corpus.case(
            format!("{platform}: {method}"),
            Request::builder()
                .method(method)
                .uri(webhook_uri(platform))
                .header(CONTENT_TYPE, JSON)
                .header(SIGNATURE_256_HEADER, sig.clone())
                .body(Body::from(good.clone()))
                .unwrap(),
            S::METHOD_NOT_ALLOWED,
        );
    }

    // Good requests among them, which must be answered and logged.
    corpus.signed("the real body", platform, good.clone(), S::OK);
    corpus.post(
        "JSON with a charset",
        platform,
        good.clone(),
        &[content_type("application/json; charset=UTF-8")],
        true,
        S::OK,
    );
    corpus.post(
        "a garbage legacy SHA-1 header beside a good SHA-256 one",
        platform,
        good.clone(),
        &[json_type(), (SIGNATURE_SHA1_HEADER, header("sha1=zz"))],
        true,
        S::OK,
    );
    corpus.signed(
        "exactly the limit",
        platform,
        padded(&good, BODY_LIMIT),
        S::OK,
    );
}

fn url_encode(bytes: &[u8]) -> String {
    url::form_urlencoded::byte_serialize(bytes).collect()
}

/// The good requests that must still work after a corpus.
async fn assert_still_answers(backend: &str, state: &AppState, logged: &mut Vec<(String, Bytes)>) {
    for platform in PLATFORMS {
        let body = good_body(platform);
        let status = common::post_signed(state, platform, &body).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{backend}: {platform} after the corpus"
        );
        logged.push((platform.to_owned(), body));
        let challenge = "1158201444";
        let (status, echoed) = send(
            state,
            Request::get(handshake_uri(platform, &good_handshake(challenge)))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{backend}: {platform} handshake");
        assert_eq!(&echoed[..], challenge.as_bytes());
    }
}

#[tokio::test]
async fn hostile_webhooks_get_a_4xx_and_leave_nothing_in_the_log() {
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
        let mut logged = Vec::new();
        for platform in PLATFORMS {
            let mut corpus = Corpus::default();
            webhook_corpus(&mut corpus, platform);
            logged.extend(corpus.run(backend, &state).await);
        }
        // The longest challenge Meta may send is echoed whole.
        let longest = "8".repeat(MAX_CHALLENGE_LEN);
        let (status, echoed) = send(
            &state,
            Request::get(handshake_uri("whatsapp", &good_handshake(&longest)))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{backend}");
        assert_eq!(&echoed[..], longest.as_bytes());
        // Markup is visible ASCII, so it is echoed, but as plain text a browser will not sniff.
        let response = app(state.clone())
            .oneshot(
                Request::get(handshake_uri("messenger", &good_handshake("%3Cscript%3E")))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{backend}");
        assert_eq!(
            response.headers().get(CONTENT_TYPE).unwrap(),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            response.headers().get("x-content-type-options").unwrap(),
            "nosniff"
        );

        assert_still_answers(backend, &state, &mut logged).await;
        assert_log_is(backend, &store, &logged).await;
    }
}

#[tokio::test]
async fn refusals_say_nothing_about_the_check_that_failed() {
    // Refused before any storage is touched: one store is enough.
    let (_, store) = stores().await.remove(0);
    let state = state(store).await;
    let good = good_body("whatsapp");
    let mut answers = Vec::new();
    for signature in [None, Some("sha256=".to_owned()), Some(signature(b"other"))] {
        let mut request = Request::post(webhook_uri("whatsapp")).header(CONTENT_TYPE, JSON);
        if let Some(signature) = signature {
            request = request.header(SIGNATURE_256_HEADER, signature);
        }
        let (status, body) = send(&state, request.body(Body::from(good.clone())).unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        answers.push(body);
    }
    assert!(
        answers.iter().all(|body| body == &answers[0]),
        "{answers:?}"
    );
    assert_eq!(&answers[0][..], b"Unauthorized");

    // Past the signature, the other refusals are as terse.
    for (content, body, expect) in [
        ("text/plain", good.clone(), &b"Unsupported Media Type"[..]),
        (JSON, good.slice(..20), b"Bad Request"),
    ] {
        let (_, answer) = send(
            &state,
            Request::post(webhook_uri("whatsapp"))
                .header(CONTENT_TYPE, content)
                .header(SIGNATURE_256_HEADER, signature(&body))
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
        assert_eq!(&answer[..], expect);
    }
    let (status, answer) = send(
        &state,
        Request::post(webhook_uri("telegram"))
            .header(CONTENT_TYPE, JSON)
            .body(Body::from(good))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(answer.is_empty(), "{answer:?}");
}

/// Deterministic mutations of a real body: flipped, dropped, repeated and inserted bytes, cuts.
fn mutate(rng: &mut rand::rngs::StdRng, body: &[u8]) -> Vec<u8> {
    const PIECES: [&[u8]; 12] = [
        b"[", b"]", b"{", b"}", b"\"", b"\\", b",", b":", b"\xff", b"\\u", b"\xc3", b"1e999",
    ];
    let mut out = body.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        if out.is_empty() {
            out.push(b'{');
        }
        let at = rng.random_range(0..out.len());
        match rng.random_range(0..6) {
            0 => out[at] ^= 1 << rng.random_range(0..8),
            1 => {
                let end = (at + rng.random_range(1..16)).min(out.len());
                out.drain(at..end);
            }
            2 => out.truncate(at),
            3 => {
                let piece = PIECES[rng.random_range(0..PIECES.len())];
                let times = if rng.random_bool(0.1) { 300 } else { 1 };
                let insert = piece.repeat(times);
                out.splice(at..at, insert);
            }
            4 => out[at] = rng.random(),
            _ => {
                let end = (at + rng.random_range(1..64)).min(out.len());
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy);
            }
        }
    }
    out
}

#[tokio::test]
async fn mutated_real_bodies_with_a_good_signature_are_never_a_5xx() {
    let seed = std::env::var("HOSTILE_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(0x5eed_f00d_u64);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let bodies: Vec<(&str, Vec<u8>)> = [
        ("whatsapp", "whatsapp/tests/fixtures/text.json"),
        ("whatsapp", "whatsapp/tests/fixtures/escaped_text.json"),
        ("messenger", "messenger/tests/fixtures/batch.json"),
        ("messenger", "messenger/tests/fixtures/escaped_text.json"),
        ("instagram", "instagram/tests/fixtures/batch.json"),
        ("instagram", "instagram/tests/fixtures/escaped_text.json"),
    ]
    .into_iter()
    .map(|(platform, path)| (platform, fixture(path)))
    .collect();
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
        let mut logged = Vec::new();
        let (mut accepted, mut refused) = (0, 0);
        for round in 0..150 {
            for (platform, body) in &bodies {
                let mutated = Bytes::from(mutate(&mut rng, body));
                let status = common::post_signed(&state, platform, &mutated).await;
                // The oracle: serde_json's own reading of the bytes as a tree.
                let is_object =
                    serde_json::from_slice::<Value>(&mutated).is_ok_and(|value| value.is_object());
                let expect = if is_object {
                    StatusCode::OK
                } else {
                    StatusCode::BAD_REQUEST
                };
                assert_eq!(
                    status,
                    expect,
                    "{backend}: seed {seed}, round {round}, {platform}: {}",
                    String::from_utf8_lossy(&mutated)
                );
                if is_object {
                    accepted += 1;
                    logged.push(((*platform).to_owned(), mutated));
                } else {
                    refused += 1;
                }
            }
        }
        // Both sides of the check were exercised.
        assert!(
            accepted > 10 && refused > 10,
            "{accepted} accepted, {refused} refused"
        );
        assert_still_answers(backend, &state, &mut logged).await;
        assert_log_is(backend, &store, &logged).await;
    }
}

/// Every route that reads a JSON body, with a well-formed body that passes no check.
fn json_routes() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "POST",
            "/api/platforms/whatsapp/connect",
            json!({"business_account_id": "../me", "phone_number_id": "1", "access_token": "x"}),
        ),
        (
            "POST",
            "/api/conversations/1/messages",
            json!({"text": "Hello from nowhere"}),
        ),
    ]
}

/// The routes other than GET that read no body at all.
const BODYLESS: [&str; 3] = [
    "/api/platforms/{id}/disconnect",
    "/api/platforms/{id}/sync",
    "/api/conversations/{id}/read",
];

fn concrete(path: &str) -> String {
    path.replace("{platform}", "messenger").replace("{id}", "1")
}

#[tokio::test]
async fn hostile_bodies_to_the_json_api_get_the_status_a_client_expects() {
    // Every route that takes a body is in one of the two lists, so that a new one is tested.
    for route in routes() {
        if route.method == Method::GET || route.path.starts_with("/api/webhooks/") {
            continue;
        }
        let listed = json_routes()
            .iter()
            .any(|(_, path, _)| *path == concrete(route.path))
            || BODYLESS.contains(&route.path);
        assert!(listed, "{} {} is in neither list", route.method, route.path);
    }

    for (backend, store) in stores().await {
        // A Graph API that answers nothing: no hostile request may reach Meta.
        let graph = wiremock::MockServer::start().await;
        let state = state_with(store.clone(), Some(&graph.uri())).await;
        let (_, token) = user(&store, "mallory").await;
        let bearer = format!("Bearer {token}");
        let deep_in_a_field = format!(r#"{{"text":"hi","x":{}"#, "[".repeat(100_000));
        let deep_closed = format!(r#"{{"x":{}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));

        for (method, path, good) in json_routes() {
            let good = good.to_string();
            let five_mb = padded(good.as_bytes(), FIVE_MB);
            // (name, body, content type, status with a token)
            let cases: Vec<(&str, Vec<u8>, Option<&str>, StatusCode)> = vec![
                ("truncated JSON", good.as_bytes()[..good.len() / 2].to_vec(), Some(JSON), StatusCode::BAD_REQUEST),
                ("an empty body", Vec::new(), Some(JSON), StatusCode::BAD_REQUEST),
                ("100,000 [", "[".repeat(100_000).into_bytes(), Some(JSON), StatusCode::UNPROCESSABLE_ENTITY),
                ("100,000 { at the top", "{\"a\":".repeat(100_000).into_bytes(), Some(JSON), StatusCode::BAD_REQUEST),
                ("100,000 [ in an unknown field, never closed", deep_in_a_field.clone().into_bytes(), Some(JSON), StatusCode::BAD_REQUEST),
                ("100,000 [ closed, in an unknown field", deep_closed.clone().into_bytes(), Some(JSON), StatusCode::UNPROCESSABLE_ENTITY),
                ("invalid UTF-8", splice(good.as_bytes(), b"\":", b"\xff"), Some(JSON), StatusCode::BAD_REQUEST),
                ("a lone surrogate", splice(good.as_bytes(), b"\":", b"\\ud800"), Some(JSON), StatusCode::BAD_REQUEST),
                ("trailing garbage", [good.as_bytes(), b"}"].concat(), Some(JSON), StatusCode::BAD_REQUEST),
                ("text/plain", good.clone().into_bytes(), Some("text/plain"), StatusCode::UNSUPPORTED_MEDIA_TYPE),
                ("a form", good.clone().into_bytes(), Some("application/x-www-form-urlencoded"), StatusCode::UNSUPPORTED_MEDIA_TYPE),
                ("multipart", good.clone().into_bytes(), Some("multipart/form-data; boundary=xyz"), StatusCode::UNSUPPORTED_MEDIA_TYPE),
                ("no content type", good.clone().into_bytes(), None, StatusCode::UNSUPPORTED_MEDIA_TYPE),
                ("5 MB", five_mb.clone(), Some(JSON), StatusCode::PAYLOAD_TOO_LARGE),
                ("an array", b"[]".to_vec(), Some(JSON), StatusCode::UNPROCESSABLE_ENTITY),
                ("null", b"null".to_vec(), Some(JSON), StatusCode::UNPROCESSABLE_ENTITY),
                ("an empty object", b"{}".to_vec(), Some(JSON), StatusCode::UNPROCESSABLE_ENTITY),
                ("fields of the wrong type", br#"{"text":5,"business_account_id":[],"phone_number_id":{},"access_token":null}"#.to_vec(), Some(JSON), StatusCode::UNPROCESSABLE_ENTITY),
            ];
            for (name, body, content, with_token) in cases {
                for token in [None, Some(&bearer)] {
                    let mut request = Request::builder().method(method).uri(path);
                    if let Some(content) = content {
                        request = request.header(CONTENT_TYPE, content);
                    }
                    if let Some(token) = token {
                        request = request.header(AUTHORIZATION, token);
                    }
                    let (status, answer) =
                        send(&state, request.body(Body::from(body.clone())).unwrap()).await;
                    let expect = if token.is_some() {
                        with_token
                    } else {
                        StatusCode::UNAUTHORIZED
                    };
                    assert_eq!(
                        status,
                        expect,
                        "{backend}: {method} {path}, {name}, token: {}: {}",
                        token.is_some(),
                        String::from_utf8_lossy(&answer[..answer.len().min(300)])
                    );
                    if token.is_some() && expect != StatusCode::OK {
                        assert_api_error(&answer, &format!("{backend}: {method} {path}, {name}"));
                    }
                }
            }
            let (status, _) = send(
                &state,
                Request::builder()
                    .method(method)
                    .uri(path)
                    .header(CONTENT_TYPE, JSON)
                    .header(AUTHORIZATION, &bearer)
                    .body(streamed(&five_mb))
                    .unwrap(),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::PAYLOAD_TOO_LARGE,
                "{backend}: {path} streamed"
            );
        }

        // Well-formed, then refused by the handlers without calling Meta.
        let (status, body) = common::call(
            &state,
            "POST",
            "/api/platforms/whatsapp/connect",
            Some(&token),
            Some(json_routes()[0].2.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{backend}: {body}");
        for (path, expect) in [
            ("/api/conversations/1/messages", StatusCode::NOT_FOUND),
            ("/api/conversations/abc/messages", StatusCode::BAD_REQUEST),
            (
                "/api/conversations/99999999999999999999999/messages",
                StatusCode::BAD_REQUEST,
            ),
            ("/api/conversations/-1/messages", StatusCode::NOT_FOUND),
        ] {
            let (status, body) = common::call(
                &state,
                "POST",
                path,
                Some(&token),
                Some(json!({"text": "hi"})),
            )
            .await;
            assert_eq!(status, expect, "{backend}: {path}: {body}");
        }
        let (status, _) = common::call(
            &state,
            "POST",
            "/api/conversations/1/messages",
            Some(&token),
            Some(json!({"text": " \n\t "})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{backend}");

        // The body-less routes ignore any body, hostile or not.
        for path in BODYLESS {
            let method = if path.ends_with("/disconnect") {
                "DELETE"
            } else {
                "POST"
            };
            for body in ["[".repeat(100_000).into_bytes(), vec![0xff; FIVE_MB]] {
                let (status, _) = send(
                    &state,
                    Request::builder()
                        .method(method)
                        .uri(concrete(path))
                        .header(CONTENT_TYPE, "text/plain")
                        .header(AUTHORIZATION, &bearer)
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{backend}: {method} {path}");
            }
        }

        let (status, list) =
            common::call(&state, "GET", "/api/platforms/", Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {list}");
        assert_eq!(list["data"], json!([]), "{backend}: nothing was connected");
        assert!(
            graph
                .received_requests()
                .await
                .unwrap_or_default()
                .is_empty(),
            "{backend}: a hostile request reached the Graph API"
        );
        assert_log_is(backend, &store, &[]).await;
    }
}

/// `answer` is the API's error object, `{"error": {"code": "…", "message": "…"}}`, not
/// axum's plain-text rejection.
fn assert_api_error(answer: &[u8], what: &str) -> Value {
    let shown = String::from_utf8_lossy(&answer[..answer.len().min(300)]);
    let error: Value = serde_json::from_slice(answer)
        .unwrap_or_else(|_| panic!("{what}: the error is not JSON: {shown}"));
    assert!(
        error["error"]["code"].is_string() && error["error"]["message"].is_string(),
        "{what}: not the API's error object: {shown}"
    );
    error
}

#[tokio::test]
async fn malformed_paths_and_query_strings_get_the_apis_json_error() {
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
        let (_, token) = user(&store, "alice").await;
        let bearer = format!("Bearer {token}");
        for (method, uri) in [
            ("GET", "/api/conversations?limit=abc"),
            ("GET", "/api/conversations?limit=99999999999999999999999"),
            ("GET", "/api/conversations?unread=maybe"),
            ("GET", "/api/conversations?limit=1&limit=2"),
            ("GET", "/api/conversations/abc/messages"),
            ("GET", "/api/conversations/1/messages?limit=%FF"),
            ("POST", "/api/conversations/1.5/read"),
            ("POST", "/api/platforms/abc/sync"),
            (
                "DELETE",
                "/api/platforms/99999999999999999999999/disconnect",
            ),
        ] {
            let (status, answer) = send(
                &state,
                Request::builder()
                    .method(method)
                    .uri(uri)
                    .header(AUTHORIZATION, &bearer)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            let what = format!("{backend}: {method} {uri}");
            assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
            let error = assert_api_error(&answer, &what);
            assert_eq!(error["error"]["code"], "bad_request", "{what}");
        }
    }
}

#[tokio::test]
async fn garbage_authorization_headers_get_401_on_every_user_route() {
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
        let (_, token) = user(&store, "alice").await;
        let garbage: Vec<HeaderValue> = [
            String::new(),
            "Bearer".to_owned(),
            "Bearer ".to_owned(),
            "Bearer      ".to_owned(),
            "Bearer ibx_".to_owned(),
            "Bearer ibx_wrong".to_owned(),
            format!("Bearer {}", &token[..token.len() - 1]),
            format!("Bearer {token}x"),
            format!("Bearer {token} {token}"),
            format!("BEARER {token}"),
            format!("Token {token}"),
            format!("Basic {token}"),
            token.clone(),
            "Basic dXNlcjpwYXNzd29yZA==".to_owned(),
            format!("Bearer {}", "A".repeat(64 * 1024)),
            "Bearer ' OR '1'='1".to_owned(),
            "Bearer %00".to_owned(),
        ]
        .iter()
        .map(|value| HeaderValue::from_str(value).unwrap())
        .chain([
            HeaderValue::from_bytes(format!("Bearer {token}\u{e4}").as_bytes()).unwrap(),
            HeaderValue::from_bytes(b"Bearer \xff\xfe\xfd").unwrap(),
        ])
        .collect();
        for route in routes() {
            if route.access != Access::User {
                continue;
            }
            let path = concrete(route.path);
            for value in &garbage {
                let request = Request::builder()
                    .method(route.method.clone())
                    .uri(&path)
                    .header(AUTHORIZATION, value.clone())
                    .header(CONTENT_TYPE, JSON)
                    .body(Body::from("{}"))
                    .unwrap();
                let response = app(state.clone()).oneshot(request).await.unwrap();
                assert_eq!(
                    response.status(),
                    StatusCode::UNAUTHORIZED,
                    "{backend}: {} {path} with {value:?}",
                    route.method
                );
                assert_eq!(
                    response
                        .headers()
                        .get(WWW_AUTHENTICATE)
                        .map(HeaderValue::as_bytes),
                    Some(&b"Bearer"[..])
                );
            }
            // Two Authorization headers, even both with the right token: not guessed at.
            for second in [format!("Bearer {token}"), "Bearer ibx_wrong".to_owned()] {
                let request = Request::builder()
                    .method(route.method.clone())
                    .uri(&path)
                    .header(AUTHORIZATION, format!("Bearer {token}"))
                    .header(AUTHORIZATION, second)
                    .header(CONTENT_TYPE, JSON)
                    .body(Body::from("{}"))
                    .unwrap();
                let response = app(state.clone()).oneshot(request).await.unwrap();
                assert_eq!(
                    response.status(),
                    StatusCode::UNAUTHORIZED,
                    "{backend}: {} {path} with two Authorization headers",
                    route.method
                );
            }
        }
        let (status, _) = common::call(&state, "GET", "/api/platforms/", Some(&token), None).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{backend}: the real token still works"
        );
    }
}

#[tokio::test]
async fn wrong_methods_get_405_with_the_methods_allowed() {
    // Answered by the router alone: one store is enough.
    let (_, store) = stores().await.remove(0);
    let state = state(store).await;
    for (path, allowed) in [
        ("/api/webhooks/whatsapp/", "GET,HEAD,POST"),
        // The static POST route shadows `GET /api/platforms/{platform}/connect` for WhatsApp,
        // which has no OAuth connect.
        ("/api/platforms/whatsapp/connect", "POST"),
        ("/api/platforms/messenger/connect", "GET,HEAD"),
        ("/api/conversations/1/messages", "GET,HEAD,POST"),
        ("/api/platforms/", "GET,HEAD"),
    ] {
        for method in [Method::PUT, Method::PATCH, Method::DELETE] {
            let response = app(state.clone())
                .oneshot(
                    Request::builder()
                        .method(method.clone())
                        .uri(path)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            let mut got: Vec<&str> = response
                .headers()
                .get(ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .collect();
            got.sort_unstable();
            assert_eq!(got.join(","), allowed, "{method} {path}");
        }
    }
}

// Over a real socket, for what hyper handles before the router.

/// The server on a free port; the handle serves until dropped with the test.
async fn serve(state: AppState) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(state)).await });
    addr
}

/// Reads an HTTP/1.1 response's status code, or `None` if the server closed without one.
async fn read_status(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> Option<u16> {
    let mut buf = Vec::new();
    let mut chunk = [0_u8; 4096];
    let read = async {
        loop {
            if let Some(end) = buf.windows(2).position(|w| w == b"\r\n") {
                return Some(buf[..end].to_vec());
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    };
    let line = tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("the server neither answered nor closed")?;
    let line = String::from_utf8(line).expect("an ASCII status line");
    let mut parts = line.split(' ');
    assert_eq!(parts.next(), Some("HTTP/1.1"), "{line}");
    let code = parts.next().and_then(|code| code.parse().ok());
    Some(code.unwrap_or_else(|| panic!("no status in {line}")))
}

/// Writes `request` on a new connection (and closes the sending side when `close` is set);
/// returns the status answered.
async fn raw(addr: std::net::SocketAddr, request: &[u8], close: bool) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // The server may answer and close before reading everything: a failed write is fine.
    let _ = stream.write_all(request).await;
    if close {
        let _ = stream.shutdown().await;
    }
    read_status(&mut stream).await
}

fn head(method: &str, path: &str, headers: &[(&str, String)]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    out.push_str("\r\n");
    out.into_bytes()
}

fn signed_head(platform: &str, body: &[u8], extra: &[(&str, String)]) -> Vec<u8> {
    let mut headers = vec![
        ("Content-Type", JSON.to_owned()),
        ("X-Hub-Signature-256", signature(body)),
    ];
    headers.extend(extra.iter().cloned());
    head("POST", &webhook_uri(platform), &headers)
}

#[tokio::test]
async fn over_a_socket_hyper_refuses_broken_http_with_a_4xx() {
    for (backend, store) in stores().await {
        let state = state(store.clone()).await;
        let addr = serve(state.clone()).await;
        let mut logged = Vec::new();

        // Broken request lines and header bytes: hyper answers 400 itself.
        for (name, request) in [
            ("a request line of garbage", &b"GARBAGE\r\n\r\n"[..]),
            ("binary noise", b"\x00\x01\x02\xff\xfe\r\n\r\n"),
            ("no version", b"GET /healthz\r\n\r\n"),
            ("spaces in the target", b"GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n"),
            ("a NUL in a header value", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n"),
            ("a space in a header name", b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n"),
            ("a header without a colon", b"GET /healthz HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"),
            ("a bare CR in a header value", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n"),
            ("a letter for Content-Length", b"POST /api/webhooks/whatsapp/ HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
            ("two different Content-Lengths", b"POST /api/webhooks/whatsapp/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
            ("a negative Content-Length", b"POST /api/webhooks/whatsapp/ HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
            ("an unknown transfer coding", b"POST /api/webhooks/whatsapp/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        ] {
            assert_eq!(raw(addr, request, false).await, Some(400), "{backend}: {name}");
        }

        for platform in PLATFORMS {
            let good = good_body(platform);

            // A query string of 1 MB is over hyper's header buffer: 431, before axum.
            let status = raw(
                addr,
                &head(
                    "GET",
                    &handshake_uri(platform, &good_handshake(&"9".repeat(1 << 20))),
                    &[],
                ),
                false,
            )
            .await;
            assert_eq!(status, Some(431), "{backend}: {platform}");

            // Headers bigger than hyper takes.
            let status = raw(
                addr,
                &signed_head(platform, &good, &[("X-Padding", "p".repeat(1 << 20))]),
                false,
            )
            .await;
            assert_eq!(status, Some(431), "{backend}: {platform}: 1 MB of headers");

            // A signature header of non-ASCII bytes, as raw bytes on the wire.
            let mut request = head(
                "POST",
                &webhook_uri(platform),
                &[
                    ("Content-Type", JSON.to_owned()),
                    ("Content-Length", good.len().to_string()),
                ],
            );
            let at = request.len() - 2;
            request.splice(
                at..at,
                b"X-Hub-Signature-256: sha256=\xe4\xf6\xfc\r\n"
                    .iter()
                    .copied(),
            );
            request.extend_from_slice(&good);
            assert_eq!(
                raw(addr, &request, false).await,
                Some(401),
                "{backend}: {platform}"
            );

            // A Content-Length larger than the body, then the client closes its side: the body
            // can never be verified: 400 (the half-closed socket still reads the answer), and
            // nothing logged.
            let mut request = signed_head(
                platform,
                &good,
                &[("Content-Length", (good.len() + 100).to_string())],
            );
            request.extend_from_slice(&good);
            let status = raw(addr, &request, true).await;
            assert_eq!(status, Some(400), "{backend}: {platform}");

            // A broken chunked encoding.
            let mut request = signed_head(
                platform,
                &good,
                &[("Transfer-Encoding", "chunked".to_owned())],
            );
            request.extend_from_slice(b"zz\r\n{}\r\n0\r\n\r\n");
            let status = raw(addr, &request, true).await;
            assert_eq!(status, Some(400), "{backend}: {platform}");

            // 5 MB declared: refused before the body is sent.
            let big = padded(&good, FIVE_MB);
            let request = signed_head(platform, &big, &[("Content-Length", big.len().to_string())]);
            assert_eq!(
                raw(addr, &request, false).await,
                Some(413),
                "{backend}: {platform}"
            );

            // 5 MB streamed in chunks with no length: refused once over the limit.
            let stream = TcpStream::connect(addr).await.unwrap();
            let (mut reader, mut writer) = stream.into_split();
            let request = signed_head(
                platform,
                &big,
                &[("Transfer-Encoding", "chunked".to_owned())],
            );
            let writing = tokio::spawn(async move {
                writer.write_all(&request).await?;
                for chunk in big.chunks(64 * 1024) {
                    writer
                        .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                        .await?;
                    writer.write_all(chunk).await?;
                    writer.write_all(b"\r\n").await?;
                }
                writer.write_all(b"0\r\n\r\n").await
            });
            assert_eq!(
                read_status(&mut reader).await,
                Some(413),
                "{backend}: {platform}"
            );
            // The server may have closed the connection before the last chunk: either is fine.
            let _ = writing.await.unwrap();

            // And a good delivery over the same listener, in chunks.
            let request = [
                signed_head(
                    platform,
                    &good,
                    &[("Transfer-Encoding", "chunked".to_owned())],
                ),
                format!("{:x}\r\n", good.len()).into_bytes(),
                good.to_vec(),
                b"\r\n0\r\n\r\n".to_vec(),
            ]
            .concat();
            assert_eq!(
                raw(addr, &request, false).await,
                Some(200),
                "{backend}: {platform}"
            );
            logged.push((platform.to_owned(), good.clone()));
        }

        // Nothing of the above broke the server.
        assert_eq!(
            raw(addr, &head("GET", "/healthz", &[]), false).await,
            Some(200)
        );
        for platform in PLATFORMS {
            let good = good_body(platform);
            let mut request = signed_head(
                platform,
                &good,
                &[("Content-Length", good.len().to_string())],
            );
            request.extend_from_slice(&good);
            assert_eq!(
                raw(addr, &request, false).await,
                Some(200),
                "{backend}: {platform}"
            );
            logged.push((platform.to_owned(), good));
        }
        assert_log_is(backend, &store, &logged).await;
    }
}
