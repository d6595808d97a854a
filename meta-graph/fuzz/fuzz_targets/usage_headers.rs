//! `X-App-Usage`, `X-Page-Usage` and `X-Business-Use-Case-Usage` as any server may send them.
//!
//! The input is up to three header values separated by `\n` (a byte no header value can hold).
//! `Usage::from_headers` must never panic, and what it reports must agree with the JSON of the
//! headers read independently: a counter is present exactly for a header holding a JSON object,
//! a whole non-negative number `n` reads as `n`, a counter is never made up from a value that
//! is not a number or a numeric string, every business use case comes from an object inside an
//! array under its business id, and the summaries (`max_percent`, `max_regain_time`,
//! `is_empty`) agree with the counters.
#![no_main]

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use meta_graph::{Usage, UsageCounters};
use serde_json::{Map, Value};

const NAMES: [&str; 3] = ["x-app-usage", "x-page-usage", "x-business-use-case-usage"];
const FIELDS: [&str; 3] = ["call_count", "total_cputime", "total_time"];

/// The JSON object a header holds, read the way any client would.
fn object(headers: &HeaderMap, name: &str) -> Option<Map<String, Value>> {
    let text = headers.get(name)?.to_str().ok()?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// One counter against its JSON value.
fn check_counter(value: Option<&Value>, read: Option<u32>, what: &str) {
    match value {
        None => assert_eq!(read, None, "{what}: no field, yet a value"),
        Some(Value::Number(n)) => {
            if let Some(whole) = n.as_u64().and_then(|v| u32::try_from(v).ok()) {
                assert_eq!(read, Some(whole), "{what}: {n} misread");
            }
            if n.as_f64().is_some_and(|f| f < 0.0) {
                assert_eq!(read, None, "{what}: negative {n} read as a percentage");
            }
        }
        Some(Value::String(text)) => {
            if read.is_some() {
                assert!(
                    text.trim().parse::<f64>().is_ok(),
                    "{what}: {text:?} is not numeric, yet read as {read:?}"
                );
            }
        }
        Some(_) => assert_eq!(read, None, "{what}: a non-number read as {read:?}"),
    }
}

fn check_counters(map: &Map<String, Value>, counters: &UsageCounters, what: &str) {
    check_counter(map.get(FIELDS[0]), counters.call_count, what);
    check_counter(map.get(FIELDS[1]), counters.total_cputime, what);
    check_counter(map.get(FIELDS[2]), counters.total_time, what);
    let regain = map.get("estimated_time_to_regain_access");
    let minutes = counters.estimated_time_to_regain_access.map(|d| {
        assert_eq!(
            d.as_secs() % 60,
            0,
            "{what}: regain time is not whole minutes"
        );
        assert_eq!(d.subsec_nanos(), 0);
        u32::try_from(d.as_secs() / 60).expect("minutes fit a u32")
    });
    check_counter(regain, minutes, what);
    let max = [
        counters.call_count,
        counters.total_cputime,
        counters.total_time,
    ]
    .into_iter()
    .flatten()
    .max();
    assert_eq!(counters.max_percent(), max, "{what}: max_percent");
}

fuzz_target!(|data: &[u8]| {
    let mut headers = HeaderMap::new();
    for (name, value) in NAMES.iter().zip(data.split(|&b| b == b'\n')) {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    let usage = Usage::from_headers(&headers);

    let app = object(&headers, NAMES[0]);
    let page = object(&headers, NAMES[1]);
    let business = object(&headers, NAMES[2]);
    assert_eq!(usage.app.is_some(), app.is_some(), "app header");
    assert_eq!(usage.page.is_some(), page.is_some(), "page header");
    if let (Some(map), Some(counters)) = (&app, &usage.app) {
        check_counters(map, counters, "x-app-usage");
    }
    if let (Some(map), Some(counters)) = (&page, &usage.page) {
        check_counters(map, counters, "x-page-usage");
    }

    // Every object under an array under a business id, in the order the map holds them.
    let expected: Vec<(&String, &Map<String, Value>)> = business
        .iter()
        .flatten()
        .filter_map(|(id, entries)| entries.as_array().map(|entries| (id, entries)))
        .flat_map(|(id, entries)| {
            entries
                .iter()
                .filter_map(move |e| e.as_object().map(|e| (id, e)))
        })
        .collect();
    assert_eq!(
        usage.business_use_case.len(),
        expected.len(),
        "business use cases"
    );
    for (read, (id, entry)) in usage.business_use_case.iter().zip(&expected) {
        assert_eq!(&read.business_id, *id);
        assert_eq!(
            read.use_case.as_deref(),
            entry.get("type").and_then(Value::as_str),
            "use case type of {id}"
        );
        check_counters(entry, &read.counters, "x-business-use-case-usage");
    }

    let all: Vec<&UsageCounters> = usage
        .app
        .iter()
        .chain(usage.page.iter())
        .chain(usage.business_use_case.iter().map(|b| &b.counters))
        .collect();
    assert_eq!(
        usage.max_percent(),
        all.iter().filter_map(|c| c.max_percent()).max()
    );
    let regain: Option<Duration> = all
        .iter()
        .filter_map(|c| c.estimated_time_to_regain_access)
        .max();
    assert_eq!(usage.max_regain_time(), regain);
    assert_eq!(usage.is_empty(), all.is_empty());
});
