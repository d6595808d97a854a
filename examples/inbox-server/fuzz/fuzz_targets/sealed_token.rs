//! Sealed platform tokens, `v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`, as the
//! database may hand them back: `Cipher::open`, `key_id_of` and `reseal`.
//!
//! The first byte picks a mode:
//!
//! - even: the rest is `context \n sealed`, arbitrary. Opening never panics and fails with
//!   a typed error: `UnknownKey` exactly for a well-formed value naming a key that is not
//!   listed (the id `key_id_of` reads), `Invalid` otherwise; no error shows key material.
//! - odd: the rest is a token, a context and one edit. Sealing then opening gives the token
//!   back under every cipher that lists the key; another context does not open it; a cipher
//!   without the key says `UnknownKey`; `reseal` moves it to the current key (or leaves it);
//!   and the sealed value with any one byte changed never opens.
#![no_main]

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use inbox_server::crypto::{Cipher, CryptoError};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const K1: [u8; 32] = [7; 32];
const K2: [u8; 32] = [42; 32];

fn key(id: &str, bytes: &[u8; 32]) -> String {
    format!("{id}:{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Seals with k1; opens k1 and k2.
static CURRENT: LazyLock<Cipher> = LazyLock::new(|| {
    Cipher::from_config(&format!("{},{}", key("k1", &K1), key("k2", &K2))).unwrap()
});
/// Seals with k2; opens both: the cipher after a rotation.
static ROTATED: LazyLock<Cipher> = LazyLock::new(|| {
    Cipher::from_config(&format!("{},{}", key("k2", &K2), key("k1", &K1))).unwrap()
});
/// Knows only k2.
static ONLY_K2: LazyLock<Cipher> = LazyLock::new(|| Cipher::from_config(&key("k2", &K2)).unwrap());

fn no_key_material(error: &CryptoError) {
    let shown = format!("{error} {error:?}");
    for material in [URL_SAFE_NO_PAD.encode(K1), URL_SAFE_NO_PAD.encode(K2)] {
        assert!(!shown.contains(&material), "an error shows a key: {shown}");
    }
}

fn arbitrary_value(data: &[u8]) {
    let mut parts = data.splitn(2, |&b| b == b'\n');
    let (Some(context), Some(sealed)) = (parts.next(), parts.next()) else {
        return;
    };
    let (Ok(context), Ok(sealed)) = (std::str::from_utf8(context), std::str::from_utf8(sealed))
    else {
        return;
    };
    let named = Cipher::key_id_of(sealed);
    for (cipher, knows_k1) in [(&*CURRENT, true), (&*ONLY_K2, false)] {
        match cipher.open(sealed, context) {
            // Forging a tag is not something a fuzzer does: only a real seal opens.
            Ok(_) => panic!("an arbitrary value opened: {sealed:?}"),
            Err(CryptoError::UnknownKey(id)) => {
                assert_eq!(named, Ok(id.as_str()), "UnknownKey names another id");
                assert!(id != "k2" && (id != "k1" || !knows_k1), "{id} is listed");
            }
            Err(error) => {
                assert_eq!(error, CryptoError::Invalid, "{sealed:?}");
                no_key_material(&error);
            }
        }
        match cipher.reseal(sealed, context) {
            Ok(None) => assert_eq!(named, Ok(cipher.current_key_id())),
            Ok(Some(_)) => panic!("an arbitrary value was resealed: {sealed:?}"),
            Err(error) => no_key_material(&error),
        }
    }
    if named.is_err() {
        assert_eq!(CURRENT.open(sealed, context), Err(CryptoError::Invalid));
    }
}

fn round_trip(u: &mut Unstructured<'_>) -> Result<()> {
    let token: String = u.arbitrary()?;
    let context: String = u.arbitrary()?;
    let sealed = CURRENT.seal(&token, &context).expect("sealing works");
    assert!(sealed.starts_with("v1:k1:"), "{sealed}");
    if token.len() >= 12 {
        assert!(!sealed.contains(&token), "the sealed value shows the token");
    }
    assert_eq!(Cipher::key_id_of(&sealed), Ok("k1"));
    assert_eq!(CURRENT.open(&sealed, &context).unwrap().as_str(), token);
    assert_eq!(ROTATED.open(&sealed, &context).unwrap().as_str(), token);
    let other = format!("{context}x");
    assert_eq!(CURRENT.open(&sealed, &other), Err(CryptoError::Invalid));
    assert_eq!(
        ONLY_K2.open(&sealed, &context),
        Err(CryptoError::UnknownKey("k1".to_owned()))
    );

    assert_eq!(CURRENT.reseal(&sealed, &context), Ok(None));
    let moved = ROTATED
        .reseal(&sealed, &context)
        .expect("resealing works")
        .expect("k1 is not ROTATED's current key");
    assert!(moved.starts_with("v1:k2:"), "{moved}");
    assert_eq!(ONLY_K2.open(&moved, &context).unwrap().as_str(), token);
    assert_eq!(ROTATED.reseal(&moved, &context), Ok(None));

    // One byte changed anywhere: it must not open.
    let at = u.choose_index(sealed.len())?;
    let byte: u8 = u.arbitrary()?;
    let mut edited = sealed.clone().into_bytes();
    if edited[at] == byte {
        return Ok(());
    }
    edited[at] = byte;
    if let Ok(edited) = String::from_utf8(edited) {
        for cipher in [&*CURRENT, &*ROTATED, &*ONLY_K2] {
            assert!(
                cipher.open(&edited, &context).is_err(),
                "{edited:?} opened after changing byte {at} of {sealed:?}"
            );
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        arbitrary_value(rest);
    } else {
        let _ = round_trip(&mut Unstructured::new(rest));
    }
});
