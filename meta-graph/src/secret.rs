//! Secrets as types: an access token can only be read on purpose.

use std::fmt;

use serde::{Deserialize, Deserializer};
use zeroize::Zeroizing;

pub use metabiz_webhook_verify::AppSecret;

/// A Graph API access token (user, page, system user or app token).
///
/// The token is the key to a Page, an Instagram account or a WhatsApp
/// Business Account, so this type never prints it: `Debug` shows
/// `AccessToken(<redacted>)`, there is no `Display` and no `Serialize`, and
/// the memory is zeroed when the value is dropped. Read it only through
/// [`AccessToken::expose_secret`], which makes every use easy to find in a
/// review.
///
/// The client sends it in the `Authorization: Bearer` header, never in a
/// URL, so it does not end up in proxy or server logs.
///
/// `Deserialize` is implemented so that token responses from Meta (OAuth,
/// `/me/accounts`) decode straight into this type.
#[derive(Clone)]
pub struct AccessToken(Zeroizing<String>);

impl AccessToken {
    /// Wraps a token string obtained from Meta (an OAuth exchange, the App
    /// Dashboard, a system user, or your own store).
    pub fn new(token: impl Into<String>) -> Self {
        Self(Zeroizing::new(token.into()))
    }

    /// Builds an app access token, `{app-id}|{app-secret}`, which Meta
    /// accepts for app-level calls such as `debug_token`.
    ///
    /// The result is as sensitive as the app secret itself.
    pub fn app_token(app_id: &crate::AppId, app_secret: &AppSecret) -> Self {
        let secret = app_secret.expose_secret();
        // Exact capacity: growing would leave an unzeroed copy behind.
        let mut token = Zeroizing::new(String::with_capacity(
            app_id.as_str().len() + 1 + secret.len(),
        ));
        token.push_str(app_id.as_str());
        token.push('|');
        token.push_str(secret);
        Self(token)
    }

    /// Returns the token text. Call this only where the raw value must
    /// leave the process (for example to store it encrypted); the client
    /// itself needs no call to it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl From<String> for AccessToken {
    fn from(token: String) -> Self {
        Self::new(token)
    }
}

impl<'de> Deserialize<'de> for AccessToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let token = AccessToken::new("EAAGsecretTOKEN");
        let shown = format!("{token:?} {:?}", Some(&token));
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert!(!shown.contains("EAAGsecretTOKEN"));
        assert_eq!(token.expose_secret(), "EAAGsecretTOKEN");
    }

    #[test]
    fn deserializes_from_a_json_string() {
        let token: AccessToken = serde_json::from_str("\"EAAGabc\"").unwrap();
        assert_eq!(token.expose_secret(), "EAAGabc");
    }
}
