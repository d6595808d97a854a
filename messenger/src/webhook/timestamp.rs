use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A Messenger webhook timestamp or watermark: Unix milliseconds, which Meta sends as a number
/// (`1458692752478`) in live notifications and as a string in some documented samples.
///
/// The value is kept as sent; [`Timestamp::unix_millis`] reads it and returns `None` for
/// anything that is not an integer, so a malformed timestamp never fails a whole batch.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp(String);

impl Timestamp {
    /// The timestamp exactly as Meta sent it (numbers are rendered in decimal).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Milliseconds since the Unix epoch, or `None` when the value is not an integer.
    pub fn unix_millis(&self) -> Option<i64> {
        self.0.parse().ok()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<i64> for Timestamp {
    fn from(millis: i64) -> Self {
        Self(millis.to_string())
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
