//! `application/x-www-form-urlencoded` decoding, for the handshake query string and the
//! `signed_request` form body.
//!
//! Written here rather than pulled in because the crate is a leaf and needs only this: split
//! at `&` and the first `=`, `+` as space, `%XY` as a byte. A `%` not followed by two hex
//! digits stays as it is, as WHATWG's URL standard does.

use std::borrow::Cow;

/// The decoded `(name, value)` pairs of `input`, in order, empty pairs skipped.
pub(crate) fn pairs(input: &[u8]) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    input
        .split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            (decode(name), decode(value))
        })
}

/// Percent-decodes one name or value. Bytes that are not UTF-8 after decoding become U+FFFD,
/// which no check in this crate accepts.
pub(crate) fn decode(input: &[u8]) -> Cow<'_, str> {
    if !input.iter().any(|&b| b == b'%' || b == b'+') {
        return String::from_utf8_lossy(input);
    }
    let mut out = Vec::with_capacity(input.len());
    let mut rest = input;
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        match b {
            b'+' => out.push(b' '),
            b'%' => match tail {
                [hi, lo, after @ ..] if hi.is_ascii_hexdigit() && lo.is_ascii_hexdigit() => {
                    out.push(hex_value(*hi) << 4 | hex_value(*lo));
                    rest = after;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_percent_and_keeps_stray_percent() {
        assert_eq!(decode(b"a+b%2Fc%2fd"), "a b/c/d");
        assert_eq!(decode(b"100%"), "100%");
        assert_eq!(decode(b"%zz%4"), "%zz%4");
        assert_eq!(decode(b"%C3%A4"), "\u{e4}");
        assert_eq!(decode(b"%FF"), "\u{fffd}");
    }

    #[test]
    fn splits_pairs() {
        let got: Vec<_> = pairs(b"a=1&&b&c=x=y").collect();
        assert_eq!(
            got,
            [
                ("a".into(), "1".into()),
                ("b".into(), "".into()),
                ("c".into(), "x=y".into())
            ]
        );
    }
}
