//! `X-Hub-Signature-256` on webhook POSTs.
//!
//! Meta signs each event notification with HMAC-SHA256 keyed with the app secret, over the body
//! bytes exactly as sent, and puts `sha256=<64 lowercase hex digits>` in the
//! `X-Hub-Signature-256` header. Those bytes are JSON that Meta has already escaped (`/` as
//! `\/`, `ä` as `\u00e4`), so the check must run on the raw body: parsing the JSON and
//! serializing it again produces different bytes and a signature that never matches.

use std::fmt;
use std::sync::Arc;

use hmac::{Hmac, Mac as _};
use sha1::Sha1;
use sha2::Sha256;

use crate::{AppSecret, Error, ErrorKind};

/// Name of the header that carries the HMAC-SHA256 signature (`sha256=<hex>`), lowercase as
/// HTTP/2 and the `http` crate spell header names.
pub const SIGNATURE_256_HEADER: &str = "x-hub-signature-256";

/// Name of the legacy header that carries an HMAC-SHA1 signature (`sha1=<hex>`). Meta still
/// sends it beside [`SIGNATURE_256_HEADER`]; it is only checked after
/// [`SignatureVerifier::allow_sha1`].
pub const SIGNATURE_SHA1_HEADER: &str = "x-hub-signature";

const SHA256_PREFIX: &[u8] = b"sha256=";
const SHA1_PREFIX: &[u8] = b"sha1=";

/// Checks webhook signatures against one or more app secrets.
///
/// Build it once at start-up and share it: cloning is an `Arc` increment. The keyed HMAC state
/// of each secret is computed at construction, so a verification only clones that state and
/// hashes the body, once per secret, without copying it.
///
/// Several secrets support rotation: while you roll the app secret in the App Dashboard, give
/// the verifier the old and the new one and a body signed with either passes.
///
/// # What is accepted
///
/// - `X-Hub-Signature-256` must be exactly `sha256=` followed by 64 **lowercase** hex digits,
///   which is what Meta documents and sends. Uppercase digits, `SHA256=`, surrounding spaces,
///   a second value or anything after the digits is [`ErrorKind::MalformedSignature`]. The
///   strictness costs nothing with real Meta traffic and leaves one spelling per signature.
/// - When `X-Hub-Signature-256` is present it alone decides; the SHA-1 header is ignored.
/// - The legacy `X-Hub-Signature: sha1=<40 lowercase hex>` is checked only when it is the sole
///   signature and [`allow_sha1`](Self::allow_sha1) was turned on; otherwise such a request is
///   [`ErrorKind::Sha1NotAllowed`]. SHA-1 is weaker and Meta has sent SHA-256 for years.
///
/// Comparison is constant time (`Mac::verify_slice`). Nothing in the body is signed with a
/// timestamp, so a captured request can be replayed: de-duplicate on the message ids.
///
/// The verifier keeps only the keyed HMAC states, not the secrets. Those states are as good as
/// the secret for forging signatures, and `hmac` 0.12 offers no way to zero them on drop, so
/// keep the verifier itself out of core dumps and logs as you would the secret (its `Debug`
/// prints only the number of secrets).
#[derive(Clone)]
pub struct SignatureVerifier {
    keys: Arc<Keys>,
    allow_sha1: bool,
}

/// A decoded signature from one of the two headers.
pub(crate) enum Tag {
    Sha256([u8; 32]),
    Sha1([u8; 20]),
}

#[derive(Clone, Default)]
struct Keys {
    sha256: Vec<Hmac<Sha256>>,
    sha1: Vec<Hmac<Sha1>>,
}

impl SignatureVerifier {
    /// A verifier for one app secret.
    pub fn new(secret: &AppSecret) -> Self {
        Self::from_secrets([secret])
    }

