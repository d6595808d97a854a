use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A Messenger webhook timestamp or watermark: Unix milliseconds, which Meta sends as a number
/// (`1458692752478`) in live notifications and as a string in some documented samples.
///
/// The value is kept as sent; [`Timestamp::unix_millis`] reads it and returns `None` for
/// anything that is not an integer, so a malformed timestamp never fails a whole batch.
/// Two timestamps are equal when they read the same ([`Timestamp::as_str`]), whether Meta sent
/// a number or a string.
#[derive(Clone)]
pub struct Timestamp(Repr);

/// Integers, by far the common case, are kept as their value: every item of every webhook has
/// one, and a heap string each would be an allocation per item. Their decimal text is only
/// written out when [`Timestamp::as_str`] asks for it.
#[derive(Clone)]
enum Repr {
    /// A JSON integer.
    Integer {
        magnitude: u64,
        negative: bool,
        /// The decimal text, right-aligned, and where it starts.
        text: OnceLock<([u8; MAX_DIGITS], u8)>,
    },
    /// A string, or a number that is not an integer, as text.
    Text(String),
}

/// `u64::MAX` has 20 digits, `i64::MIN` 19 and a sign.
const MAX_DIGITS: usize = 20;

impl Repr {
    fn signed(value: i64) -> Self {
        Self::Integer {
            magnitude: value.unsigned_abs(),
            negative: value < 0,
            text: OnceLock::new(),
        }
    }

    fn unsigned(value: u64) -> Self {
        Self::Integer {
            magnitude: value,
            negative: false,
            text: OnceLock::new(),
        }
    }
}

/// The decimal digits of an integer, right-aligned, and where they start.
fn decimal(mut magnitude: u64, negative: bool) -> ([u8; MAX_DIGITS], u8) {
    let mut digits = [0_u8; MAX_DIGITS];
    let mut start = MAX_DIGITS;
    loop {
        start -= 1;
        // `magnitude % 10` is below 10, so the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation)]
        let digit = (magnitude % 10) as u8;
        digits[start] = b'0' + digit;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if negative {
        start -= 1;
        digits[start] = b'-';
    }
    // Below 20: fits.
    (digits, u8::try_from(start).unwrap_or_default())
}

impl Timestamp {
    /// The timestamp exactly as Meta sent it (numbers are rendered in decimal).
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Integer {
                magnitude,
                negative,
                text,
            } => {
                let (digits, start) = text.get_or_init(|| decimal(*magnitude, *negative));
                // Only ASCII digits and a sign are ever written there.
                std::str::from_utf8(&digits[usize::from(*start)..]).unwrap_or_default()
            }
            Repr::Text(text) => text,
        }
    }

    /// Milliseconds since the Unix epoch, or `None` when the value is not an integer.
    pub fn unix_millis(&self) -> Option<i64> {
        match &self.0 {
            Repr::Integer {
                magnitude,
                negative: false,
                ..
            } => i64::try_from(*magnitude).ok(),
            Repr::Integer { magnitude, .. } => {
                // -2^63 is the one magnitude past i64::MAX that is still an i64.
                i64::try_from(*magnitude).map_or(
                    (*magnitude == i64::MIN.unsigned_abs()).then_some(i64::MIN),
                    |value| Some(-value),
                )
            }
            Repr::Text(text) => text.parse().ok(),
        }
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Timestamp {}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Timestamp").field(&self.as_str()).finish()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<i64> for Timestamp {
    fn from(millis: i64) -> Self {
        Self(Repr::signed(millis))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("Unix milliseconds as a number or a string")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Timestamp, E> {
                Ok(Timestamp(Repr::Text(value.to_owned())))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Timestamp, E> {
                Ok(Timestamp(Repr::Text(value)))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Timestamp, E> {
                Ok(Timestamp(Repr::signed(value)))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Timestamp, E> {
                Ok(Timestamp(Repr::unsigned(value)))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Timestamp, E> {
                Ok(Timestamp(Repr::Text(value.to_string())))
            }
        }

        deserializer.deserialize_any(TimestampVisitor)
    }
}

/// An optional timestamp where any JSON value is accepted: values that are neither numbers
/// nor strings are skipped and read as `None`. For `entry.time`, which no event is built from,
/// so that its shape never fails a batch (an item's own timestamp makes a misshapen item
/// `other` instead).
pub(super) fn lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Timestamp>, D::Error> {
    struct LenientVisitor;

    impl<'de> Visitor<'de> for LenientVisitor {
        type Value = Option<Timestamp>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(Some(Timestamp(Repr::Text(value.to_owned()))))
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
            Ok(Some(Timestamp(Repr::signed(value))))
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(Some(Timestamp(Repr::unsigned(value))))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
            Ok(Some(Timestamp(Repr::Text(value.to_string()))))
        }

        fn visit_bool<E: de::Error>(self, _value: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
            inner.deserialize_any(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    deserializer.deserialize_any(LenientVisitor)
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    fn parse(json: &str) -> Timestamp {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn integers_read_as_their_decimal_text() {
        for (json, text, millis) in [
            ("1749416383152", "1749416383152", Some(1_749_416_383_152)),
            ("0", "0", Some(0)),
            ("-5", "-5", Some(-5)),
            (
                "-9223372036854775808",
                "-9223372036854775808",
                Some(i64::MIN),
            ),
            ("9223372036854775807", "9223372036854775807", Some(i64::MAX)),
            ("18446744073709551615", "18446744073709551615", None),
            ("\"1527459824\"", "1527459824", Some(1_527_459_824)),
            ("\"soon\"", "soon", None),
            ("1.5", "1.5", None),
        ] {
            let timestamp = parse(json);
            assert_eq!(timestamp.as_str(), text, "{json}");
            assert_eq!(timestamp.unix_millis(), millis, "{json}");
        }
        assert_eq!(Timestamp::from(-42).as_str(), "-42");
    }

    #[test]
    fn a_number_equals_the_same_digits_as_a_string() {
        assert_eq!(parse("1527459824"), parse("\"1527459824\""));
        assert_ne!(parse("1527459824"), parse("\"1527459825\""));
        assert_eq!(format!("{:?}", parse("12")), r#"Timestamp("12")"#);
    }
}
