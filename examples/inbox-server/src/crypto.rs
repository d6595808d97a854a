//! Platform tokens at rest: sealed with XChaCha20-Poly1305 under `ENCRYPTION_KEY`.
//!
//! A sealed value reads `v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`. The key id lets
//! several keys live side by side during a rotation: the first key of `ENCRYPTION_KEY` seals,
//! every listed key opens, and `inbox-server rotate-key` re-seals everything with the first.
//! The associated data binds a ciphertext to its account (`platform:external_id`), so a
//! sealed token copied onto another row does not open.
//!
//! `ENCRYPTION_KEY` is a comma-separated list of `<key id>:<base64url of 32 random bytes>`;
//! `inbox-server gen-key` prints a fresh one.

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore as _;
use zeroize::Zeroizing;

const VERSION: &str = "v1";
const NONCE_LEN: usize = 24;

/// Why a key or a sealed value was refused. None of them carries key material.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// `ENCRYPTION_KEY` is not a list of `id:base64url(32 bytes)`.
    #[error(
        "ENCRYPTION_KEY must be `<key id>:<base64url of 32 bytes>` (comma-separated for several); \
         generate one with `inbox-server gen-key`: {0}"
    )]
    BadKey(String),
    /// The sealed value was made with a key id not in `ENCRYPTION_KEY`.
    #[error("the token was sealed with key {0:?}, which ENCRYPTION_KEY does not list")]
    UnknownKey(String),
    /// The sealed value is malformed or fails authentication.
    #[error("the sealed token is malformed or was tampered with")]
    Invalid,
}

/// The keys of `ENCRYPTION_KEY`. `Debug` shows only their ids.
#[derive(Clone)]
pub struct Cipher {
    current: String,
    keys: HashMap<String, Zeroizing<[u8; 32]>>,
}

impl fmt::Debug for Cipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<&String> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("Cipher")
            .field("current", &self.current)
            .field("keys", &ids)
            .finish()
    }
}

impl Cipher {
    /// Reads `ENCRYPTION_KEY`'s value: the first key seals, every key opens.
    ///
    /// # Errors
    ///
    /// [`CryptoError::BadKey`] naming what is wrong (never the key itself).
    pub fn from_config(value: &str) -> Result<Self, CryptoError> {
        let mut current = None;
        let mut keys = HashMap::new();
        for (n, part) in value.split(',').map(str::trim).enumerate() {
            let (id, encoded) = part
                .split_once(':')
                .ok_or_else(|| CryptoError::BadKey(format!("key {} has no `id:`", n + 1)))?;
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(CryptoError::BadKey(format!(
                    "key {}: the id must be letters, digits, - or _",
                    n + 1
                )));
            }
            let bytes = Zeroizing::new(
                URL_SAFE_NO_PAD
                    .decode(encoded.trim_end_matches('='))
                    .map_err(|_| CryptoError::BadKey(format!("key {id:?} is not base64url")))?,
            );
            let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
                CryptoError::BadKey(format!("key {id:?} is {} bytes, not 32", bytes.len()))
            })?;
            if keys.insert(id.to_owned(), Zeroizing::new(key)).is_some() {
                return Err(CryptoError::BadKey(format!(
                    "key id {id:?} is listed twice"
                )));
            }
            current.get_or_insert_with(|| id.to_owned());
        }
        Ok(Self {
            current: current.ok_or_else(|| CryptoError::BadKey("it is empty".to_owned()))?,
            keys,
        })
    }

    /// A new random key, in `ENCRYPTION_KEY`'s format, with the given id.
    pub fn generate_key(id: &str) -> String {
        let mut key = Zeroizing::new([0_u8; 32]);
        rand::rng().fill_bytes(key.as_mut());
        format!("{id}:{}", URL_SAFE_NO_PAD.encode(key.as_ref()))
    }

    /// The id of the key that seals.
    pub fn current_key_id(&self) -> &str {
        &self.current
    }

    fn aead(&self, id: &str) -> Result<XChaCha20Poly1305, CryptoError> {
        let key = self
            .keys
            .get(id)
            .ok_or_else(|| CryptoError::UnknownKey(id.to_owned()))?;
        Ok(XChaCha20Poly1305::new(key.as_ref().into()))
    }

    /// Seals `plaintext` for the row identified by `context` with the current key.
    ///
    /// # Errors
    ///
    /// Only if the AEAD refuses, which it does not for token-sized input.
    pub fn seal(&self, plaintext: &str, context: &str) -> Result<String, CryptoError> {
        let mut nonce = [0_u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .aead(&self.current)?
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Invalid)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(format!(
            "{VERSION}:{}:{}",
            self.current,
            URL_SAFE_NO_PAD.encode(out)
        ))
    }

    /// Opens a value made by [`seal`](Self::seal) for the same `context`.
    ///
    /// # Errors
    ///
    /// [`CryptoError::UnknownKey`] for a key no longer listed, [`CryptoError::Invalid`] for
    /// anything malformed, tampered with or sealed for another row.
    pub fn open(&self, sealed: &str, context: &str) -> Result<Zeroizing<String>, CryptoError> {
        let (id, data) = Self::parts(sealed)?;
        let data = URL_SAFE_NO_PAD
            .decode(data)
            .map_err(|_| CryptoError::Invalid)?;
        if data.len() < NONCE_LEN {
            return Err(CryptoError::Invalid);
        }
        let (nonce, ciphertext) = data.split_at(NONCE_LEN);
        let plaintext = Zeroizing::new(
            self.aead(id)?
                .decrypt(
                    XNonce::from_slice(nonce),
                    Payload {
                        msg: ciphertext,
                        aad: context.as_bytes(),
                    },
                )
                .map_err(|_| CryptoError::Invalid)?,
        );
        String::from_utf8(plaintext.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::Invalid)
    }

    /// The key id a sealed value names.
    ///
    /// # Errors
    ///
    /// [`CryptoError::Invalid`] when it is not a sealed value.
    pub fn key_id_of(sealed: &str) -> Result<&str, CryptoError> {
        Self::parts(sealed).map(|(id, _)| id)
    }

    fn parts(sealed: &str) -> Result<(&str, &str), CryptoError> {
        let mut parts = sealed.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(VERSION), Some(id), Some(data)) => Ok((id, data)),
            _ => Err(CryptoError::Invalid),
        }
    }

    /// Re-seals `sealed` with the current key; `None` when it already uses it.
    ///
    /// # Errors
    ///
    /// Those of [`open`](Self::open).
    pub fn reseal(&self, sealed: &str, context: &str) -> Result<Option<String>, CryptoError> {
        if Self::key_id_of(sealed)? == self.current {
            return Ok(None);
        }
        let plaintext = self.open(sealed, context)?;
        self.seal(&plaintext, context).map(Some)
    }
}

