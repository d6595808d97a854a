use std::fmt;

use serde::Serialize;

use crate::Error;
use crate::validation as validate;

/// The body of `POST /{waba-id}/subscribed_apps`, which subscribes the calling app to the
/// account's webhooks, optionally sending them to another callback URL.
///
/// The verify token is a secret: `Debug` does not show it.
///
/// ```
/// use metabiz_whatsapp::model::SubscribeApp;
///
/// let plain = SubscribeApp::new();
/// assert_eq!(serde_json::to_string(&plain).unwrap(), "{}");
///
/// let with_override = SubscribeApp::with_callback("https://example.com/webhook", "s3cret");
/// with_override.validate()?;
/// assert!(!format!("{with_override:?}").contains("s3cret"));
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SubscribeApp {
    #[serde(skip_serializing_if = "Option::is_none")]
    override_callback_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verify_token: Option<String>,
}

impl SubscribeApp {
    /// Longest override callback URL Meta accepts.
    pub const OVERRIDE_CALLBACK_URI_MAX_CHARS: usize = 200;

    /// Subscribes with the app's own callback URL (an empty body).
    pub fn new() -> Self {
        Self {
            override_callback_uri: None,
            verify_token: None,
        }
    }

    /// Subscribes and sends this account's webhooks to `callback_uri`, which Meta verifies
    /// with `verify_token` as the `hub.verify_token` of the handshake.
    pub fn with_callback(callback_uri: impl Into<String>, verify_token: impl Into<String>) -> Self {
        Self {
            override_callback_uri: Some(callback_uri.into()),
            verify_token: Some(verify_token.into()),
        }
    }

    /// The override callback URL, when one is set.
    pub fn override_callback_uri(&self) -> Option<&str> {
        self.override_callback_uri.as_deref()
    }

    /// Checks that an override URL is an `http(s)` URL of at most 200 characters and that
    /// its verify token is not empty.
    pub fn validate(&self) -> Result<(), Error> {
        self.check()
    }

    fn check(&self) -> Result<(), Error> {
        if let Some(uri) = &self.override_callback_uri {
            validate::required(
                uri,
                Self::OVERRIDE_CALLBACK_URI_MAX_CHARS,
                "override_callback_uri",
            )?;
            validate::http_url(uri, "override_callback_uri")?;
        }
        if let Some(token) = &self.verify_token {
            // No maximum is documented; only emptiness is an error.
            validate::not_blank(token, "verify_token")?;
        }
        Ok(())
    }
}

impl Default for SubscribeApp {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SubscribeApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubscribeApp")
            .field("override_callback_uri", &self.override_callback_uri)
            .field(
                "verify_token",
                &self.verify_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}
