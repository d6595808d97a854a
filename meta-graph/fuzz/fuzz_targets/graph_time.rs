//! Graph timestamps: `GraphTime` (Meta's `+0000` form, RFC 3339, unix seconds) and the
//! lenient `unix_seconds` helper used for webhook `timestamp` fields.
//!
//! The first byte picks a mode:
//!
//! - even: the rest is text. `GraphTime::parse` never panics, and agrees with `GraphTime`'s
//!   `Deserialize` on the same text as a JSON string. An accepted time writes back (`Display`
//!   and `Serialize`, Meta's form) to text that reads as the same second.
//! - odd: the rest is an `i64` of unix seconds, read as a JSON number and as a numeric JSON
//!   string (with blanks). Both agree with `GraphTime::from_unix`, and the time written back
//!   reads as the same second.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use meta_graph::GraphTime;
use serde::Deserialize;
use time::OffsetDateTime;

#[derive(Deserialize)]
struct Stamp {
    #[serde(with = "meta_graph::unix_seconds")]
    timestamp: OffsetDateTime,
}

#[derive(Deserialize)]
struct MaybeStamp {
    #[serde(default, with = "meta_graph::unix_seconds::option")]
    timestamp: Option<OffsetDateTime>,
}

/// A time written back must read as the same whole second (sub-seconds are not written).
fn writes_back(time: GraphTime) {
    let shown = time.to_string();
    let again = GraphTime::parse(&shown)
        .unwrap_or_else(|| panic!("{time:?} displays as {shown:?}, which does not parse"));
    assert_eq!(again.unix_timestamp(), time.unix_timestamp(), "{shown:?}");
    let json = serde_json::to_string(&time).expect("a parsed time serializes");
    let back: GraphTime = serde_json::from_str(&json).expect("what we write, we read");
    assert_eq!(back.unix_timestamp(), time.unix_timestamp(), "{json}");
}

fn text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = GraphTime::parse(text);
    let json = serde_json::to_string(text).expect("a str is JSON");
    let read = serde_json::from_str::<GraphTime>(&json).ok();
    assert_eq!(parsed, read, "parse and Deserialize disagree on {text:?}");
    if let Some(time) = parsed {
        writes_back(time);
    }
}

fn unix(data: &[u8]) {
    let Ok(seconds) = Unstructured::new(data).arbitrary::<i64>() else {
        return;
    };
    let from_unix = GraphTime::from_unix(seconds);
    let read = serde_json::from_str::<GraphTime>(&seconds.to_string()).ok();
    assert_eq!(from_unix, read, "{seconds}");
    let stamp = serde_json::from_str::<Stamp>(&format!(r#"{{"timestamp": " {seconds} "}}"#))
        .ok()
        .map(|s| s.timestamp.unix_timestamp());
    assert_eq!(
        stamp,
        from_unix.map(GraphTime::unix_timestamp),
        "{seconds} as text"
    );
    let number = serde_json::from_str::<MaybeStamp>(&format!(r#"{{"timestamp": {seconds}}}"#))
        .ok()
        .and_then(|s| s.timestamp)
        .map(OffsetDateTime::unix_timestamp);
    assert_eq!(
        number,
        from_unix.map(GraphTime::unix_timestamp),
        "{seconds} as a number"
    );
    if let Some(time) = from_unix {
        assert_eq!(time.unix_timestamp(), seconds);
        writes_back(time);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        text(rest);
    } else {
        unix(rest);
    }
});
