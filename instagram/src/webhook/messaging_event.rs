use serde_json::Value;

use super::{Message, Postback, Reaction, Read, Referral, ThreadControl};

/// What a [`Messaging`](super::Messaging) item reports: the one event key it carries.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MessagingEvent {
    /// `message`: a message from a person, an echo of the business's own
    /// ([`Message::is_echo`]), or a deleted or unsupported message.
    Message(Message),
    /// `postback`: an icebreaker or button tap.
    Postback(Postback),
    /// `reaction`: a reaction added or removed.
    Reaction(Reaction),
    /// `read`: a person saw a message (`messaging_seen`).
    Read(Read),
    /// `referral`: a person opened an existing conversation through an `ig.me` link.
    Referral(Referral),
    /// `pass_thread_control`: this app was given the thread.
    PassThreadControl(ThreadControl),
    /// `take_thread_control`: the thread was taken from this app.
    TakeThreadControl(ThreadControl),
    /// `request_thread_control`: another app asks for the thread.
    RequestThreadControl(ThreadControl),
    /// An item with none of the keys above (such as an event Meta added later), or one whose
    /// shape this version does not expect: the whole item, exactly as sent.
    Unknown(Value),
}

impl MessagingEvent {
    /// The item's event key as Meta spells it (`message`, `read`, …); `None` for
    /// [`MessagingEvent::Unknown`].
    pub fn key(&self) -> Option<&'static str> {
        Some(match self {
            Self::Message(_) => "message",
            Self::Postback(_) => "postback",
            Self::Reaction(_) => "reaction",
            Self::Read(_) => "read",
            Self::Referral(_) => "referral",
            Self::PassThreadControl(_) => "pass_thread_control",
            Self::TakeThreadControl(_) => "take_thread_control",
            Self::RequestThreadControl(_) => "request_thread_control",
            Self::Unknown(_) => return None,
        })
    }
}
