//! Secrets never print, and errors never repeat what they were given.

use std::fmt::Display;

use metabiz_webhook_verify::test_util::{build_signed_request, sign_body};
use metabiz_webhook_verify::{
    AppSecret, Error, SignatureVerifier, SignedRequest, VerifyToken, verify_subscription_query,
};
use serde_json::json;

use crate::{SECRET, fixture, secret};

/// Compiles only when `T` does not implement `Display`: with an impl, the two blanket impls
/// below overlap and the call is ambiguous (the `static_assertions` trick).
trait AmbiguousIfDisplay<A> {
    fn check() {}
}
impl<T: ?Sized> AmbiguousIfDisplay<()> for T {}
impl<T: ?Sized + Display> AmbiguousIfDisplay<u8> for T {}

trait AmbiguousIfSerialize<A> {
    fn check() {}
}
impl<T: ?Sized> AmbiguousIfSerialize<()> for T {}
impl<T: ?Sized + serde::Serialize> AmbiguousIfSerialize<u8> for T {}

fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}

#[test]
fn secrets_have_no_display_no_serialize_and_zeroize() {
    <AppSecret as AmbiguousIfDisplay<_>>::check();
    <VerifyToken as AmbiguousIfDisplay<_>>::check();
    <AppSecret as AmbiguousIfSerialize<_>>::check();
    <VerifyToken as AmbiguousIfSerialize<_>>::check();
    zeroized_on_drop::<AppSecret>();
    zeroized_on_drop::<VerifyToken>();
}

#[test]
fn debug_is_redacted() {
    let app_secret = AppSecret::new("super-secret-value");
    let token = VerifyToken::new("verify-token-value");
    assert_eq!(format!("{app_secret:?}"), "AppSecret(<redacted>)");
    assert_eq!(format!("{app_secret:#?}"), "AppSecret(<redacted>)");
    assert_eq!(format!("{token:?}"), "VerifyToken(<redacted>)");
    let verifier = SignatureVerifier::new(&app_secret);
    assert!(!format!("{verifier:?}").contains("super-secret-value"));
    // Wrapped in other types, still redacted.
    let nested = format!("{:?}", Some((&app_secret, &token)));
    assert!(!nested.contains("super-secret-value") && !nested.contains("verify-token-value"));
}

#[test]
fn expose_secret_returns_the_value_for_deliberate_use() {
    assert_eq!(secret().expose_secret(), SECRET);
}

fn assert_quiet(err: &Error, forbidden: &[&str]) {
    let shown = [format!("{err}"), format!("{err:?}"), format!("{err:#?}")];
    for text in &shown {
        for needle in forbidden {
            assert!(!text.contains(needle), "{text:?} contains {needle:?}");
        }
    }
}

#[test]
fn errors_never_echo_secrets_signatures_tokens_or_bodies() {
    let body = fixture("messenger_message.json");
    let other = AppSecret::new("the-other-secret-1234");
    let wrong = sign_body(&other, &body);
    let wrong_hex = wrong.trim_start_matches("sha256=");
    let verifier = SignatureVerifier::new(&secret());
    let forbidden = [
        SECRET,
        "the-other-secret-1234",
        wrong_hex,
        "106540352242922",
        "Caf",
    ];

    let mismatch = verifier
        .verify(Some(wrong.as_bytes()), None, &body)
        .unwrap_err();
    assert_quiet(&mismatch, &forbidden);
    let malformed_header = format!("{wrong} ");
    let malformed = verifier
        .verify(Some(malformed_header.as_bytes()), None, &body)
        .unwrap_err();
    assert_quiet(&malformed, &forbidden);

    let token = VerifyToken::new("configured-token-xyz");
    let refused = verify_subscription_query(
        "hub.mode=subscribe&hub.challenge=c-123&hub.verify_token=guessed-token-abc",
        &token,
    )
    .unwrap_err();
    assert_quiet(
        &refused,
        &["configured-token-xyz", "guessed-token-abc", "c-123"],
    );

    let forged = build_signed_request(
        &other,
        &json!({"algorithm": "HMAC-SHA256", "user_id": "555"}),
    );
    let bad = SignedRequest::parse(&forged, &verifier).unwrap_err();
    let (sig, payload) = forged.split_once('.').unwrap();
    assert_quiet(&bad, &[SECRET, sig, payload, "555"]);

    let invalid_payload = build_signed_request(
        &secret(),
        &json!({"algorithm": "HMAC-SHA256", "user_id": "555", "issued_at": "oauth-token-like"}),
    );
    let invalid = SignedRequest::parse(&invalid_payload, &verifier).unwrap_err();
    assert_quiet(&invalid, &[SECRET, "oauth-token-like", "555"]);
    assert!(std::error::Error::source(&invalid).is_none());
}
