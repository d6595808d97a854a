use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A webhook timestamp: Unix seconds, which Meta sends as a string (`"1749416383"`) in
/// messages and statuses and as a number in some other fields.
///
/// The value is kept as sent; [`Timestamp::unix_seconds`] reads it and returns `None` for
/// anything that is not an integer, so a malformed timestamp never fails a whole batch.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp(String);

impl Timestamp {
    /// The timestamp exactly as Meta sent it (numbers are rendered in decimal).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Seconds since the Unix epoch, or `None` when the value is not an integer.
    pub fn unix_seconds(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// Milliseconds since the Unix epoch, or `None` when the value is not an integer or does
    /// not fit.
    pub fn unix_millis(&self) -> Option<i64> {
        self.unix_seconds()?.checked_mul(1000)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("Unix seconds as a string or a number")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Timestamp, E> {
                Ok(Timestamp(value.to_owned()))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Timestamp, E> {
                Ok(Timestamp(value))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Timestamp, E> {
                Ok(Timestamp(value.to_string()))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Timestamp, E> {
                Ok(Timestamp(value.to_string()))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Timestamp, E> {
                Ok(Timestamp(value.to_string()))
            }
        }

        deserializer.deserialize_any(TimestampVisitor)
    }
}
