//! The subscription handshake (Meta calls it a verification request).
//!
//! Whenever you set or edit the callback URL or verify token in the App Dashboard, Meta sends
//!
//! ```text
//! GET <callback URL>?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=<your token>
//! ```
//!
//! The endpoint must check that `hub.mode` is `subscribe` and `hub.verify_token` is the token
//! you configured, then answer `200 OK` with the `hub.challenge` value as the whole body.
//! Anything else should be answered `403 Forbidden`. This GET carries no signature; the
//! verify token is the only proof that Meta sent it.

use std::fmt;

use crate::{Error, HandshakeRefusal, VerifyToken, form};

/// The longest `hub.challenge` echoed back. Meta sends a short random value (its examples are
/// ten-digit integers); the cap keeps a forged request from making the endpoint echo an
/// arbitrary amount of data.
pub const MAX_CHALLENGE_LEN: usize = 256;

const MODE: &str = "hub.mode";
const VERIFY_TOKEN: &str = "hub.verify_token";
const CHALLENGE: &str = "hub.challenge";

/// A `hub.challenge` that passed the handshake: 1 to [`MAX_CHALLENGE_LEN`] visible ASCII
/// characters (`!` to `~`), to send back as the body of a `200 OK`.
///
/// The character check keeps a forged challenge from adding lines or markup to the response;
/// still serve it as `text/plain` (the axum integration does, with `nosniff`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Challenge(String);

impl Challenge {
    /// The challenge, to write as the response body.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The challenge as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Challenge> for String {
    fn from(challenge: Challenge) -> Self {
        challenge.0
    }
}

/// Checks a handshake given its query parameters as already percent-decoded `(name, value)`
/// pairs (for example from a framework's query extractor), and returns the challenge to echo.
///
/// Parameters other than `hub.mode`, `hub.verify_token` and `hub.challenge` are ignored. The
/// checks run in this order: each of the three present exactly once, `hub.mode` equal to
/// `subscribe` (case-sensitive), the token equal to `expected` (constant time), then the
/// challenge's length and characters. Answer `Ok` with `200` and the challenge as the body,
/// and any error with `403`.
///
/// ```
/// use metabiz_webhook_verify::{ErrorKind, HandshakeRefusal, VerifyToken, verify_subscription};
///
/// let token = VerifyToken::new("meatyhamhock");
/// let query = [
///     ("hub.mode", "subscribe"),
///     ("hub.challenge", "1158201444"),
///     ("hub.verify_token", "meatyhamhock"),
/// ];
/// assert_eq!(verify_subscription(query, &token)?.as_str(), "1158201444");
///
/// let forged = [("hub.mode", "subscribe"), ("hub.challenge", "1"), ("hub.verify_token", "guess")];
/// let refused = verify_subscription(forged, &token).unwrap_err();
/// assert_eq!(refused.kind(), ErrorKind::HandshakeRefused(HandshakeRefusal::TokenMismatch));
/// # Ok::<(), metabiz_webhook_verify::Error>(())
/// ```
pub fn verify_subscription<I, K, V>(params: I, expected: &VerifyToken) -> Result<Challenge, Error>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut mode = None;
    let mut token = None;
    let mut challenge = None;
    for (name, value) in params {
        let slot = match name.as_ref() {
            MODE => &mut mode,
            VERIFY_TOKEN => &mut token,
            CHALLENGE => &mut challenge,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(HandshakeRefusal::DuplicateParameter.into());
        }
    }
    let mode = mode.ok_or(HandshakeRefusal::MissingMode)?;
    let token = token.ok_or(HandshakeRefusal::MissingVerifyToken)?;
    let challenge = challenge.ok_or(HandshakeRefusal::MissingChallenge)?;

    if mode.as_ref() != "subscribe" {
        return Err(HandshakeRefusal::WrongMode.into());
    }
    if !expected.matches(token.as_ref().as_bytes()) {
        return Err(HandshakeRefusal::TokenMismatch.into());
    }
    let challenge = challenge.as_ref();
    if challenge.is_empty()
        || challenge.len() > MAX_CHALLENGE_LEN
        || !challenge.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(HandshakeRefusal::BadChallenge.into());
    }
    Ok(Challenge(challenge.to_owned()))
}

/// Checks a handshake given the raw query string (the part after `?`, still percent-encoded),
/// and returns the challenge to echo. Decoding follows `application/x-www-form-urlencoded`
/// (`+` is a space); the checks are those of [`verify_subscription`].
///
/// ```
/// use metabiz_webhook_verify::{VerifyToken, verify_subscription_query};
///
/// let token = VerifyToken::new("my token");
/// let query = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my+token";
/// assert_eq!(verify_subscription_query(query, &token)?.as_str(), "1158201444");
/// # Ok::<(), metabiz_webhook_verify::Error>(())
/// ```
pub fn verify_subscription_query(query: &str, expected: &VerifyToken) -> Result<Challenge, Error> {
    verify_subscription(form::pairs(query.as_bytes()), expected)
}
