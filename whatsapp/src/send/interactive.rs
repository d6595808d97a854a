use serde::Serialize;

use super::cta_url::{CtaUrl, CtaUrlAction};
use super::flow::{FlowAction, FlowMessage, FlowRef};
use super::header::Header;
use super::list::{List, ListAction, Section};
use super::location_request::{LocationRequest, NamedAction};
use super::recipient::Recipient;
use super::reply_buttons::{Button, ButtonsAction, ReplyButtons};
use super::validate;
use crate::Error;
use crate::limits::Limit;

/// Entry point to the interactive messages (`type: interactive`): each function returns the
/// builder for one kind.
///
/// ```
/// use metabiz_whatsapp::WaId;
/// use metabiz_whatsapp::send::{Button, Interactive};
///
/// let message = Interactive::buttons(
///     WaId::new("16505551234"),
///     "Your workshop is tomorrow at 9am. Need to reschedule?",
///     [Button::reply("change-button", "Change"), Button::reply("cancel-button", "Cancel")],
/// )
/// .footer("Lucky Shrub")
/// .build()?;
/// assert_eq!(message.kind(), "interactive");
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Debug)]
pub struct Interactive(());

impl Interactive {
    /// Reply buttons (`interactive.type: button`): up to three buttons the user taps to answer.
    pub fn buttons(
        to: impl Into<Recipient>,
        body: impl Into<String>,
        buttons: impl IntoIterator<Item = Button>,
    ) -> ReplyButtons {
        ReplyButtons::new(to, body, buttons)
    }

    /// A list (`interactive.type: list`): a button that opens up to ten rows in sections.
    pub fn list(
        to: impl Into<Recipient>,
        body: impl Into<String>,
        button: impl Into<String>,
        sections: impl IntoIterator<Item = Section>,
    ) -> List {
        List::new(to, body, button, sections)
    }

    /// A call-to-action URL button (`interactive.type: cta_url`) that opens `url`.
    pub fn cta_url(
        to: impl Into<Recipient>,
        body: impl Into<String>,
        display_text: impl Into<String>,
        url: impl Into<String>,
    ) -> CtaUrl {
        CtaUrl::new(to, body, display_text, url)
    }

    /// A Flow (`interactive.type: flow`): a button that opens a WhatsApp Flow.
    pub fn flow(
        to: impl Into<Recipient>,
        body: impl Into<String>,
        flow: FlowRef,
        cta: impl Into<String>,
    ) -> FlowMessage {
        FlowMessage::new(to, body, flow, cta)
    }

    /// A location request (`interactive.type: location_request_message`): a button that asks
    /// the user to share their location.
    pub fn location_request(to: impl Into<Recipient>, body: impl Into<String>) -> LocationRequest {
        LocationRequest::new(to, body)
    }
}

/// The `interactive` object of every interactive message.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct InteractiveBody {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    header: Option<Header>,
    body: TextObject,
    #[serde(skip_serializing_if = "Option::is_none")]
    footer: Option<TextObject>,
    action: Action,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct TextObject {
    text: String,
}

/// The `action` object, whose shape depends on the interactive type.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Action {
    Buttons(ButtonsAction),
    List(ListAction),
    CtaUrl(CtaUrlAction),
    Flow(FlowAction),
    Named(NamedAction),
}

/// Header, body and footer, the parts every interactive builder shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Frame {
    pub(super) header: Option<Header>,
    pub(super) body: String,
    pub(super) footer: Option<String>,
}

impl Frame {
    pub(super) fn new(body: impl Into<String>) -> Self {
        Self {
            header: None,
            body: body.into(),
            footer: None,
        }
    }

    /// Checks the header, the body against `body_limit` and the footer, then builds the
    /// `interactive` object.
    pub(super) fn finish(
        self,
        kind: &'static str,
        body_limit: Limit,
        action: Action,
    ) -> Result<InteractiveBody, Error> {
        if let Some(header) = &self.header {
            header.validate()?;
        }
        validate::required(&self.body, body_limit, || {
            "interactive.body.text".to_owned()
        })?;
        validate::optional(self.footer.as_deref(), Limit::Footer, || {
            "interactive.footer.text".to_owned()
        })?;
        Ok(InteractiveBody {
            kind,
            header: self.header,
            body: TextObject { text: self.body },
            footer: self.footer.map(|text| TextObject { text }),
            action,
        })
    }
}
