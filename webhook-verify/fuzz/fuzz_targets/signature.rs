//! Arbitrary signature headers and bodies: `verify` must return, never panic, and must accept
//! only a header that one of the secrets produces for that body.
//!
//! (Until 2026-12-02 the header length came from the selector byte's top six bits, at most 63
//! bytes, so a full `sha256=` header could never be formed and acceptance was never tested.)
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use metabiz_webhook_verify::test_util::{sign_body, sign_body_sha1};
use metabiz_webhook_verify::{AppSecret, SignatureVerifier};

static SECRETS: LazyLock<[AppSecret; 2]> =
    LazyLock::new(|| [AppSecret::new("fuzz-app-secret"), AppSecret::new("second")]);
static VERIFIER: LazyLock<SignatureVerifier> =
    LazyLock::new(|| SignatureVerifier::from_secrets(SECRETS.iter()).allow_sha1(true));

fuzz_target!(|data: &[u8]| {
    // The first byte picks which headers are present, the second how long the header is (up
    // to 80 bytes: `sha256=` and 64 hex digits is 71); the rest is the header, then the body.
    let [selector, length, rest @ ..] = data else {
        return;
    };
    let (header, body) = rest.split_at(rest.len().min(usize::from(*length) % 81));
    let sha256 = (selector & 1 != 0).then_some(header);
    let sha1 = (selector & 2 != 0).then_some(header);

    if VERIFIER.verify(sha256, sha1, body).is_ok() {
        let produced = SECRETS.iter().any(|secret| {
            let expected = if sha256.is_some() {
                sign_body(secret, body)
            } else {
                sign_body_sha1(secret, body)
            };
            header == expected.as_bytes()
        });
        assert!(produced, "accepted a header no secret produced");
    }

    // The real signature always verifies, whatever the body.
    let good = sign_body(&SECRETS[1], body);
    assert!(VERIFIER.verify(Some(good.as_bytes()), None, body).is_ok());
});
