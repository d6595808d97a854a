//! The two secrets a webhook endpoint holds, as types that never print themselves.

use std::fmt;

use hmac::Mac as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::signature::hmac_sha256;

/// Your Meta app's App Secret (App Dashboard › App settings › Basic).
///
/// Meta signs every webhook POST and every `signed_request` with it, and the Graph API uses it
/// to check `appsecret_proof`. Anyone who has it can forge webhooks, so the type is built to
/// keep it out of logs: `Debug` prints `AppSecret(<redacted>)`, there is no `Display` and no
/// `Serialize`, and the bytes are overwritten with zeros when the value is dropped.
///
/// ```
/// use metabiz_webhook_verify::AppSecret;
///
/// let secret = AppSecret::new("0123456789abcdef0123456789abcdef");
/// assert_eq!(format!("{secret:?}"), "AppSecret(<redacted>)");
/// ```
#[derive(Clone)]
pub struct AppSecret(String);

impl AppSecret {
    /// Wraps the app secret as Meta shows it (32 lowercase hex characters today; any string is
    /// taken).
    ///
    /// An empty secret is accepted here but never verifies anything: an HMAC keyed with the
    /// empty string proves nothing, because anyone can compute it.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the few places that must send it, such as the `client_secret`
    /// parameter of Meta's OAuth token exchange. Keep the result out of logs and URLs you print.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string, which usually means a missing environment
    /// variable.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `appsecret_proof` Graph API parameter for `access_token`: lowercase hex of
    /// HMAC-SHA256 keyed with this app secret over the access token.
    ///
    /// Apps with "Require App Secret" turned on must send it with every Graph call made with a
    /// user or page token; it proves the caller knows the secret without sending it.
    ///
    /// ```
    /// use metabiz_webhook_verify::AppSecret;
    ///
    /// let proof = AppSecret::new("app-secret").appsecret_proof("access-token");
    /// assert_eq!(proof.len(), 64);
    /// assert!(proof.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    /// ```
    pub fn appsecret_proof(&self, access_token: &str) -> String {
        let mut mac = hmac_sha256(self.0.as_bytes());
        mac.update(access_token.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

impl fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppSecret(<redacted>)")
    }
}

impl Drop for AppSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for AppSecret {}

/// The verify token you typed into the App Dashboard's webhook settings, which Meta sends back
/// as `hub.verify_token` in the subscription handshake.
///
/// Only its SHA-256 digest is kept, so the token itself does not stay in memory, and the
/// comparison with a received token (digest against digest, in constant time) reveals neither
/// its content nor its length. `Debug` prints `VerifyToken(<redacted>)`; there is no `Display`
/// and no `Serialize`, and the digest is zeroed on drop.
///
/// An empty verify token matches nothing, so a missing environment variable cannot turn into
/// "any empty `hub.verify_token` passes".
#[derive(Clone)]
pub struct VerifyToken {
    digest: [u8; 32],
    empty: bool,
}

impl VerifyToken {
    /// Wraps the verify token you configured for the webhook.
    pub fn new(token: impl Into<String>) -> Self {
        let mut token = token.into();
        let digest = Sha256::digest(token.as_bytes()).into();
        let empty = token.is_empty();
        token.zeroize();
        Self { digest, empty }
    }

    /// Whether `candidate` is this token, compared in constant time.
    pub(crate) fn matches(&self, candidate: &[u8]) -> bool {
        let candidate: [u8; 32] = Sha256::digest(candidate).into();
        bool::from(candidate.ct_eq(&self.digest)) && !self.empty
    }
}

impl fmt::Debug for VerifyToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerifyToken(<redacted>)")
    }
}

impl Drop for VerifyToken {
    fn drop(&mut self) {
        self.digest.zeroize();
    }
}

impl ZeroizeOnDrop for VerifyToken {}