    /// A verifier that accepts a signature made with any of `secrets` (app secret rotation).
    /// Empty secrets are skipped: see [`AppSecret::new`].
    pub fn from_secrets<'s>(secrets: impl IntoIterator<Item = &'s AppSecret>) -> Self {
        secrets.into_iter().fold(
            Self {
                keys: Arc::default(),
                allow_sha1: false,
            },
            Self::with_secret,
        )
    }

    /// Adds another accepted secret, for rotation.
    pub fn with_secret(mut self, secret: &AppSecret) -> Self {
        if !secret.is_empty() {
            let keys = Arc::make_mut(&mut self.keys);
            keys.sha256
                .push(hmac_sha256(secret.expose_secret().as_bytes()));
            keys.sha1.push(hmac_sha1(secret.expose_secret().as_bytes()));
        }
        self
    }

    /// Whether a request that carries only the legacy SHA-1 `X-Hub-Signature` is checked
    /// (`true`) or refused with [`ErrorKind::Sha1NotAllowed`] (`false`, the default).
    pub fn allow_sha1(mut self, allow: bool) -> Self {
        self.allow_sha1 = allow;
        self
    }

    /// Verifies a webhook body against the raw values of its `X-Hub-Signature-256` and
    /// `X-Hub-Signature` headers (`None` when absent).
    ///
    /// `body` must be the bytes as received, before any JSON parsing or re-encoding. On `Ok`
    /// the body is authentic; parse it then.
    pub fn verify(
        &self,
        signature_256: Option<&[u8]>,
        signature_sha1: Option<&[u8]>,
        body: &[u8],
    ) -> Result<(), Error> {
        let tag = self.select_tag(signature_256, signature_sha1)?;
        self.check_tag(&tag, body)
    }

    /// Verifies a webhook body against the signature headers in `headers`.
    ///
    /// A header that appears more than once is [`ErrorKind::MalformedSignature`]: there is no
    /// safe way to pick one.
    #[cfg(feature = "axum")]
    #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
    pub fn verify_headers(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<(), Error> {
        let tag = self.header_tag(headers)?;
        self.check_tag(&tag, body)
    }

    /// The signature to check, from the headers alone, so that a request without a usable one
    /// is refused before its body is read.
    #[cfg(feature = "axum")]
    pub(crate) fn header_tag(&self, headers: &http::HeaderMap) -> Result<Tag, Error> {
        fn single<'h>(headers: &'h http::HeaderMap, name: &str) -> Result<Option<&'h [u8]>, Error> {
            let mut values = headers.get_all(name).iter();
            match (values.next(), values.next()) {
                (None, _) => Ok(None),
                (Some(value), None) => Ok(Some(value.as_bytes())),
                (Some(_), Some(_)) => Err(ErrorKind::MalformedSignature.into()),
            }
        }
        self.select_tag(
            single(headers, SIGNATURE_256_HEADER)?,
            single(headers, SIGNATURE_SHA1_HEADER)?,
        )
    }

    fn select_tag(
        &self,
        signature_256: Option<&[u8]>,
        signature_sha1: Option<&[u8]>,
    ) -> Result<Tag, Error> {
        if self.keys.sha256.is_empty() {
            return Err(ErrorKind::EmptySecret.into());
        }
        match (signature_256, signature_sha1) {
            (Some(header), _) => parse_tag(header, SHA256_PREFIX).map(Tag::Sha256),
            (None, Some(_)) if !self.allow_sha1 => Err(ErrorKind::Sha1NotAllowed.into()),
            (None, Some(header)) => parse_tag(header, SHA1_PREFIX).map(Tag::Sha1),
            (None, None) => Err(ErrorKind::MissingSignature.into()),
        }
    }

    pub(crate) fn check_tag(&self, tag: &Tag, body: &[u8]) -> Result<(), Error> {
        let matched = match tag {
            Tag::Sha256(tag) => self.verify_tag_sha256(body, tag),
            Tag::Sha1(tag) => self.keys.sha1.iter().any(|keyed| {
                let mut mac = keyed.clone();
                mac.update(body);
                mac.verify_slice(tag).is_ok()
            }),
        };
        if matched {
            Ok(())
        } else {
            Err(ErrorKind::SignatureMismatch.into())
        }
    }

    /// Whether any secret's HMAC-SHA256 over `message` equals `tag`, compared in constant time.
    pub(crate) fn verify_tag_sha256(&self, message: &[u8], tag: &[u8]) -> bool {
        self.keys.sha256.iter().any(|keyed| {
            let mut mac = keyed.clone();
            mac.update(message);
            mac.verify_slice(tag).is_ok()
        })
    }

    pub(crate) fn has_secret(&self) -> bool {
        !self.keys.sha256.is_empty()
    }
}

impl From<&AppSecret> for SignatureVerifier {
    fn from(secret: &AppSecret) -> Self {
        Self::new(secret)
    }
}

impl fmt::Debug for SignatureVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureVerifier")
            .field("secrets", &self.keys.sha256.len())
            .field("allow_sha1", &self.allow_sha1)
            .finish()
    }
}

/// `prefix` then exactly `2 * N` lowercase hex digits, decoded.
fn parse_tag<const N: usize>(header: &[u8], prefix: &[u8]) -> Result<[u8; N], Error> {
    let digits = header
        .strip_prefix(prefix)
        .filter(|digits| {
            digits.len() == 2 * N
                && digits
                    .iter()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
        .ok_or(ErrorKind::MalformedSignature)?;
    let mut tag = [0; N];
    hex::decode_to_slice(digits, &mut tag).map_err(|_| ErrorKind::MalformedSignature)?;
    Ok(tag)
}

/// HMAC-SHA256 keyed with `key`.
pub(crate) fn hmac_sha256(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as hmac::Mac>::new_from_slice(key).expect("HMAC takes keys of any length")
}

/// HMAC-SHA1 keyed with `key`.
pub(crate) fn hmac_sha1(key: &[u8]) -> Hmac<Sha1> {
    <Hmac<Sha1> as hmac::Mac>::new_from_slice(key).expect("HMAC takes keys of any length")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_tag_takes_exactly_lowercase_hex() {
        let hex64 = format!("sha256={}", "ab".repeat(32));
        assert_eq!(
            parse_tag::<32>(hex64.as_bytes(), SHA256_PREFIX).ok(),
            Some([0xab; 32])
        );
        let upper = format!("sha256={}", "AB".repeat(32));
        assert!(parse_tag::<32>(upper.as_bytes(), SHA256_PREFIX).is_err());
        assert!(parse_tag::<32>(&hex64.as_bytes()[..70], SHA256_PREFIX).is_err());
    }
}
