//! A `messaging[]` or `standby[]` item read in its typed shape, in one pass.

use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

use super::{Messaging, MessagingEvent};

/// Defines [`Key`], the keys of an item this version reads, from one list that also gives
/// each event key its rank: an item has one event key; should Meta ever send more, the one
/// listed first wins.
macro_rules! item_keys {
    (
        fields { $($field:ident = $field_name:literal,)* }
        events { $($event:ident = $event_name:literal,)* }
    ) => {
        /// A key of an item; any other is skipped.
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum Key {
            $($field,)*
            $($event,)*
            Ignored,
        }

        impl Key {
            fn from_name(name: &str) -> Self {
                match name {
                    $($field_name => Self::$field,)*
                    $($event_name => Self::$event,)*
                    _ => Self::Ignored,
                }
            }

            fn name(self) -> &'static str {
                match self {
                    $(Self::$field => $field_name,)*
                    $(Self::$event => $event_name,)*
                    Self::Ignored => "",
                }
            }
        }

        /// Reads the value under an event key; `None` for `null`.
        fn next_event<'de, A: MapAccess<'de>>(
            map: &mut A,
            key: Key,
        ) -> Result<Option<MessagingEvent>, A::Error> {
            Ok(match key {
                $(Key::$event => map.next_value::<Option<_>>()?.map(MessagingEvent::$event),)*
                _ => None,
            })
        }
    };
}

item_keys! {
    fields {
        Sender = "sender",
        Recipient = "recipient",
        Timestamp = "timestamp",
    }
    events {
        Message = "message",
        MessageEdit = "message_edit",
        Postback = "postback",
        Reaction = "reaction",
        Read = "read",
        Delivery = "delivery",
        Referral = "referral",
        Optin = "optin",
        PassThreadControl = "pass_thread_control",
        TakeThreadControl = "take_thread_control",
        RequestThreadControl = "request_thread_control",
        AppRoles = "app_roles",
    }
}

impl Key {
    /// The key's bit in the set of keys already seen; `None` for skipped keys.
    fn bit(self) -> Option<u32> {
        (self != Self::Ignored).then(|| 1 << self as u32)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an item key")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key, E> {
                Ok(Key::from_name(value))
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// An item read in the shape this version expects, straight into a [`Messaging`] without its
/// JSON: [`Messaging::keeps_raw`] says whether the caller must add it with
/// [`Messaging::set_raw`]. An item with no event key is [`MessagingEvent::Unknown`], its JSON
/// still to be set.
///
/// Reading fails on the first value of another shape (and on a repeated key): the one-pass
/// parser then leaves the body to the general one, which keeps such an item whole as
/// [`MessagingEvent::Unknown`] (see `Messaging::from_json`).
pub(super) struct ItemFields(pub(super) Messaging);

impl<'de> Deserialize<'de> for ItemFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ItemVisitor(ItemFields))
    }
}

/// Reads one item and hands it to the function, which may store it where it belongs (such as
/// the end of a list) so that the large value is not moved through layers of results.
struct ItemVisitor<F>(F);

impl<'de, T, F: FnOnce(Messaging) -> T> Visitor<'de> for ItemVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a messaging item object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut seen = 0_u32;
        let mut sender = None;
        let mut recipient = None;
        let mut timestamp = None;
        // The event read so far and the rank of its key, which decides between two event keys
        // (no event yet: past every rank). Kept apart, so the large event moves once.
        let mut event = MessagingEvent::Unknown(Value::Null);
        let mut rank = u32::MAX;
        while let Some(key) = map.next_key::<Key>()? {
            if let Some(bit) = key.bit() {
                if seen & bit != 0 {
                    return Err(de::Error::duplicate_field(key.name()));
                }
                seen |= bit;
            }
            match key {
                Key::Sender => sender = map.next_value()?,
                Key::Recipient => recipient = map.next_value()?,
                Key::Timestamp => timestamp = map.next_value()?,
                Key::Ignored => {
                    map.next_value::<IgnoredAny>()?;
                }
                key => {
                    // Read even when an event of a higher rank is already there, so that a
                    // misshapen value fails the same way wherever it sits.
                    if let Some(read) = next_event(&mut map, key)?
                        && (key as u32) < rank
                    {
                        event = read;
                        rank = key as u32;
                    }
                }
            }
        }
        Ok((self.0)(Messaging::new(
            sender, recipient, timestamp, event,
        )))
    }
}

/// An item read straight onto the end of a list.
struct PushItem<'a>(&'a mut Vec<Messaging>);

impl<'de> DeserializeSeed<'de> for PushItem<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let items = self.0;
        deserializer.deserialize_map(ItemVisitor(|item| {
            // A second item means a batch: skip the small steps of doubling, each a copy of
            // every item so far.
            if items.len() == 1 {
                items.reserve(7);
            }
            items.push(item);
        }))
    }
}

/// Reads an array of items, each converted as soon as it is read.
pub(super) fn deserialize_items<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Messaging>, D::Error> {
    struct ItemsVisitor;

    impl<'de> Visitor<'de> for ItemsVisitor {
        type Value = Vec<Messaging>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of messaging items")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Vec<Messaging>, E> {
            Ok(Vec::new())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Messaging>, A::Error> {
            // Most bodies carry one item: room for exactly one keeps the first allocation small
            // (an item is a few hundred bytes; the default first capacity is four, which glibc
            // serves from its slower large-chunk path).
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(1));
            while seq.next_element_seed(PushItem(&mut items))?.is_some() {}
            Ok(items)
        }
    }

    deserializer.deserialize_any(ItemsVisitor)
}
