//! Signing helpers for your tests: make the requests Meta would send, signed with a test
//! secret, and feed them to your handlers.
//!
//! ```
//! use metabiz_webhook_verify::test_util::sign_body;
//! use metabiz_webhook_verify::{AppSecret, SignatureVerifier};
//!
//! let secret = AppSecret::new("test-secret");
//! let body = br#"{"object":"page","entry":[]}"#;
//! let header = sign_body(&secret, body);
//! SignatureVerifier::new(&secret).verify(Some(header.as_bytes()), None, body)?;
//! # Ok::<(), metabiz_webhook_verify::Error>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac as _;

use crate::AppSecret;
use crate::signature::{hmac_sha1, hmac_sha256};

/// The `X-Hub-Signature-256` header value Meta would send with `body`: `sha256=` and the
/// lowercase hex HMAC-SHA256.
pub fn sign_body(secret: &AppSecret, body: &[u8]) -> String {
    let mut mac = hmac_sha256(secret.expose_secret().as_bytes());
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The legacy `X-Hub-Signature` header value Meta would send with `body`: `sha1=` and the
/// lowercase hex HMAC-SHA1.
pub fn sign_body_sha1(secret: &AppSecret, body: &[u8]) -> String {
    let mut mac = hmac_sha1(secret.expose_secret().as_bytes());
    mac.update(body);
    format!("sha1={}", hex::encode(mac.finalize().into_bytes()))
}

/// A `signed_request` as Meta builds it: the payload serialized compactly, base64url without
/// padding, and signed over that string.
///
/// The payload is used as given, so a test can also build requests with a wrong `algorithm`
/// or missing fields.
pub fn build_signed_request(secret: &AppSecret, payload: &serde_json::Value) -> String {
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    let mut mac = hmac_sha256(secret.expose_secret().as_bytes());
    mac.update(payload.as_bytes());
    format!(
        "{}.{payload}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}
