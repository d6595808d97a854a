//! Arbitrary `signed_request` strings and form bodies: parsing must return, never panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use metabiz_webhook_verify::{AppSecret, SignatureVerifier, SignedRequest};

static VERIFIER: LazyLock<SignatureVerifier> =
    LazyLock::new(|| SignatureVerifier::new(&AppSecret::new("appsecret")));

fuzz_target!(|data: &[u8]| {
    let _ = SignedRequest::from_form(data, &VERIFIER);
    if let Ok(input) = std::str::from_utf8(data) {
        let _ = SignedRequest::parse(input, &VERIFIER);
    }
});
