use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

/// The `state` parameter of the login flow: Facebook Login's defence
/// against cross-site request forgery.
///
/// Generate one per login attempt, keep it in the user's session, and
/// accept the callback only if the `state` it carries
/// [`matches`](OAuthState::matches).
///
/// ```
/// use meta_graph::oauth::OAuthState;
///
/// let state = OAuthState::generate();
/// let stored = state.as_str().to_owned(); // e.g. in a session cookie
/// let restored = OAuthState::from_stored(stored);
/// assert!(restored.matches(state.as_str()));
/// assert!(!restored.matches("forged"));
/// ```
#[derive(Clone)]
pub struct OAuthState(Zeroizing<String>);

impl OAuthState {
    /// 256 random bits from the thread-local CSPRNG, base64url without
    /// padding (43 characters).
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(bytes.as_mut());
        Self(Zeroizing::new(URL_SAFE_NO_PAD.encode(bytes.as_ref())))
    }

    /// Restores a state kept between the redirect and the callback.
    pub fn from_stored(state: impl Into<String>) -> Self {
        Self(Zeroizing::new(state.into()))
    }

    /// The text to put in the URL and in the session.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `received` (the callback's `state` query parameter) is this
    /// state, compared in constant time. An empty state never matches.
    pub fn matches(&self, received: &str) -> bool {
        !self.0.is_empty() && bool::from(self.0.as_bytes().ct_eq(received.as_bytes()))
    }
}

impl fmt::Debug for OAuthState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OAuthState(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_states_are_long_and_distinct() {
        let a = OAuthState::generate();
        let b = OAuthState::generate();
        assert_eq!(a.as_str().len(), 43);
        assert!(
            a.as_str()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_ne!(a.as_str(), b.as_str());
        assert!(a.matches(a.as_str()));
        assert!(!a.matches(b.as_str()));
        assert!(!a.matches(""));
        assert!(!OAuthState::from_stored("").matches(""));
        assert_eq!(format!("{a:?}"), "OAuthState(<redacted>)");
    }
}
