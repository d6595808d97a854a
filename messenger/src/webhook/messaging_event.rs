use serde_json::Value;

use super::{
    AppRoles, Delivery, Message, MessageEdit, Optin, PassThreadControl, Postback, Reaction, Read,
    Referral, RequestThreadControl, TakeThreadControl,
};

/// What a [`Messaging`](super::Messaging) item reports: the one event key it carries.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MessagingEvent {
    /// `message`: a message from a person, or an echo of the page's own
    /// ([`Message::is_echo`]).
    Message(Message),
    /// `message_edit`: a person edited a message.
    MessageEdit(MessageEdit),
    /// `postback`: a button or menu tap.
    Postback(Postback),
    /// `read`: a read receipt.
    Read(Read),
    /// `delivery`: a delivery receipt.
    Delivery(Delivery),
    /// `reaction`: a reaction added or removed.
    Reaction(Reaction),
    /// `referral`: a person came back to the conversation through a link, ad or plugin.
    Referral(Referral),
    /// `optin`: a marketing-messages or plugin opt-in.
    Optin(Optin),
    /// `pass_thread_control`: this app was given the thread.
    PassThreadControl(PassThreadControl),
    /// `take_thread_control`: the thread was taken from this app.
    TakeThreadControl(TakeThreadControl),
    /// `request_thread_control`: another app asks for the thread.
    RequestThreadControl(RequestThreadControl),
    /// `app_roles`: the page changed its apps' handover roles.
    AppRoles(AppRoles),
    /// An item with none of the keys above, such as an event Meta added later, or an item whose
    /// typed form could not be read (a field of another type than this version expects, or an
    /// item that is not an object): the whole item, exactly as sent.
    Unknown(Value),
}

impl MessagingEvent {
    /// The item's event key as Meta spells it (`message`, `read`, …); `None` for
    /// [`MessagingEvent::Unknown`].
    pub fn key(&self) -> Option<&'static str> {
        Some(match self {
            Self::Message(_) => "message",
            Self::MessageEdit(_) => "message_edit",
            Self::Postback(_) => "postback",
            Self::Read(_) => "read",
            Self::Delivery(_) => "delivery",
            Self::Reaction(_) => "reaction",
            Self::Referral(_) => "referral",
            Self::Optin(_) => "optin",
            Self::PassThreadControl(_) => "pass_thread_control",
            Self::TakeThreadControl(_) => "take_thread_control",
            Self::RequestThreadControl(_) => "request_thread_control",
            Self::AppRoles(_) => "app_roles",
            Self::Unknown(_) => return None,
        })
    }
}
