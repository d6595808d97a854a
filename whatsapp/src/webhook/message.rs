use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::interactive::WireInteractive;
use super::{
    Button, Context, Media, MessageContent, Order, Reaction, Referral, ReportedError, System, Text,
    Timestamp, Unsupported,
};
use crate::model::{ContactCard, Location};
use crate::{Bsuid, WaId, Wamid};

/// A message a WhatsApp user sent to the business (`value.messages[]`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// The sender's WhatsApp id (phone number). From 2026 it may be absent for users with a
    /// username: use [`Message::from_user_id`] then.
    pub from: Option<WaId>,
    /// The sender's business-scoped user id, sent from 2026.
    pub from_user_id: Option<Bsuid>,
    /// The message id; replies and reactions refer to it.
    pub id: Wamid,
    /// When the user sent it, in Unix seconds.
    pub timestamp: Option<Timestamp>,
    /// The message it replies to, forwarding flags, or the product asked about.
    pub context: Option<Context>,
    /// The ad the user came from, for the first message after a Click to WhatsApp ad.
    pub referral: Option<Referral>,
    /// The group the message was sent in, for group messages.
    pub group_id: Option<String>,
    /// Errors, for [`MessageContent::Unsupported`] messages.
    pub errors: Vec<ReportedError>,
    /// What the message carries.
    pub content: MessageContent,
}

/// A message the business sent from the WhatsApp Business app or a linked device, echoed to
/// the API (`value.message_echoes[]` of the `smb_message_echoes` field).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct MessageEcho {
    /// The business's display phone number.
    pub from: Option<String>,
    /// The user the business wrote to, as the business addressed them.
    pub to: Option<String>,
    /// The message id; status updates for it refer to it.
    pub id: Wamid,
    /// When it was sent, in Unix seconds.
    pub timestamp: Option<Timestamp>,
    /// The message it replies to, when it is a reply.
    pub context: Option<Context>,
    /// What the message carries.
    pub content: MessageContent,
}

/// Defines [`ContentKey`]: the keys under which a message carries its content, each named as
/// the `type` that selects it, from one list so the two directions cannot drift apart.
macro_rules! content_keys {
    ($($variant:ident = $name:literal,)*) => {
        /// A key that holds a message's content; the message's `type` names the one that counts.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum ContentKey {
            $($variant,)*
        }

        impl ContentKey {
            fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

content_keys! {
    Text = "text",
    Image = "image",
    Audio = "audio",
    Video = "video",
    Document = "document",
    Sticker = "sticker",
    Location = "location",
    Contacts = "contacts",
    Interactive = "interactive",
    Button = "button",
    Reaction = "reaction",
    Order = "order",
    System = "system",
    Unsupported = "unsupported",
}

/// A message's `type`, read without allocating for the types this crate knows.
#[derive(Debug, PartialEq, Eq)]
enum MessageType {
    Content(ContentKey),
    /// `request_welcome` carries no content key.
    RequestWelcome,
    Other(String),
}

impl MessageType {
    /// Whether the content under `key` can be the message's content.
    fn selects(&self, key: ContentKey) -> bool {
        *self == Self::Content(key)
    }
}

impl<'de> Deserialize<'de> for MessageType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TypeVisitor;

        impl Visitor<'_> for TypeVisitor {
            type Value = MessageType;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a message type")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<MessageType, E> {
                Ok(match ContentKey::from_name(value) {
                    Some(key) => MessageType::Content(key),
                    None if value == "request_welcome" => MessageType::RequestWelcome,
                    None => MessageType::Other(value.to_owned()),
                })
            }
        }

        deserializer.deserialize_str(TypeVisitor)
    }
}

/// The keys of a message object this crate reads; any other key is skipped.
#[derive(Clone, Copy)]
enum Key {
    From,
    FromUserId,
    To,
    Id,
    Timestamp,
    Type,
    Context,
    Referral,
    GroupId,
    Errors,
    Content(ContentKey),
    Ignored,
}

impl Key {
    /// The key's bit in the set of keys already seen, `None` for ignored keys.
    fn bit(self) -> Option<u32> {
        let index = match self {
            Self::From => 0,
            Self::FromUserId => 1,
            Self::To => 2,
            Self::Id => 3,
            Self::Timestamp => 4,
            Self::Type => 5,
            Self::Context => 6,
            Self::Referral => 7,
            Self::GroupId => 8,
            Self::Errors => 9,
            Self::Content(key) => 10 + key as u32,
            Self::Ignored => return None,
        };
        Some(1 << index)
    }

