use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// An Instagram webhook timestamp: Unix milliseconds, which Meta sends as a number
/// (`1569262485349`) in notifications and as a string in some documented samples.
///
/// The value is kept as sent; [`Timestamp::unix_millis`] reads it and returns `None` for
/// anything that is not an integer, so a malformed timestamp never fails a whole batch.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp(Repr);

/// Integers, by far the common case, are kept inline: every item has one.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Integer(i64),
    /// A string, or a number that is not an `i64`, as text.
    Text(Box<str>),
}

impl Timestamp {
    /// Milliseconds since the Unix epoch, or `None` when the value is not an integer.
    pub fn unix_millis(&self) -> Option<i64> {
        match &self.0 {
            Repr::Integer(value) => Some(*value),
            Repr::Text(text) => text.parse().ok(),
        }
    }

    fn text(text: impl Into<Box<str>>) -> Self {
        Self(Repr::Text(text.into()))
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Timestamp").field(&self.to_string()).finish()
    }
}

impl fmt::Display for Timestamp {
    /// The timestamp as Meta sent it (numbers in decimal).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Integer(value) => write!(f, "{value}"),
            Repr::Text(text) => f.write_str(text),
        }
    }
}

impl From<i64> for Timestamp {
    fn from(millis: i64) -> Self {
        Self(Repr::Integer(millis))
    }
}

/// Accepts numbers and strings; with `lenient`, also skips any other value as `None`.
struct TimestampVisitor {
    lenient: bool,
}

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Unix milliseconds as a number or a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(Timestamp::text(value)))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Some(Timestamp::from(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Some(i64::try_from(value).map_or_else(
            |_| Timestamp::text(value.to_string()),
            Timestamp::from,
        )))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Some(Timestamp::text(value.to_string())))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        if self.lenient {
            Ok(None)
        } else {
            Err(de::Error::invalid_type(de::Unexpected::Bool(value), &self))
        }
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
        if !self.lenient {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if !self.lenient {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(TimestampVisitor { lenient: false })?
            .ok_or_else(|| de::Error::custom("a timestamp, not null"))
    }
}

/// An optional timestamp where any JSON value is accepted: values that are neither numbers
/// nor strings are skipped and read as `None`. For `entry.time`, which no event is built from,
/// so that its shape never fails a batch.
pub(super) fn lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Timestamp>, D::Error> {
    deserializer.deserialize_any(TimestampVisitor { lenient: true })
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[test]
    fn numbers_and_strings_read_as_millis() {
        for (json, text, millis) in [
            ("1569262485349", "1569262485349", Some(1_569_262_485_349)),
            ("-5", "-5", Some(-5)),
            ("\"1527459824\"", "1527459824", Some(1_527_459_824)),
            ("18446744073709551615", "18446744073709551615", None),
            ("\"soon\"", "soon", None),
            ("1.5", "1.5", None),
        ] {
            let timestamp: Timestamp = serde_json::from_str(json).unwrap();
            assert_eq!(timestamp.to_string(), text, "{json}");
            assert_eq!(timestamp.unix_millis(), millis, "{json}");
        }
        assert!(serde_json::from_str::<Timestamp>("null").is_err());
        assert!(serde_json::from_str::<Timestamp>("{}").is_err());
    }
}
