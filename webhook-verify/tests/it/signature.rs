//! `SignatureVerifier`: rotation, SHA-1 opt-in, strict header parsing, tampering.

use metabiz_webhook_verify::test_util::{sign_body, sign_body_sha1};
use metabiz_webhook_verify::{AppSecret, ErrorKind, SignatureVerifier};
use proptest::prelude::*;

use crate::{fixture, second_secret, secret};

fn body() -> Vec<u8> {
    fixture("whatsapp_text_message.json")
}

fn kind(result: Result<(), metabiz_webhook_verify::Error>) -> Option<ErrorKind> {
    result.err().map(|err| err.kind())
}

#[test]
fn rotation_accepts_either_secret_and_nothing_else() {
    let body = body();
    let rotating = SignatureVerifier::from_secrets([&secret(), &second_secret()]);
    let old_only = SignatureVerifier::new(&secret());
    let by_second = sign_body(&second_secret(), &body);
    let by_first = sign_body(&secret(), &body);
    let by_stranger = sign_body(&AppSecret::new("someone else"), &body);

    assert_eq!(
        kind(rotating.verify(Some(by_first.as_bytes()), None, &body)),
        None
    );
    assert_eq!(
        kind(rotating.verify(Some(by_second.as_bytes()), None, &body)),
        None
    );
    assert_eq!(
        kind(rotating.verify(Some(by_stranger.as_bytes()), None, &body)),
        Some(ErrorKind::SignatureMismatch)
    );
    assert_eq!(
        kind(old_only.verify(Some(by_second.as_bytes()), None, &body)),
        Some(ErrorKind::SignatureMismatch)
    );

    let added = SignatureVerifier::new(&secret()).with_secret(&second_secret());
    assert_eq!(
        kind(added.verify(Some(by_second.as_bytes()), None, &body)),
        None
    );
}

#[test]
fn empty_secrets_never_verify() {
    let empty = AppSecret::new("");
    let body = b"{}";
    // Anyone can compute an HMAC keyed with "", so it must not be accepted.
    let forged = sign_body(&empty, body);

    let only_empty = SignatureVerifier::new(&empty);
    assert_eq!(
        kind(only_empty.verify(Some(forged.as_bytes()), None, body)),
        Some(ErrorKind::EmptySecret)
    );
    let mixed = SignatureVerifier::from_secrets([&empty, &secret()]);
    assert_eq!(
        kind(mixed.verify(Some(forged.as_bytes()), None, body)),
        Some(ErrorKind::SignatureMismatch)
    );
}

#[test]
fn sha1_is_refused_until_allowed() {
    let body = body();
    let sha1 = sign_body_sha1(&secret(), &body);
    let strict = SignatureVerifier::new(&secret());
    assert_eq!(
        kind(strict.verify(None, Some(sha1.as_bytes()), &body)),
        Some(ErrorKind::Sha1NotAllowed)
    );

    let lenient = strict.clone().allow_sha1(true);
    assert_eq!(
        kind(lenient.verify(None, Some(sha1.as_bytes()), &body)),
        None
    );
    let wrong = sign_body_sha1(&second_secret(), &body);
    assert_eq!(
        kind(lenient.verify(None, Some(wrong.as_bytes()), &body)),
        Some(ErrorKind::SignatureMismatch)
    );
    let sha256_in_sha1_header = sign_body(&secret(), &body);
    assert_eq!(
        kind(lenient.verify(None, Some(sha256_in_sha1_header.as_bytes()), &body)),
        Some(ErrorKind::MalformedSignature)
    );
    // Turning it back off refuses again.
    assert_eq!(
        kind(
            lenient
                .allow_sha1(false)
                .verify(None, Some(sha1.as_bytes()), &body)
        ),
        Some(ErrorKind::Sha1NotAllowed)
    );
}

#[test]
fn sha256_header_decides_when_both_are_present() {
    let body = body();
    let verifier = SignatureVerifier::new(&secret()).allow_sha1(true);
    let good_sha1 = sign_body_sha1(&secret(), &body);
    let bad_sha256 = sign_body(&second_secret(), &body);
    assert_eq!(
        kind(verifier.verify(
            Some(bad_sha256.as_bytes()),
            Some(good_sha1.as_bytes()),
            &body
        )),
        Some(ErrorKind::SignatureMismatch)
    );
    let good_sha256 = sign_body(&secret(), &body);
    assert_eq!(
        kind(verifier.verify(Some(good_sha256.as_bytes()), Some(b"sha1=garbage"), &body)),
        None
    );
}

#[test]
fn missing_signature() {
    let verifier = SignatureVerifier::new(&secret()).allow_sha1(true);
    assert_eq!(
        kind(verifier.verify(None, None, &body())),
        Some(ErrorKind::MissingSignature)
    );
}

