//! A `messaging[]` or `standby[]` item read in its typed shape, in one pass.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Messaging, MessagingEvent};

/// Defines [`Key`], the keys of an item this version reads, from one list that also gives
/// each event key its rank: an item has one event key; should Meta ever send more, the one
/// listed first wins.
macro_rules! item_keys {
    (
        fields { $($field:ident = $field_name:literal,)* }
        events { $($event:ident($variant:ident) = $event_name:literal,)* }
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
                $(Key::$event => map.next_value::<Option<_>>()?.map(MessagingEvent::$variant),)*
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
        Message(Message) = "message",
        Postback(Postback) = "postback",
        Reaction(Reaction) = "reaction",
        Read(Read) = "read",
        Referral(Referral) = "referral",
        PassThreadControl(PassThreadControl) = "pass_thread_control",
        TakeThreadControl(TakeThreadControl) = "take_thread_control",
        RequestThreadControl(RequestThreadControl) = "request_thread_control",
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
        deserializer.deserialize_map(ItemVisitor).map(ItemFields)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Messaging;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a messaging item object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Messaging, A::Error> {
        let mut seen = 0_u32;
        let mut sender = None;
        let mut recipient = None;
        let mut timestamp = None;
        // The event read so far and its key, whose rank decides between two event keys.
        let mut event: Option<(Key, MessagingEvent)> = None;
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
                        && event
                            .as_ref()
                            .is_none_or(|(current, _)| (key as u32) < (*current as u32))
                    {
                        event = Some((key, read));
                    }
                }
            }
        }
        let event = event.map_or(MessagingEvent::Unknown(Value::Null), |(_, event)| event);
        Ok(Messaging::new(sender, recipient, timestamp, event))
    }
}

/// Reads an array of items, each converted as soon as it is read; `null` is no items.
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
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(ItemFields(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(items)
        }
    }

    deserializer.deserialize_any(ItemsVisitor)
}
