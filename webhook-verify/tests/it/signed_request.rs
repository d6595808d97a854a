//! `signed_request` from the Deauthorize and Data Deletion Request callbacks.

use metabiz_webhook_verify::test_util::build_signed_request;
use metabiz_webhook_verify::{
    AppSecret, DataDeletionResponse, ErrorKind, MAX_SIGNED_REQUEST_LEN, SignatureVerifier,
    SignedRequest,
};
use serde_json::{Value, json};

use crate::fixture;

fn app_secret() -> AppSecret {
    AppSecret::new("appsecret")
}

fn deletion_payload() -> Value {
    json!({
        "algorithm": "HMAC-SHA256",
        "expires": 1_291_840_400,
        "issued_at": 1_291_836_800,
        "user_id": "218471",
    })
}

fn kind(result: Result<SignedRequest, metabiz_webhook_verify::Error>) -> ErrorKind {
    result.expect_err("should have been refused").kind()
}

/// The vectors built by `tests/fixtures/make_signed_requests.py`, which uses Python's own
/// `hmac` and `base64`.
#[test]
fn python_built_vectors() {
    let vectors: Value = serde_json::from_slice(&fixture("signed_requests.json")).unwrap();
    let secrets: Vec<AppSecret> = vectors["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| AppSecret::new(s.as_str().unwrap()))
        .collect();
    let verifier = SignatureVerifier::from_secrets(&secrets);
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let input = case["signed_request"].as_str().unwrap();
        let result = SignedRequest::parse(input, &verifier);
        match case["expect"].as_str().unwrap() {
            "ok" => {
                let request = result.unwrap_or_else(|err| panic!("{name}: {err}"));
                assert_eq!(request.user_id, case["user_id"].as_str().unwrap(), "{name}");
                assert_eq!(
                    Some(request.issued_at),
                    case["issued_at"].as_i64(),
                    "{name}"
                );
                assert!(
                    request.algorithm.eq_ignore_ascii_case("HMAC-SHA256"),
                    "{name}"
                );
            }
            expected => assert_eq!(format!("{:?}", kind(result)), expected, "{name}"),
        }
    }
}

#[test]
fn typed_fields_and_the_rest_are_kept() {
    let verifier = SignatureVerifier::new(&app_secret());
    let input = build_signed_request(&app_secret(), &deletion_payload());
    let request = SignedRequest::parse(&input, &verifier).unwrap();
    assert_eq!(request.algorithm, "HMAC-SHA256");
    assert_eq!(request.user_id, "218471");
    assert_eq!(request.issued_at, 1_291_836_800);
    assert_eq!(request.extra.get("expires"), Some(&json!(1_291_840_400)));
    assert_eq!(request.extra.len(), 1);
}

#[test]
fn any_tampered_payload_character_is_refused() {
    let verifier = SignatureVerifier::new(&app_secret());
    let input = build_signed_request(&app_secret(), &deletion_payload());
    let dot = input.find('.').unwrap();
    for at in dot + 1..input.len() {
        let mut tampered = input.clone().into_bytes();
        tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        let got = kind(SignedRequest::parse(&tampered, &verifier));
        // A changed character either breaks the base64 (malformed) or the HMAC.
        assert!(
            matches!(
                got,
                ErrorKind::SignedRequestSignatureMismatch | ErrorKind::MalformedSignedRequest
            ),
            "position {at}: {got:?}"
        );
    }
}

#[test]
fn signature_is_checked_before_the_payload_is_read() {
    // A payload that would be refused as unsupported or invalid, but signed by a stranger:
    // the answer must be about the signature, proving the JSON was never trusted.
    let verifier = SignatureVerifier::new(&app_secret());
    let stranger = AppSecret::new("stranger");
    let wrong_algorithm = build_signed_request(&stranger, &json!({"algorithm": "none"}));
    assert_eq!(
        kind(SignedRequest::parse(&wrong_algorithm, &verifier)),
        ErrorKind::SignedRequestSignatureMismatch
    );
}

#[test]
fn overlong_input_is_refused_even_when_signed() {
    let verifier = SignatureVerifier::new(&app_secret());
    let mut payload = deletion_payload();
    payload["padding"] = json!("x".repeat(MAX_SIGNED_REQUEST_LEN));
    let input = build_signed_request(&app_secret(), &payload);
    assert!(input.len() > MAX_SIGNED_REQUEST_LEN);
    assert_eq!(
        kind(SignedRequest::parse(&input, &verifier)),
        ErrorKind::MalformedSignedRequest
    );
}

#[test]
fn no_secret_is_a_configuration_error() {
    let input = build_signed_request(&AppSecret::new(""), &deletion_payload());
    let verifier = SignatureVerifier::new(&AppSecret::new(""));
    assert_eq!(
        kind(SignedRequest::parse(&input, &verifier)),
        ErrorKind::EmptySecret
    );
}

#[test]
fn form_body_as_meta_posts_it() {
    let verifier = SignatureVerifier::new(&app_secret());
    let input = build_signed_request(&app_secret(), &deletion_payload());
    let body = format!("signed_request={input}");
    assert_eq!(
        SignedRequest::from_form(body.as_bytes(), &verifier)
            .unwrap()
            .user_id,
        "218471"
    );

    // Percent-encoded characters and other fields are fine.
    let encoded = format!(
        "other=1&signed_request={}",
        input.replace('-', "%2D").replace('.', "%2E")
    );
    assert_eq!(
        SignedRequest::from_form(encoded.as_bytes(), &verifier)
            .unwrap()
            .user_id,
        "218471"
    );
}

#[test]
fn form_body_without_exactly_one_signed_request_is_refused() {
    let verifier = SignatureVerifier::new(&app_secret());
    let input = build_signed_request(&app_secret(), &deletion_payload());
    for body in [
        String::new(),
        "signed_request".to_owned(),
        format!("signed_requests={input}"),
        format!("signed_request={input}&signed_request={input}"),
        input.clone(),
    ] {
        assert_eq!(
            kind(SignedRequest::from_form(body.as_bytes(), &verifier)),
            ErrorKind::MalformedSignedRequest,
            "{body}"
        );
    }
    let huge = format!(
        "signed_request={input}&junk={}",
        "x".repeat(2 * MAX_SIGNED_REQUEST_LEN)
    );
    assert_eq!(
        kind(SignedRequest::from_form(huge.as_bytes(), &verifier)),
        ErrorKind::MalformedSignedRequest
    );
}

#[test]
fn debug_does_not_print_extra_values() {
    let verifier = SignatureVerifier::new(&app_secret());
    let mut payload = deletion_payload();
    payload["oauth_token"] = json!("EAAB-user-token-value");
    let request =
        SignedRequest::parse(&build_signed_request(&app_secret(), &payload), &verifier).unwrap();
    let shown = format!("{request:?}");
    assert!(!shown.contains("EAAB-user-token-value"), "{shown}");
    assert!(
        shown.contains("oauth_token") && shown.contains("218471"),
        "{shown}"
    );
}

#[test]
fn data_deletion_response_has_meta_shape() {
    let answer = DataDeletionResponse::new("https://www.example.com/deletion?id=abc123", "abc123");
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        json!({"url": "https://www.example.com/deletion?id=abc123", "confirmation_code": "abc123"})
    );
}
