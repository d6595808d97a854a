//! `ENCRYPTION_KEY`, a comma-separated list of `<key id>:<base64url of 32 bytes>`:
//! `Cipher::from_config`.
//!
//! The first byte picks a mode:
//!
//! - even: the rest is the setting's text. Reading never panics; it fails only with
//!   `BadKey`, whose message never holds the material of a key in the text (a part whose
//!   base64 reads as 32 bytes); an accepted setting seals with its first key, opens what it
//!   seals, and its `Debug` shows no key material.
//! - odd: the rest builds a list of parts from ids (good or bad), 32-byte keys, `=` padding
//!   and blanks. It is accepted exactly when there is a part and every id is non-empty,
//!   letters, digits, `-` or `_`, and unique; then the first id seals, and a value sealed by
//!   any listed key alone opens with the whole list.
#![no_main]

use std::collections::HashSet;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use inbox_server::crypto::{Cipher, CryptoError};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn seals_and_opens(cipher: &Cipher) {
    let sealed = cipher
        .seal("EAAG-token", "whatsapp:1")
        .expect("sealing works");
    assert!(sealed.starts_with(&format!("v1:{}:", cipher.current_key_id())));
    assert_eq!(
        cipher.open(&sealed, "whatsapp:1").unwrap().as_str(),
        "EAAG-token"
    );
}

fn text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The material of every real key in the text, unless the text also uses it as an id.
    let ids: Vec<&str> = text
        .split(',')
        .filter_map(|p| p.trim().split_once(':').map(|(id, _)| id))
        .collect();
    let material: Vec<&str> = text
        .split(',')
        .filter_map(|p| p.trim().split_once(':').map(|(_, key)| key))
        .filter(|key| {
            URL_SAFE_NO_PAD
                .decode(key.trim_end_matches('='))
                .is_ok_and(|bytes| bytes.len() == 32)
        })
        .filter(|key| !ids.iter().any(|id| id.contains(key.trim_end_matches('='))))
        .collect();
    match Cipher::from_config(text) {
        Ok(cipher) => {
            let first = text.split(',').next().unwrap().trim();
            assert_eq!(
                Some(cipher.current_key_id()),
                first.split_once(':').map(|(id, _)| id)
            );
            seals_and_opens(&cipher);
            let shown = format!("{cipher:?}");
            for key in &material {
                assert!(
                    !shown.contains(key.trim_end_matches('=')),
                    "Debug shows a key: {shown}"
                );
            }
        }
        Err(CryptoError::BadKey(message)) => {
            for key in &material {
                assert!(
                    !message.contains(key.trim_end_matches('=')),
                    "the error shows a key: {message}"
                );
            }
        }
        Err(other) => panic!("reading ENCRYPTION_KEY failed with {other:?}"),
    }
}

const IDS: [&str; 8] = [
    "k1", "k2", "2026-12", "old_key", "", "bad id", "ключ", "k:1",
];

fn built(u: &mut Unstructured<'_>) -> Result<()> {
    let count = u.int_in_range(0..=4)?;
    let mut parts = Vec::new();
    let mut keys: Vec<(String, [u8; 32])> = Vec::new();
    for _ in 0..count {
        // Any id, except ones that would split into other parts or lose blanks when trimmed.
        let id = match u.arbitrary::<String>()? {
            id if u.ratio(1, 4)? && !id.contains([',', ':']) && id.trim() == id => id,
            _ => (*u.choose(&IDS)?).to_owned(),
        };
        let bytes: [u8; 32] = u.arbitrary()?;
        let pad = "=".repeat(u.int_in_range(0..=2)?);
        let blank = if u.arbitrary()? { " " } else { "" };
        parts.push(format!(
            "{blank}{id}:{}{pad}{blank}",
            URL_SAFE_NO_PAD.encode(bytes)
        ));
        keys.push((id, bytes));
    }
    let text = parts.join(",");
    let mut seen = HashSet::new();
    // Blanks around a part are trimmed, so an id is read as written only if it has none.
    let ok = !keys.is_empty()
        && keys
            .iter()
            .all(|(id, _)| valid_id(id) && seen.insert(id.clone()));
    let result = Cipher::from_config(&text);
    // `k:1` reads as the id `k` and a key that is not base64: refused, as its id is bad.
    assert_eq!(result.is_ok(), ok, "{text:?}: {result:?}");
    let Ok(cipher) = result else {
        let error = result.unwrap_err();
        assert!(matches!(error, CryptoError::BadKey(_)), "{error:?}");
        for (_, bytes) in &keys {
            assert!(!error.to_string().contains(&URL_SAFE_NO_PAD.encode(bytes)));
        }
        return Ok(());
    };
    assert_eq!(cipher.current_key_id(), keys[0].0);
    seals_and_opens(&cipher);
    for (id, bytes) in &keys {
        let alone = Cipher::from_config(&format!("{id}:{}", URL_SAFE_NO_PAD.encode(bytes)))
            .expect("one listed key reads alone");
        let sealed = alone.seal("token", "ctx").unwrap();
        assert_eq!(
            cipher.open(&sealed, "ctx").unwrap().as_str(),
            "token",
            "key {id}"
        );
    }
    let generated = Cipher::generate_key(&keys[0].0);
    let fresh = Cipher::from_config(&generated).expect("a generated key reads back");
    assert_eq!(fresh.current_key_id(), keys[0].0);
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        text(rest);
    } else {
        let _ = built(&mut Unstructured::new(rest));
    }
});
