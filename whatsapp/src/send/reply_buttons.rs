use serde::Serialize;

use super::header::Header;
use super::interactive::{Action, Frame};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate::{self, Unique};
use crate::Error;
use crate::limits::Limit;

/// A reply-buttons message (`interactive.type: button`), made by
/// [`Interactive::buttons`](super::Interactive::buttons).
///
/// The user's tap arrives as a `button_reply` webhook with the button's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyButtons {
    envelope: Envelope,
    frame: Frame,
    buttons: Vec<Button>,
}

/// One reply button.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Button {
    id: String,
    title: String,
}

impl Button {
    /// A button labeled `title` (at most
    /// [`REPLY_BUTTON_TITLE_MAX_CHARS`](crate::limits::REPLY_BUTTON_TITLE_MAX_CHARS)
    /// characters) that answers with `id` (at most
    /// [`REPLY_BUTTON_ID_MAX_CHARS`](crate::limits::REPLY_BUTTON_ID_MAX_CHARS)). Ids and titles
    /// must be unique within the message.
    pub fn reply(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
        }
    }

    /// The id the webhook reports when the button is tapped.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The label.
    pub fn title(&self) -> &str {
        &self.title
    }
}

/// `action` of a reply-buttons message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ButtonsAction {
    buttons: Vec<ButtonObject>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct ButtonObject {
    #[serde(rename = "type")]
    kind: &'static str,
    reply: Button,
}

impl ReplyButtons {
    /// Reply buttons under `body` (at most
    /// [`INTERACTIVE_BODY_MAX_CHARS`](crate::limits::INTERACTIVE_BODY_MAX_CHARS) characters),
    /// with one to [`REPLY_BUTTONS_MAX`](crate::limits::REPLY_BUTTONS_MAX) buttons.
    pub fn new(
        to: impl Into<Recipient>,
        body: impl Into<String>,
        buttons: impl IntoIterator<Item = Button>,
    ) -> Self {
        Self {
            envelope: Envelope::new(to),
            frame: Frame::new(body),
            buttons: buttons.into_iter().collect(),
        }
    }

    /// A text, image, video or document header.
    pub fn header(mut self, header: Header) -> Self {
        self.frame.header = Some(header);
        self
    }

    /// A footer: at most [`FOOTER_MAX_CHARS`](crate::limits::FOOTER_MAX_CHARS) characters.
    pub fn footer(mut self, footer: impl Into<String>) -> Self {
        self.frame.footer = Some(footer.into());
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        let field = |i: usize, part: &str| format!("interactive.action.buttons[{i}].reply.{part}");
        validate::count(self.buttons.len(), Limit::ReplyButtons, || {
            "interactive.action.buttons".to_owned()
        })?;
        let mut ids = Unique::new();
        let mut titles = Unique::new();
        for (i, button) in self.buttons.iter().enumerate() {
            validate::required(&button.id, Limit::ReplyButtonId, || field(i, "id"))?;
            validate::required(&button.title, Limit::ReplyButtonTitle, || field(i, "title"))?;
            ids.check(&button.id, || field(i, "id"))?;
            titles.check(&button.title, || field(i, "title"))?;
        }
        let action = Action::Buttons(ButtonsAction {
            buttons: self
                .buttons
                .into_iter()
                .map(|reply| ButtonObject {
                    kind: "reply",
                    reply,
                })
                .collect(),
        });
        let body = self
            .frame
            .finish("button", Limit::InteractiveBody, action)?;
        self.envelope.seal(Content::Interactive(body))
    }
}
