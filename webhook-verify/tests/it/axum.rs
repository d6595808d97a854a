//! The axum extractors, driven through a real `Router` with `tower::ServiceExt::oneshot`.

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::FromRef;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use metabiz_webhook_verify::axum::{VerifiedBody, VerifiedChallenge, VerifiedSignedRequest};
use metabiz_webhook_verify::test_util::{build_signed_request, sign_body, sign_body_sha1};
use metabiz_webhook_verify::{
    AppSecret, Challenge, DataDeletionResponse, ErrorKind, SIGNATURE_256_HEADER,
    SIGNATURE_SHA1_HEADER, SignatureVerifier, VerifyToken,
};
use serde_json::json;
use tower::ServiceExt as _;

use crate::{fixture, second_secret, secret};

const TOKEN: &str = "meatyhamhock";

#[derive(Clone)]
struct AppState {
    verifier: SignatureVerifier,
    verify_token: VerifyToken,
}

impl FromRef<AppState> for SignatureVerifier {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

impl FromRef<AppState> for VerifyToken {
    fn from_ref(state: &AppState) -> Self {
        state.verify_token.clone()
    }
}

async fn handshake(VerifiedChallenge(challenge): VerifiedChallenge) -> Challenge {
    challenge
}

/// Echoes the verified body so the test can check it arrived byte for byte.
async fn echo(VerifiedBody(body): VerifiedBody) -> Bytes {
    body
}

async fn small(VerifiedBody(body): VerifiedBody<1024>) -> Bytes {
    body
}

async fn data_deletion(
    VerifiedSignedRequest(request): VerifiedSignedRequest,
) -> DataDeletionResponse {
    let code = format!("del{}", request.user_id);
    DataDeletionResponse::new(format!("https://example.com/deletion?id={code}"), code)
}

fn app() -> Router {
    let secret_for_rotation = second_secret();
    Router::new()
        .route("/webhook", get(handshake).post(echo))
        .route("/small", post(small))
        .route("/data-deletion", post(data_deletion))
        .with_state(AppState {
            verifier: SignatureVerifier::from_secrets([&secret(), &secret_for_rotation]),
            verify_token: VerifyToken::new(TOKEN),
        })
}

fn post_to(uri: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Request<Body> {
    let mut request = Request::post(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(body)).unwrap()
}

async fn send(request: Request<Body>) -> (StatusCode, HeaderMap, Bytes) {
    let response: Response = app().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, headers, body)
}

#[tokio::test]
async fn signed_webhook_reaches_the_handler_byte_for_byte() {
    let body = fixture("whatsapp_text_message.json");
    for key in [secret(), second_secret()] {
        let signature = sign_body(&key, &body);
        let (status, _, echoed) = send(post_to(
            "/webhook",
            &[
                (SIGNATURE_256_HEADER, &signature),
                ("content-type", "application/json"),
            ],
            body.clone(),
        ))
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(echoed, body);
    }
}

#[tokio::test]
async fn bad_signatures_get_401_without_details() {
    let body = fixture("messenger_message.json");
    let good = sign_body(&secret(), &body);
    let stranger = sign_body(&AppSecret::new("stranger"), &body);
    let sha1 = sign_body_sha1(&secret(), &body);
    let cases: [&[(&str, &str)]; 5] = [
        &[],
        &[(SIGNATURE_256_HEADER, &stranger)],
        &[(SIGNATURE_256_HEADER, "sha256=zz")],
        &[(SIGNATURE_SHA1_HEADER, &sha1)],
        &[
            (SIGNATURE_256_HEADER, &stranger),
            (SIGNATURE_256_HEADER, &good),
        ],
    ];
    for headers in cases {
        let (status, response_headers, response_body) =
            send(post_to("/webhook", headers, body.clone())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(response_body, "Unauthorized", "{headers:?}");
        assert_eq!(response_headers["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn default_limit_takes_a_three_megabyte_whatsapp_body() {
    // axum's own default limit (2 MB) would refuse this.
    let mut body = br#"{"object":"whatsapp_business_account","entry":[],"pad":""#.to_vec();
    body.resize(3_000_000, b'a');
    body.extend_from_slice(br#""}"#);
    let signature = sign_body(&secret(), &body);
    let (status, _, echoed) = send(post_to(
        "/webhook",
        &[(SIGNATURE_256_HEADER, &signature)],
        body.clone(),
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(echoed.len(), body.len());
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let body = vec![b'a'; 1025];
    let signature = sign_body(&secret(), &body);
    let (status, _, _) = send(post_to(
        "/small",
        &[(SIGNATURE_256_HEADER, &signature)],
        body,
    ))
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let body = vec![b'a'; 1024];
    let signature = sign_body(&secret(), &body);
    let (status, _, _) = send(post_to(
        "/small",
        &[(SIGNATURE_256_HEADER, &signature)],
        body,
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn handshake_echoes_the_challenge_as_plain_text() {
    let uri =
        format!("/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={TOKEN}");
    let (status, headers, body) = send(Request::get(uri).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "1158201444");
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    assert_eq!(headers["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn refused_handshakes_get_403() {
    for uri in [
        "/webhook",
        "/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess",
        "/webhook?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=meatyhamhock",
        "/webhook?hub.mode=subscribe&hub.challenge=%3Cb%3E%0A&hub.verify_token=meatyhamhock",
    ] {
        let (status, _, body) = send(Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(body, "Forbidden", "{uri}");
    }
}

#[tokio::test]
async fn data_deletion_callback_answers_with_url_and_code() {
    let payload =
        json!({"algorithm": "HMAC-SHA256", "issued_at": 1_700_000_000, "user_id": "218471"});
    let form = format!(
        "signed_request={}",
        build_signed_request(&secret(), &payload)
    );
    let headers = [("content-type", "application/x-www-form-urlencoded")];
    let (status, response_headers, body) =
        send(post_to("/data-deletion", &headers, form.into_bytes())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(response_headers["content-type"], "application/json");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
        json!({"url": "https://example.com/deletion?id=del218471", "confirmation_code": "del218471"})
    );

    let forged = format!(
        "signed_request={}",
        build_signed_request(&AppSecret::new("stranger"), &payload)
    );
    let (status, _, _) = send(post_to("/data-deletion", &headers, forged.into_bytes())).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = send(post_to(
        "/data-deletion",
        &headers,
        b"nothing=here".to_vec(),
    ))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[test]
fn verify_headers_reads_a_header_map() {
    let body = fixture("messenger_message.json");
    let verifier = SignatureVerifier::new(&secret());
    let mut headers = HeaderMap::new();
    assert_eq!(
        verifier.verify_headers(&headers, &body).unwrap_err().kind(),
        ErrorKind::MissingSignature
    );
    let signature = sign_body(&secret(), &body);
    // Header names are case-insensitive; Meta sends `X-Hub-Signature-256`.
    headers.insert(
        "X-Hub-Signature-256",
        HeaderValue::from_str(&signature).unwrap(),
    );
    assert!(verifier.verify_headers(&headers, &body).is_ok());
    headers.append(
        SIGNATURE_256_HEADER,
        HeaderValue::from_str(&signature).unwrap(),
    );
    assert_eq!(
        verifier.verify_headers(&headers, &body).unwrap_err().kind(),
        ErrorKind::MalformedSignature
    );
}
