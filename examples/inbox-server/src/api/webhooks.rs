//! Meta's webhooks: the subscription handshake, and each POST logged before the 200.
//!
//! A POST is refused, in this order: an unknown platform in the path (`404`, before the body
//! is read), a missing or wrong signature (`401`) or a body over [`BODY_LIMIT`] (`413`, both
//! from [`VerifiedBody`]), a content type other than `application/json` (`415`), and a body
//! that is not one JSON object (`400`). Only then is the body logged. Each refusal but the
//! `404` answers its bare reason as plain text, as [`VerifiedBody`] does. Meta sends every
//! delivery as `application/json`, so a signed body that fails the last two checks comes from
//! a tool holding the app secret, not from Meta: storing it would only leave a row that
//! fails forever.

use std::fmt;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use messaging_core::PlatformKind;
use metabiz_webhook_verify::Challenge;
use metabiz_webhook_verify::axum::{VerifiedBody, VerifiedChallenge};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

use super::BODY_LIMIT;
use crate::intake::Intake;

/// The platform named in the path. Any other name is `404` (empty body) before anything else
/// is looked at, so that a POST to an unknown platform costs neither a body read nor an HMAC.
pub(super) struct KnownPlatform(PlatformKind);

impl<S: Send + Sync> FromRequestParts<S> for KnownPlatform {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // `PlatformKind` deserializes from the borrowed segment: no allocation.
        match Path::<PlatformKind>::from_request_parts(parts, state).await {
            Ok(Path(platform)) => Ok(Self(platform)),
            Err(_) => Err(StatusCode::NOT_FOUND),
        }
    }
}

/// Whether the request declared `Content-Type: application/json` (any case, any parameters),
/// read from the headers in place before [`VerifiedBody`] takes the request.
pub(super) struct DeclaredJson(bool);

impl<S: Send + Sync> FromRequestParts<S> for DeclaredJson {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(declares_json(&parts.headers)))
    }
}

fn declares_json(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(CONTENT_TYPE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        // None, or two that may disagree.
        return false;
    };
    let bytes = value.as_bytes();
    let essence = bytes
        .iter()
        .position(|&b| b == b';')
        .map_or(bytes, |end| &bytes[..end]);
    essence
        .trim_ascii()
        .eq_ignore_ascii_case(b"application/json")
}

/// Whether `body` is one JSON object that `serde_json` reads: valid UTF-8 (inside strings too),
/// no lone surrogate escapes, nesting within `serde_json`'s recursion limit (128), nothing
/// after it but whitespace.
///
/// One pass over the borrowed bytes that builds nothing: no tree, no copy of the body (only
/// `serde_json`'s scratch buffer, for a string with escapes). `serde::de::IgnoredAny` would be
/// cheaper still but checks less: it skips strings without decoding them (invalid UTF-8
/// passes) and keeps its own stack, without the recursion limit.
fn is_json_object(body: &[u8]) -> bool {
    struct Object;

    impl<'de> serde::Deserialize<'de> for Object {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            // `serde_json` answers anything but `{` with an error without calling the visitor.
            deserializer.deserialize_map(Anything).map(|Anything| Self)
        }
    }

    serde_json::from_slice::<Object>(body).is_ok()
}

/// Any JSON value, visited and dropped.
struct Anything;

impl<'de> serde::Deserialize<'de> for Anything {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Self)
    }
}

impl<'de> Visitor<'de> for Anything {
    type Value = Self;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self, E> {
        Ok(self)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self, E> {
        Ok(self)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self, E> {
        Ok(self)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self, E> {
        Ok(self)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self, E> {
        Ok(self)
    }

    fn visit_unit<E>(self) -> Result<Self, E> {
        Ok(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<Self>()?.is_some() {}
        Ok(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self, A::Error> {
        while map.next_entry::<Self, Self>()?.is_some() {}
        Ok(self)
    }
}

fn refuse(status: StatusCode) -> Response {
    (status, status.canonical_reason().unwrap_or_default()).into_response()
}

pub(super) async fn handshake(
    KnownPlatform(_): KnownPlatform,
    VerifiedChallenge(challenge): VerifiedChallenge,
) -> Challenge {
    challenge
}

pub(super) async fn receive(
    State(intake): State<Intake>,
    KnownPlatform(platform): KnownPlatform,
    DeclaredJson(declared_json): DeclaredJson,
    VerifiedBody(body): VerifiedBody<BODY_LIMIT>,
) -> Response {
    metrics::counter!("inbox_webhooks_received_total", "platform" => platform.as_str())
        .increment(1);
    // Refused like the signature checks: the bare reason as plain text.
    if !declared_json {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    if !is_json_object(&body) {
        return refuse(StatusCode::BAD_REQUEST);
    }
    // Committed (with whatever else arrived meanwhile) before Meta is told; processing
    // happens after the answer.
    match intake.log(platform, body).await {
        Ok(_) => (StatusCode::OK, "EVENT_RECEIVED").into_response(),
        Err(error) => {
            metrics::counter!("inbox_webhooks_unlogged_total").increment(1);
            tracing::error!(%error, "could not log a webhook body");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_json_object_passes() {
        for good in [
            &br#"{"object":"page","entry":[]}"#[..],
            b" {\"a\":[1,-2.5e3,true,null,\"\\u00e4\\/\"]} \n",
            b"{}",
        ] {
            assert!(is_json_object(good), "{}", String::from_utf8_lossy(good));
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
        for bad in [
            &b""[..],
            b"{\"object\":\"page\",\"entry\":[",
            b"[{}]",
            b"\"{}\"",
            b"{} {}",
            b"{\"a\":\"\xff\"}",
            b"{\"\xc3\":1}",
            b"{\"a\":\"\\ud800\"}",
            b"\xef\xbb\xbf{}",
            deep.as_bytes(),
        ] {
            assert!(!is_json_object(bad), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn the_content_type_must_be_json_once() {
        let with = |values: &[&'static str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(CONTENT_TYPE, value.parse().unwrap());
            }
            declares_json(&headers)
        };
        assert!(with(&["application/json"]));
        assert!(with(&["Application/JSON; charset=UTF-8"]));
        assert!(with(&[" application/json ;"]));
        assert!(!with(&[]));
        assert!(!with(&["text/plain"]));
        assert!(!with(&["application/jsonx"]));
        assert!(!with(&["application/x-www-form-urlencoded"]));
        assert!(!with(&["application/json", "text/plain"]));
    }
}