    fn name(self) -> &'static str {
        match self {
            Self::From => "from",
            Self::FromUserId => "from_user_id",
            Self::To => "to",
            Self::Id => "id",
            Self::Timestamp => "timestamp",
            Self::Type => "type",
            Self::Context => "context",
            Self::Referral => "referral",
            Self::GroupId => "group_id",
            Self::Errors => "errors",
            Self::Content(key) => key.name(),
            Self::Ignored => "",
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a message key")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key, E> {
                Ok(match value {
                    "from" => Key::From,
                    "from_user_id" => Key::FromUserId,
                    "to" => Key::To,
                    "id" => Key::Id,
                    "timestamp" => Key::Timestamp,
                    "type" => Key::Type,
                    "context" => Key::Context,
                    "referral" => Key::Referral,
                    "group_id" => Key::GroupId,
                    "errors" => Key::Errors,
                    other => ContentKey::from_name(other).map_or(Key::Ignored, Key::Content),
                })
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// The contents read before the message's `type` was known; keys are unique, so each appears
/// at most once. Almost every message has exactly one, which is kept inline.
#[derive(Default)]
struct Contents {
    first: Option<(ContentKey, Option<MessageContent>)>,
    more: Vec<(ContentKey, Option<MessageContent>)>,
}

impl Contents {
    fn push(&mut self, key: ContentKey, content: Option<MessageContent>) {
        if self.first.is_none() {
            self.first = Some((key, content));
        } else {
            self.more.push((key, content));
        }
    }

    /// The content under `key`; `None` when it was absent, `null` or unusable.
    fn take(self, key: ContentKey) -> Option<MessageContent> {
        match self.first {
            Some((first, content)) if first == key => content,
            Some(_) => self
                .more
                .into_iter()
                .find(|(candidate, _)| *candidate == key)
                .and_then(|(_, content)| content),
            None => None,
        }
    }
}

/// Reads the value under a content key; `None` for `null` and for an `interactive` answer of
/// a kind this crate does not know.
fn next_content<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: ContentKey,
) -> Result<Option<MessageContent>, A::Error> {
    Ok(match key {
        ContentKey::Text => map.next_value::<Option<Text>>()?.map(MessageContent::Text),
        ContentKey::Image => map
            .next_value::<Option<Media>>()?
            .map(MessageContent::Image),
        ContentKey::Audio => map
            .next_value::<Option<Media>>()?
            .map(MessageContent::Audio),
        ContentKey::Video => map
            .next_value::<Option<Media>>()?
            .map(MessageContent::Video),
        ContentKey::Document => map
            .next_value::<Option<Media>>()?
            .map(MessageContent::Document),
        ContentKey::Sticker => map
            .next_value::<Option<Media>>()?
            .map(MessageContent::Sticker),
        ContentKey::Location => map
            .next_value::<Option<Location>>()?
            .map(MessageContent::Location),
        ContentKey::Contacts => map
            .next_value::<Option<Vec<ContactCard>>>()?
            .map(MessageContent::Contacts),
        ContentKey::Interactive => map
            .next_value::<Option<WireInteractive>>()?
            .and_then(WireInteractive::into_interactive)
            .map(MessageContent::Interactive),
        ContentKey::Button => map
            .next_value::<Option<Button>>()?
            .map(MessageContent::Button),
        ContentKey::Reaction => map
            .next_value::<Option<Reaction>>()?
            .map(MessageContent::Reaction),
        ContentKey::Order => map
            .next_value::<Option<Order>>()?
            .map(MessageContent::Order),
        ContentKey::System => map
            .next_value::<Option<System>>()?
            .map(MessageContent::System),
        ContentKey::Unsupported => map
            .next_value::<Option<Unsupported>>()?
            .map(MessageContent::Unsupported),
    })
}

/// A message object as sent, the content under the key named by `type`. It is read in one
/// pass straight into [`MessageContent`] (keys may come in any order; Meta often sends `type`
/// last); the `raw` of [`MessageContent::Unknown`] is filled in afterwards by the caller,
/// which holds the raw JSON (see `change.rs`).
struct WireMessage {
    from: Option<String>,
    from_user_id: Option<Bsuid>,
    to: Option<String>,
    id: Wamid,
    timestamp: Option<Timestamp>,
    context: Option<Context>,
    referral: Option<Referral>,
    group_id: Option<String>,
    errors: Vec<ReportedError>,
    content: MessageContent,
}

impl<'de> Deserialize<'de> for WireMessage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(WireMessageVisitor)
    }
}