/// The associated data of an account's token.
pub fn token_context(platform: &str, external_id: &str) -> String {
    format!("platform_accounts.access_token:{platform}:{external_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_opens_and_binds_to_the_row() {
        let cipher = Cipher::from_config(&Cipher::generate_key("k1")).unwrap();
        let sealed = cipher.seal("EAAG-secret-token", "whatsapp:1").unwrap();
        assert!(sealed.starts_with("v1:k1:"));
        assert!(!sealed.contains("EAAG"));
        assert_eq!(
            cipher.open(&sealed, "whatsapp:1").unwrap().as_str(),
            "EAAG-secret-token"
        );
        assert_eq!(
            cipher.open(&sealed, "whatsapp:2"),
            Err(CryptoError::Invalid)
        );
        // Two seals of the same token differ (fresh nonce).
        assert_ne!(
            sealed,
            cipher.seal("EAAG-secret-token", "whatsapp:1").unwrap()
        );
        // A flipped character fails authentication.
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(
            cipher.open(&tampered, "whatsapp:1"),
            Err(CryptoError::Invalid)
        );
    }

    #[test]
    fn rotation_keeps_old_keys_readable_and_reseals_with_the_new_one() {
        let old_key = Cipher::generate_key("old");
        let old = Cipher::from_config(&old_key).unwrap();
        let sealed = old.seal("token", "ctx").unwrap();
        let rotated =
            Cipher::from_config(&format!("{},{old_key}", Cipher::generate_key("new"))).unwrap();
        assert_eq!(rotated.current_key_id(), "new");
        assert_eq!(rotated.open(&sealed, "ctx").unwrap().as_str(), "token");
        let resealed = rotated.reseal(&sealed, "ctx").unwrap().unwrap();
        assert_eq!(Cipher::key_id_of(&resealed).unwrap(), "new");
        assert_eq!(rotated.reseal(&resealed, "ctx").unwrap(), None);
        // Without the old key the old value names its missing key.
        let only_new = Cipher::from_config(&Cipher::generate_key("new")).unwrap();
        assert_eq!(
            only_new.open(&sealed, "ctx"),
            Err(CryptoError::UnknownKey("old".into()))
        );
    }

    #[test]
    fn bad_keys_are_refused_without_echoing_them() {
        for bad in [
            "",
            "nokey",
            "k1:short",
            "k1:!!!",
            "bad id:AAAA",
            &format!("{0},{0}", Cipher::generate_key("a")),
        ] {
            let error = Cipher::from_config(bad).unwrap_err();
            assert!(matches!(error, CryptoError::BadKey(_)), "{bad}");
            assert!(error.to_string().contains("gen-key"));
        }
        let key = Cipher::generate_key("k1");
        let cipher = Cipher::from_config(&key).unwrap();
        let debug = format!("{cipher:?}");
        assert!(!debug.contains(key.split_once(':').unwrap().1), "{debug}");
    }
}
