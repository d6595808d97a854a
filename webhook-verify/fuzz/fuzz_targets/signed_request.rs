//! `signed_request` strings and form bodies, as Meta's Deauthorize and Data Deletion callbacks
//! receive them.
//!
//! The first byte picks a mode:
//!
//! - even: the rest is arbitrary. `SignedRequest::from_form` on the bytes and
//!   `SignedRequest::parse` on them as UTF-8 never panic, and fail only with one of the
//!   `signed_request` error kinds; what `parse` accepts is refused by a verifier holding
//!   another secret; and a form body holding the text as its one field reads the same.
//! - odd: the rest builds a payload (algorithm in any case, user id as text or number,
//!   `issued_at`, extra fields) that is signed as Meta signs it: it reads back field for
//!   field, directly and from a form body; another secret's verifier refuses it as a
//!   signature mismatch; and any one byte of it changed is refused.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use metabiz_webhook_verify::test_util::build_signed_request;
use metabiz_webhook_verify::{AppSecret, ErrorKind, SignatureVerifier, SignedRequest};
use serde_json::{Map, Value, json};

static SECRET: LazyLock<AppSecret> = LazyLock::new(|| AppSecret::new("appsecret"));
static VERIFIER: LazyLock<SignatureVerifier> = LazyLock::new(|| SignatureVerifier::new(&SECRET));
static OTHER: LazyLock<SignatureVerifier> =
    LazyLock::new(|| SignatureVerifier::new(&AppSecret::new("another-secret")));

const KINDS: [ErrorKind; 4] = [
    ErrorKind::MalformedSignedRequest,
    ErrorKind::SignedRequestSignatureMismatch,
    ErrorKind::InvalidSignedRequestPayload,
    ErrorKind::UnsupportedAlgorithm,
];

/// A form body with `value` as its `signed_request`, percent-encoded as browsers post it.
fn form(value: &str) -> Vec<u8> {
    let mut body = b"signed_request=".to_vec();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._".contains(&byte) {
            body.push(byte);
        } else {
            body.extend_from_slice(format!("%{byte:02X}").as_bytes());
        }
    }
    body
}

fn arbitrary(data: &[u8]) {
    if let Err(error) = SignedRequest::from_form(data, &VERIFIER) {
        assert!(KINDS.contains(&error.kind()), "{:?}", error.kind());
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match SignedRequest::parse(text, &VERIFIER) {
        Ok(request) => {
            assert_eq!(
                SignedRequest::parse(text, &OTHER)
                    .map_err(|e| e.kind())
                    .err(),
                Some(ErrorKind::SignedRequestSignatureMismatch)
            );
            let body = form(text);
            if body.len() <= 2 * metabiz_webhook_verify::MAX_SIGNED_REQUEST_LEN {
                let from_form = SignedRequest::from_form(&body, &VERIFIER)
                    .expect("the same value in a form body");
                assert!(from_form == request, "the form body reads differently");
            }
        }
        Err(error) => {
            assert!(KINDS.contains(&error.kind()), "{:?}", error.kind());
            let body = form(text);
            if body.len() > 2 * metabiz_webhook_verify::MAX_SIGNED_REQUEST_LEN {
                return; // refused for its size alone
            }
            let from_form = SignedRequest::from_form(&body, &VERIFIER);
            assert_eq!(from_form.map_err(|e| e.kind()).err(), Some(error.kind()));
        }
    }
}

fn built(u: &mut Unstructured<'_>) -> Result<()> {
    let algorithm = *u.choose(&["HMAC-SHA256", "hmac-sha256", "Hmac-Sha256"])?;
    let numeric_id = u.arbitrary::<bool>()?;
    let user_number: u64 = u.arbitrary()?;
    let user_text: String = u.arbitrary()?;
    let issued_at: i64 = u.arbitrary()?;
    let mut payload = Map::new();
    payload.insert("algorithm".into(), algorithm.into());
    payload.insert(
        "user_id".into(),
        if numeric_id {
            json!(user_number)
        } else {
            json!(user_text)
        },
    );
    payload.insert("issued_at".into(), issued_at.into());
    let mut extra = Map::new();
    for _ in 0..u.int_in_range(0..=3)? {
        let key: String = u.arbitrary()?;
        if ["algorithm", "user_id", "issued_at"].contains(&key.as_str()) {
            continue;
        }
        let value: String = u.arbitrary()?;
        payload.insert(key.clone(), value.clone().into());
        extra.insert(key, value.into());
    }
    let signed = build_signed_request(&SECRET, &Value::Object(payload));

    let read = SignedRequest::parse(&signed, &VERIFIER);
    if signed.len() > metabiz_webhook_verify::MAX_SIGNED_REQUEST_LEN {
        assert_eq!(
            read.err().map(|e| e.kind()),
            Some(ErrorKind::MalformedSignedRequest)
        );
        return Ok(());
    }
    let read = read.expect("a signed_request Meta would send");
    assert_eq!(read.algorithm, algorithm);
    let user_id = if numeric_id {
        user_number.to_string()
    } else {
        user_text
    };
    assert_eq!(read.user_id, user_id);
    assert_eq!(read.issued_at, issued_at);
    assert_eq!(read.extra, extra);
    let from_form = SignedRequest::from_form(&form(&signed), &VERIFIER).expect("in a form body");
    assert!(from_form == read, "the form body reads differently");
    assert_eq!(
        SignedRequest::parse(&signed, &OTHER)
            .err()
            .map(|e| e.kind()),
        Some(ErrorKind::SignedRequestSignatureMismatch)
    );

    let at = u.choose_index(signed.len())?;
    let byte: u8 = u.arbitrary()?;
    let mut edited = signed.clone().into_bytes();
    if edited[at] != byte {
        edited[at] = byte;
        if let Ok(edited) = String::from_utf8(edited)
            && let Ok(accepted) = SignedRequest::parse(&edited, &VERIFIER)
        {
            panic!("{edited:?} (byte {at} of {signed:?} changed) was accepted: {accepted:?}");
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        arbitrary(rest);
    } else {
        let _ = built(&mut Unstructured::new(rest));
    }
});