struct WireMessageVisitor;

impl<'de> Visitor<'de> for WireMessageVisitor {
    type Value = WireMessage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireMessage, A::Error> {
        let mut seen = 0_u32;
        let mut from = None;
        let mut from_user_id = None;
        let mut to = None;
        let mut id = None;
        let mut timestamp = None;
        let mut kind: Option<MessageType> = None;
        let mut context = None;
        let mut referral = None;
        let mut group_id = None;
        let mut errors = Vec::new();
        let mut contents = Contents::default();

        while let Some(key) = map.next_key::<Key>()? {
            if let Some(bit) = key.bit() {
                if seen & bit != 0 {
                    return Err(de::Error::duplicate_field(key.name()));
                }
                seen |= bit;
            }
            match key {
                Key::From => from = map.next_value()?,
                Key::FromUserId => from_user_id = map.next_value()?,
                Key::To => to = map.next_value()?,
                Key::Id => id = Some(map.next_value()?),
                Key::Timestamp => timestamp = map.next_value()?,
                Key::Type => kind = map.next_value()?,
                Key::Context => context = map.next_value()?,
                Key::Referral => referral = map.next_value()?,
                Key::GroupId => group_id = map.next_value()?,
                Key::Errors => errors = map.next_value()?,
                Key::Content(key) => {
                    // Parsed even when `type` names another key, so a malformed object fails
                    // the same way wherever it sits.
                    let item = next_content(&mut map, key)?;
                    if kind.as_ref().is_none_or(|kind| kind.selects(key)) {
                        contents.push(key, item);
                    }
                }
                Key::Ignored => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }

        let unknown = |message_type| MessageContent::Unknown {
            message_type,
            raw: Value::Null,
        };
        let message_content = match kind {
            Some(MessageType::Content(key)) => match contents.take(key) {
                Some(found) => found,
                None if key == ContentKey::Unsupported => {
                    MessageContent::Unsupported(Unsupported {
                        unsupported_type: None,
                    })
                }
                None => unknown(key.name().to_owned()),
            },
            Some(MessageType::RequestWelcome) => MessageContent::RequestWelcome,
            Some(MessageType::Other(message_type)) => unknown(message_type),
            None => unknown(String::new()),
        };
        Ok(WireMessage {
            from,
            from_user_id,
            to,
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            timestamp,
            context,
            referral,
            group_id,
            errors,
            content: message_content,
        })
    }
}

impl WireMessage {
    fn into_message(self) -> Message {
        Message {
            from: self.from.map(WaId::from),
            from_user_id: self.from_user_id,
            id: self.id,
            timestamp: self.timestamp,
            context: self.context,
            referral: self.referral,
            group_id: self.group_id,
            errors: self.errors,
            content: self.content,
        }
    }

    fn into_echo(self) -> MessageEcho {
        MessageEcho {
            from: self.from,
            to: self.to,
            id: self.id,
            timestamp: self.timestamp,
            context: self.context,
            content: self.content,
        }
    }
}

/// Reads `value.messages`, converting each message as it is read.
pub(super) fn deserialize_messages<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Message>, D::Error> {
    deserializer.deserialize_seq(ListVisitor(WireMessage::into_message))
}

/// Reads `value.message_echoes`, converting each message as it is read.
pub(super) fn deserialize_echoes<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<MessageEcho>, D::Error> {
    deserializer.deserialize_seq(ListVisitor(WireMessage::into_echo))
}

/// An array of message objects, each converted by the function as soon as it is read, so no
/// array of intermediate wire structs is built.
struct ListVisitor<F>(F);

impl<'de, T, F: Fn(WireMessage) -> T> Visitor<'de> for ListVisitor<F> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of message objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::new();
        while let Some(wire) = seq.next_element()? {
            items.push((self.0)(wire));
        }
        Ok(items)
    }
}
