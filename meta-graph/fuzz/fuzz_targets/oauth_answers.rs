//! The OAuth answers meta-graph decodes: `/oauth/access_token` (`AccessTokenResponse`),
//! `/me/accounts` items (`PageAccount`) and `debug_token`'s `data` (`TokenInfo`).
//!
//! The first byte picks the type; the rest is a body. Decoding never panics. When the body is
//! a JSON object, it is decoded again with a known token planted in its `access_token`; an
//! accepted answer then holds exactly that token, and its `Debug` never shows it (unless some
//! other string of the body holds it too). The lenient fields read as documented:
//! `expires_in` and `expires_at` as numbers or numeric strings, `0` meaning "never".
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use meta_graph::AccessToken;
use meta_graph::oauth::{AccessTokenResponse, Expiry, PageAccount, PageTask, TokenInfo};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// Mixed case and punctuation: no number, duration or type name prints as this.
const PLANTED: &str = "EAAG-fuzz-Planted-7Qx";

/// An integer sent as a number or a numeric string, as `lenient_i64` reads it.
fn lenient(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// How many keys and strings of `value`, besides the planted token itself, hold `needle`.
fn holders(value: &Value, needle: &str) -> usize {
    match value {
        Value::String(s) => usize::from(s.contains(needle)),
        Value::Array(items) => items.iter().map(|v| holders(v, needle)).sum(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| usize::from(k.contains(needle)) + holders(v, needle))
            .sum(),
        _ => 0,
    }
}

fn planted(map: &Map<String, Value>) -> (Vec<u8>, bool) {
    let mut map = map.clone();
    let elsewhere = holders(&Value::Object(map.clone()), PLANTED) > 0;
    map.insert("access_token".into(), PLANTED.into());
    (
        serde_json::to_vec(&Value::Object(map)).expect("JSON writes"),
        elsewhere,
    )
}

fn no_token_in_debug(debug: &str, elsewhere: bool) {
    if !elsewhere {
        assert!(!debug.contains(PLANTED), "Debug shows the token: {debug}");
    }
}

fn token_response(body: &[u8]) {
    let _ = serde_json::from_slice::<AccessTokenResponse>(body);
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let (body, elsewhere) = planted(&map);
    let Ok(answer) = serde_json::from_slice::<AccessTokenResponse>(&body) else {
        return;
    };
    assert_eq!(answer.access_token.expose_secret(), PLANTED);
    no_token_in_debug(&format!("{answer:?}"), elsewhere);
    let expected = map
        .get("expires_in")
        .and_then(lenient)
        .and_then(|s| u64::try_from(s).ok())
        .map(Duration::from_secs);
    assert_eq!(answer.expires_in, expected, "expires_in");
    assert_eq!(
        answer.token_type.as_deref(),
        map.get("token_type").and_then(Value::as_str)
    );
}

fn page_account(body: &[u8]) {
    let _ = serde_json::from_slice::<PageAccount>(body);
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let (body, elsewhere) = planted(&map);
    let Ok(page) = serde_json::from_slice::<PageAccount>(&body) else {
        return;
    };
    assert_eq!(
        page.access_token.as_ref().map(AccessToken::expose_secret),
        Some(PLANTED)
    );
    no_token_in_debug(&format!("{page:?}"), elsewhere);
    assert_eq!(
        Some(page.id.as_str()),
        map.get("id").and_then(Value::as_str)
    );
    // Every task Meta names is kept, the unknown ones included, in order.
    let tasks: Vec<&str> = page.tasks.iter().map(PageTask::as_str).collect();
    let sent: Vec<&str> = map
        .get("tasks")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(tasks, sent, "tasks");
}

fn expiry(value: Option<&Value>, read: Option<Expiry>, what: &str) {
    let Some(seconds) = value.and_then(lenient) else {
        return;
    };
    let expected = if seconds == 0 {
        Expiry::Never
    } else {
        Expiry::At(OffsetDateTime::from_unix_timestamp(seconds).expect("accepted, so in range"))
    };
    assert_eq!(read, Some(expected), "{what}");
    let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
    if expected == Expiry::Never {
        assert!(!expected.is_expired_at(now));
    }
}

fn token_info(body: &[u8]) {
    let Ok(info) = serde_json::from_slice::<TokenInfo>(body) else {
        return;
    };
    let _ = format!("{info:?}");
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    expiry(map.get("expires_at"), info.expires_at, "expires_at");
    expiry(
        map.get("data_access_expires_at"),
        info.data_access_expires_at,
        "data_access_expires_at",
    );
    assert_eq!(
        info.is_valid,
        map.get("is_valid")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    );
    if let Some(seconds) = map.get("issued_at").and_then(lenient) {
        assert_eq!(
            info.issued_at.map(OffsetDateTime::unix_timestamp),
            Some(seconds)
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => token_response(body),
        1 => page_account(body),
        _ => token_info(body),
    }
});
