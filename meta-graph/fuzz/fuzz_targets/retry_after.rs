//! `Retry-After` as any server may send it: `meta_graph::parse_retry_after`.
//!
//! The first byte picks a mode:
//!
//! - 0: the rest is the raw header value. Parsing never panics; a header that is not visible
//!   text is no wait; a whole number of seconds is exactly that wait; any other accepted value
//!   is an RFC 2822 / HTTP date, and the wait is the time from `now` to it (zero once past).
//! - 1: delay-seconds, any `u64`, with blanks around it: read back exactly.
//! - 2: an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`) up to a century either side of `now`:
//!   the wait is the whole seconds to it, or zero for a date in the past.
#![no_main]

use std::time::{Duration, SystemTime};

use http::header::RETRY_AFTER;
use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use meta_graph::parse_retry_after;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;
use time::macros::format_description;

/// 2023-11-14T22:13:20Z: any fixed `now` will do.
const NOW: u64 = 1_700_000_000;
const CENTURY: i64 = 100 * 366 * 24 * 60 * 60;

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(NOW)
}

fn with_header(value: &[u8]) -> Option<HeaderMap> {
    let value = HeaderValue::from_bytes(value).ok()?;
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, value);
    Some(headers)
}

fn raw(u: Unstructured<'_>) {
    let bytes = u.take_rest();
    let Some(headers) = with_header(bytes) else {
        return;
    };
    let wait = parse_retry_after(&headers, now());
    let Ok(text) = std::str::from_utf8(bytes) else {
        assert_eq!(wait, None);
        return;
    };
    let Some(wait) = wait else { return };
    assert!(
        headers.get(RETRY_AFTER).unwrap().to_str().is_ok(),
        "a header that is not visible text gave a wait"
    );
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        assert_eq!(wait, Duration::from_secs(seconds));
        return;
    }
    let at = OffsetDateTime::parse(text, &Rfc2822)
        .unwrap_or_else(|_| panic!("{text:?} is neither seconds nor a date, yet gave {wait:?}"));
    let now = OffsetDateTime::from(now());
    let expected = Duration::try_from(at - now).unwrap_or(Duration::ZERO);
    assert_eq!(wait, expected, "{text:?}");
}

fn seconds(u: &mut Unstructured<'_>) -> Result<()> {
    let seconds: u64 = u.arbitrary()?;
    let before = " ".repeat(u.int_in_range(0..=2)?);
    let after = "\t".repeat(u.int_in_range(0..=2)?);
    let text = format!("{before}{seconds}{after}");
    let headers = with_header(text.as_bytes()).expect("digits are a header value");
    assert_eq!(
        parse_retry_after(&headers, now()),
        Some(Duration::from_secs(seconds)),
        "{text:?}"
    );
    Ok(())
}

fn http_date(u: &mut Unstructured<'_>) -> Result<()> {
    let offset: i64 = u.int_in_range(-CENTURY..=CENTURY)?;
    let at = OffsetDateTime::from_unix_timestamp(i64::try_from(NOW).unwrap() + offset)
        .expect("within a century of now");
    let text = at
        .format(format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ))
        .expect("an HTTP date formats");
    let headers = with_header(text.as_bytes()).expect("a date is a header value");
    let expected = u64::try_from(offset).map_or(Duration::ZERO, Duration::from_secs);
    assert_eq!(
        parse_retry_after(&headers, now()),
        Some(expected),
        "{text:?}"
    );
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(mode) = u.arbitrary::<u8>() else {
        return;
    };
    let _ = match mode % 3 {
        0 => {
            raw(u);
            Ok(())
        }
        1 => seconds(&mut u),
        _ => http_date(&mut u),
    };
});
