use serde::Serialize;

use super::interactive::{Action, Frame};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use crate::Error;
use crate::limits::Limit;

/// A location request message (`interactive.type: location_request_message`), made by
/// [`Interactive::location_request`](super::Interactive::location_request): body text and a
/// "Send location" button. It takes no header or footer.
///
/// The user's answer arrives as a `location` message webhook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocationRequest {
    envelope: Envelope,
    frame: Frame,
}

/// An `action` that is only a name, such as `{"name": "send_location"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct NamedAction {
    name: &'static str,
}

impl LocationRequest {
    /// A location request with `body`: at most
    /// [`INTERACTIVE_BODY_MAX_CHARS`](crate::limits::INTERACTIVE_BODY_MAX_CHARS) characters.
    pub fn new(to: impl Into<Recipient>, body: impl Into<String>) -> Self {
        Self {
            envelope: Envelope::new(to),
            frame: Frame::new(body),
        }
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        let action = Action::Named(NamedAction {
            name: "send_location",
        });
        let body = self
            .frame
            .finish("location_request_message", Limit::InteractiveBody, action)?;
        self.envelope.seal(Content::Interactive(body))
    }
}
