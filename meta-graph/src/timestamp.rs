//! Graph timestamps: `2024-01-01T12:00:00+0000`, RFC 3339 and unix seconds.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, format_description::BorrowedFormatItem};

/// Meta's own layout: ISO 8601 with an offset that has no colon.
const GRAPH_FORMAT: &[BorrowedFormatItem<'static>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
);

/// A point in time as the Graph API writes it.
///
/// Graph fields such as `created_time` use `2024-01-01T12:00:00+0000`, which
/// is ISO 8601 but not RFC 3339 (the offset lacks its colon), so generic
/// RFC 3339 parsers reject it. `GraphTime` accepts that form, RFC 3339, and
/// unix seconds (as a number), and serializes back in Meta's form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GraphTime(pub OffsetDateTime);

impl GraphTime {
    /// Parses Meta's `+0000` form or RFC 3339.
    pub fn parse(text: &str) -> Option<Self> {
        OffsetDateTime::parse(text, GRAPH_FORMAT)
            .or_else(|_| OffsetDateTime::parse(text, &Rfc3339))
            .ok()
            .map(Self)
    }

    /// Converts unix seconds, as used by `expires_at` or webhook
    /// `timestamp` fields; `None` when out of range.
    pub fn from_unix(seconds: i64) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp(seconds).ok().map(Self)
    }

    /// The time as unix seconds.
    pub fn unix_timestamp(self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The wrapped [`OffsetDateTime`].
    pub fn into_inner(self) -> OffsetDateTime {
        self.0
    }
}

impl fmt::Debug for GraphTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GraphTime({self})")
    }
}

impl fmt::Display for GraphTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(GRAPH_FORMAT) {
            Ok(text) => f.write_str(&text),
            Err(_) => write!(f, "{}", self.0.unix_timestamp()),
        }
    }
}

impl From<OffsetDateTime> for GraphTime {
    fn from(value: OffsetDateTime) -> Self {
        Self(value)
    }
}

impl From<GraphTime> for OffsetDateTime {
    fn from(value: GraphTime) -> Self {
        value.0
    }
}

impl Serialize for GraphTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self
            .0
            .format(GRAPH_FORMAT)
            .map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for GraphTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct GraphTimeVisitor;

        impl Visitor<'_> for GraphTimeVisitor {
            type Value = GraphTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Graph timestamp, RFC 3339 text or unix seconds")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<GraphTime, E> {
                GraphTime::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<GraphTime, E> {
                GraphTime::from_unix(v)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<GraphTime, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(GraphTime::from_unix)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
        }

        deserializer.deserialize_any(GraphTimeVisitor)
    }
}

/// Serde helpers for [`OffsetDateTime`] fields that Meta sends as unix
/// seconds (numbers, or numeric strings in some webhooks).
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Status {
///     #[serde(with = "meta_graph::unix_seconds")]
///     timestamp: time::OffsetDateTime,
/// }
/// let status: Status = serde_json::from_str(r#"{"timestamp": "1700000000"}"#).unwrap();
/// assert_eq!(status.timestamp.unix_timestamp(), 1_700_000_000);
/// ```
pub mod unix_seconds {
    use serde::{Deserializer, Serializer};
    use time::OffsetDateTime;

    /// Writes the time as unix seconds.
    pub fn serialize<S: Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(value.unix_timestamp())
    }

    /// Reads unix seconds from a number or a numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        let seconds = super::lenient_i64(deserializer)?;
        OffsetDateTime::from_unix_timestamp(seconds).map_err(serde::de::Error::custom)
    }

    /// The same for `Option<OffsetDateTime>`; use with `#[serde(default)]`.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::OffsetDateTime;

        /// Writes the time as unix seconds, or `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => serializer.serialize_i64(value.unix_timestamp()),
                None => serializer.serialize_none(),
            }
        }

        /// Reads unix seconds from a number, a numeric string, or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapper(#[serde(with = "super")] OffsetDateTime);
            Ok(Option::<Wrapper>::deserialize(deserializer)?.map(|w| w.0))
        }
    }
}

/// Reads an integer sent as a number or as a numeric string.
pub(crate) fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    struct LenientI64;

    impl Visitor<'_> for LenientI64 {
        type Value = i64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer or a numeric string")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
            v.trim()
                .parse()
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    deserializer.deserialize_any(LenientI64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_graph_form_without_colon() {
        let t = GraphTime::parse("2024-01-01T12:00:00+0000").unwrap();
        assert_eq!(t.unix_timestamp(), 1_704_110_400);
        let shifted = GraphTime::parse("2024-01-01T14:00:00+0200").unwrap();
        assert_eq!(shifted.unix_timestamp(), t.unix_timestamp());
    }

    #[test]
    fn parses_rfc3339_and_unix_numbers() {
        let a: GraphTime = serde_json::from_str("\"2024-01-01T12:00:00Z\"").unwrap();
        let b: GraphTime = serde_json::from_str("\"2024-01-01T12:00:00+00:00\"").unwrap();
        let c: GraphTime = serde_json::from_str("1704110400").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn serializes_in_graph_form() {
        let t = GraphTime::from_unix(1_704_110_400).unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2024-01-01T12:00:00+0000\""
        );
        assert_eq!(t.to_string(), "2024-01-01T12:00:00+0000");
    }

    #[test]
    fn rejects_garbage() {
        assert!(GraphTime::parse("yesterday").is_none());
        assert!(serde_json::from_str::<GraphTime>("\"2024-13-01T00:00:00+0000\"").is_err());
        assert!(serde_json::from_str::<GraphTime>("true").is_err());
    }
}
