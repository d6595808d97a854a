//! Known answers computed outside the crate. Each expected value comes from
//! `openssl dgst -sha256 -hmac <secret> tests/fixtures/<file>` (or `-sha1`), cross-checked with
//! Python's `hmac` module, so a bug in the crate cannot also be in the expectation.

use metabiz_webhook_verify::test_util::{build_signed_request, sign_body, sign_body_sha1};
use metabiz_webhook_verify::{AppSecret, ErrorKind, SignatureVerifier};
use serde_json::{Value, json};

use crate::{SECOND_SECRET, SECRET, fixture, secret};

const WHATSAPP: &str = "whatsapp_text_message.json";
const MESSENGER: &str = "messenger_message.json";

/// (fixture, key, HMAC-SHA256 hex, HMAC-SHA1 hex) from openssl.
const VECTORS: [(&str, &str, &str, Option<&str>); 4] = [
    (
        WHATSAPP,
        SECRET,
        "ead9667aa3c48ea9d6eea792ec87c03ece02312e2d489d433678d22335de08f7",
        Some("a86aefc2330704d17d2f87af5c746060dd1c3ca4"),
    ),
    (
        WHATSAPP,
        SECOND_SECRET,
        "e9f0e50a2274f5bf01be93a07fc6f6d1b008febe45c1e1e158458aaff2b7028a",
        None,
    ),
    (
        MESSENGER,
        SECRET,
        "bd14cb24541687c625c9d19f0bfb895473b09f4da6e9f1d303fb9c9d6f1dcf58",
        Some("d61e40fa9b418a74da6e6f958a51af12189b6597"),
    ),
    (
        MESSENGER,
        SECOND_SECRET,
        "d82804e24a89a4930c952e9094a4010cb8b007ae26462652e76f549fdf288a36",
        None,
    ),
];

#[test]
fn fixtures_are_escaped_the_way_meta_sends_them() {
    for name in [WHATSAPP, MESSENGER] {
        let body = String::from_utf8(fixture(name)).unwrap();
        assert!(body.contains(r"https:\/\/"), "{name} lost its \\/ escapes");
        assert!(body.contains(r"\u00"), "{name} lost its \\u escapes");
        assert!(body.is_ascii(), "{name} must hold escaped, ASCII-only JSON");
    }
}

#[test]
fn raw_meta_bodies_verify_against_independent_signatures() {
    for (name, key, sha256, _) in VECTORS {
        let verifier = SignatureVerifier::new(&AppSecret::new(key));
        let header = format!("sha256={sha256}");
        verifier
            .verify(Some(header.as_bytes()), None, &fixture(name))
            .unwrap_or_else(|err| panic!("{name} with {key}: {err}"));
    }
}

#[test]
fn re_serialized_json_does_not_verify_but_the_raw_bytes_do() {
    let verifier = SignatureVerifier::new(&secret());
    for (name, key, sha256, _) in VECTORS.into_iter().filter(|v| v.1 == SECRET) {
        let raw = fixture(name);
        let header = format!("sha256={sha256}");
        let parsed: Value = serde_json::from_slice(&raw).unwrap();
        let reserialized = serde_json::to_vec(&parsed).unwrap();

        // Same JSON value, different bytes: serde_json writes `/` and `ä` unescaped.
        assert_eq!(
            serde_json::from_slice::<Value>(&reserialized).unwrap(),
            parsed
        );
        assert_ne!(reserialized, raw, "{name}");

        let err = verifier
            .verify(Some(header.as_bytes()), None, &reserialized)
            .unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::SignatureMismatch,
            "{name} with {key}"
        );
        assert!(verifier.verify(Some(header.as_bytes()), None, &raw).is_ok());
    }
}

#[test]
fn sign_body_produces_meta_header_values() {
    for (name, key, sha256, sha1) in VECTORS {
        let key = AppSecret::new(key);
        let body = fixture(name);
        assert_eq!(sign_body(&key, &body), format!("sha256={sha256}"));
        if let Some(sha1) = sha1 {
            assert_eq!(sign_body_sha1(&key, &body), format!("sha1={sha1}"));
        }
    }
}

#[test]
fn rfc_4231_test_case_2() {
    // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
    assert_eq!(
        sign_body(&AppSecret::new("Jefe"), b"what do ya want for nothing?"),
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn appsecret_proof_is_lowercase_hex_hmac_of_the_token() {
    // printf %s EAAGm0PX4ZCpsBAKZC9example0access0token | openssl dgst -sha256 -hmac <SECRET>
    assert_eq!(
        secret().appsecret_proof("EAAGm0PX4ZCpsBAKZC9example0access0token"),
        "51ae787cd895efded7889e0b7f5558c41350c69c3d516dd10600a458c7237549"
    );
}

#[test]
fn build_signed_request_matches_python() {
    // tests/fixtures/make_signed_requests.py, first case.
    let payload = json!({
        "algorithm": "HMAC-SHA256",
        "expires": 1_291_840_400,
        "issued_at": 1_291_836_800,
        "user_id": "218471",
    });
    assert_eq!(
        build_signed_request(&AppSecret::new("appsecret"), &payload),
        "N32LNcvDGXq0GI1jxm-tj1ysJh2uqkNIBcUhUmTp19k.eyJhbGdvcml0aG0iOiJITUFDLVNIQTI1NiIsImV4cGlyZXMiOjEyOTE4NDA0MDAsImlzc3VlZF9hdCI6MTI5MTgzNjgwMCwidXNlcl9pZCI6IjIxODQ3MSJ9"
    );
}
