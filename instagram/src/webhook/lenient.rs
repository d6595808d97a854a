//! Deserializers for values whose JSON type Meta's samples leave open, and for `null` lists.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize as _;
use serde::de::{self, Deserializer, Visitor};

/// An optional id sent as a string or as a number, kept as a string of type `T`.
///
/// Only for ids the normalized events never carry and that Meta's samples show unquoted (an
/// ad's `ad_id`, app ids in handover events): account, user and message ids must be strings,
/// and a number there is an error (it may already have lost digits past 2^53).
pub(super) fn opt_id<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    deserializer.deserialize_any(IdVisitor(PhantomData))
}

struct IdVisitor<T>(PhantomData<T>);

impl<'de, T: From<String>> Visitor<'de> for IdVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id, as a string or a number")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(T::from(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(Some(T::from(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Some(T::from(value.to_string())))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Some(T::from(value.to_string())))
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
}

/// [`opt_id`] as a type, for hand-written visitors that read a value with `next_value`.
pub(super) struct OptId<T>(pub(super) Option<T>);

impl<'de, T: From<String>> serde::Deserialize<'de> for OptId<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        opt_id(deserializer).map(Self)
    }
}

/// A value whose `null` means the same as its absence: the default (an empty list).
pub(super) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}