#[test]
fn every_malformed_header_is_refused_even_when_the_digest_is_right() {
    let body = body();
    let good = sign_body(&secret(), &body);
    let hex = good.strip_prefix("sha256=").unwrap();
    let verifier = SignatureVerifier::new(&secret());
    assert_eq!(
        kind(verifier.verify(Some(good.as_bytes()), None, &body)),
        None
    );

    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("prefix only", b"sha256=".to_vec()),
        ("no equals sign", format!("sha256{hex}").into_bytes()),
        (
            "colon instead of equals",
            format!("sha256:{hex}").into_bytes(),
        ),
        ("uppercase prefix", format!("SHA256={hex}").into_bytes()),
        (
            "uppercase digits",
            format!("sha256={}", hex.to_uppercase()).into_bytes(),
        ),
        ("one uppercase digit", {
            let mut mixed = good.clone().into_bytes();
            let at = mixed.iter().rposition(u8::is_ascii_lowercase).unwrap();
            mixed[at] = mixed[at].to_ascii_uppercase();
            mixed
        }),
        ("leading space", format!(" {good}").into_bytes()),
        ("trailing space", format!("{good} ").into_bytes()),
        ("space after equals", format!("sha256= {hex}").into_bytes()),
        ("trailing newline", format!("{good}\n").into_bytes()),
        ("trailing NUL", [good.as_bytes(), b"\0"].concat()),
        ("63 digits", good.as_bytes()[..good.len() - 1].to_vec()),
        ("65 digits", format!("{good}0").into_bytes()),
        ("two values", format!("{good},{good}").into_bytes()),
        ("0x prefix", format!("sha256=0x{}", &hex[2..]).into_bytes()),
        (
            "non-hex digit",
            format!("sha256=g{}", &hex[1..]).into_bytes(),
        ),
        ("sha1 prefix", format!("sha1={hex}").into_bytes()),
        ("sha512 prefix", format!("sha512={hex}").into_bytes()),
        ("bare digest", hex.as_bytes().to_vec()),
        (
            "base64 digest",
            b"sha256=Y2FmZWJhYmVjYWZlYmFiZWNhZmViYWJlY2FmZWJhYmU=".to_vec(),
        ),
        ("not UTF-8", [b"sha256=".as_slice(), &[0xff; 64]].concat()),
    ];
    for (case, header) in cases {
        assert_eq!(
            kind(verifier.verify(Some(&header), None, &body)),
            Some(ErrorKind::MalformedSignature),
            "{case}"
        );
    }
}

#[test]
fn malformed_sha1_header_when_allowed() {
    let body = body();
    let good = sign_body_sha1(&secret(), &body);
    let verifier = SignatureVerifier::new(&secret()).allow_sha1(true);
    for header in [
        good.to_uppercase(),
        format!("{good} "),
        good[..good.len() - 1].to_owned(),
        good.replace("sha1=", "sha256="),
    ] {
        assert_eq!(
            kind(verifier.verify(None, Some(header.as_bytes()), &body)),
            Some(ErrorKind::MalformedSignature),
            "{header:?}"
        );
    }
}

#[test]
fn a_mebibyte_body_verifies() {
    let body: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    let header = sign_body(&secret(), &body);
    let verifier = SignatureVerifier::from_secrets([&second_secret(), &secret()]);
    assert_eq!(
        kind(verifier.verify(Some(header.as_bytes()), None, &body)),
        None
    );
    let mut tampered = body;
    tampered[1_048_575] ^= 0x80;
    assert_eq!(
        kind(verifier.verify(Some(header.as_bytes()), None, &tampered)),
        Some(ErrorKind::SignatureMismatch)
    );
}

#[test]
fn clones_share_configuration_and_debug_shows_no_key_material() {
    let verifier = SignatureVerifier::from_secrets([&secret(), &second_secret()]).allow_sha1(true);
    let shown = format!("{:?}", verifier.clone());
    assert_eq!(shown, "SignatureVerifier { secrets: 2, allow_sha1: true }");
}

proptest! {
    #[test]
    fn any_single_bit_flip_in_the_body_is_rejected(index in any::<prop::sample::Index>(), bit in 0..8u8) {
        let body = body();
        let header = sign_body(&secret(), &body);
        let mut tampered = body.clone();
        tampered[index.index(body.len())] ^= 1 << bit;
        let verifier = SignatureVerifier::new(&secret());
        prop_assert_eq!(
            kind(verifier.verify(Some(header.as_bytes()), None, &tampered)),
            Some(ErrorKind::SignatureMismatch)
        );
    }

    #[test]
    fn any_single_bit_flip_in_the_signature_is_rejected(index in any::<prop::sample::Index>(), bit in 0..8u8) {
        let body = body();
        let mut header = sign_body(&secret(), &body).into_bytes();
        let len = header.len();
        header[index.index(len)] ^= 1 << bit;
        let verifier = SignatureVerifier::new(&secret());
        // A flipped bit makes either another digest (mismatch) or no digest at all (malformed).
        let got = kind(verifier.verify(Some(&header), None, &body));
        prop_assert!(
            matches!(got, Some(ErrorKind::SignatureMismatch | ErrorKind::MalformedSignature)),
            "{:?}", got
        );
    }

    #[test]
    fn any_body_signed_by_meta_verifies(body in prop::collection::vec(any::<u8>(), 0..4096)) {
        let verifier = SignatureVerifier::new(&secret());
        let header = sign_body(&secret(), &body);
        prop_assert_eq!(kind(verifier.verify(Some(header.as_bytes()), None, &body)), None);
    }
}
