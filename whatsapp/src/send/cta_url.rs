use serde::Serialize;

use super::header::Header;
use super::interactive::{Action, Frame};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate;
use crate::Error;
use crate::limits::Limit;

/// A call-to-action URL message (`interactive.type: cta_url`), made by
/// [`Interactive::cta_url`](super::Interactive::cta_url): a button that opens a URL, so the raw
/// URL need not appear in the body.
///
/// Tapping the button opens the browser; it sends no webhook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CtaUrl {
    envelope: Envelope,
    frame: Frame,
    parameters: CtaUrlParameters,
}

/// `action` of a call-to-action URL message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct CtaUrlAction {
    name: &'static str,
    parameters: CtaUrlParameters,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct CtaUrlParameters {
    display_text: String,
    url: String,
}

impl CtaUrl {
    /// A button labeled `display_text` (at most
    /// [`CTA_URL_DISPLAY_TEXT_MAX_CHARS`](crate::limits::CTA_URL_DISPLAY_TEXT_MAX_CHARS)
    /// characters) that opens `url`, under `body` (at most
    /// [`INTERACTIVE_BODY_MAX_CHARS`](crate::limits::INTERACTIVE_BODY_MAX_CHARS)).
    pub fn new(
        to: impl Into<Recipient>,
        body: impl Into<String>,
        display_text: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Self {
            envelope: Envelope::new(to),
            frame: Frame::new(body),
            parameters: CtaUrlParameters {
                display_text: display_text.into(),
                url: url.into(),
            },
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
        validate::required(
            &self.parameters.display_text,
            Limit::CtaUrlDisplayText,
            || "interactive.action.parameters.display_text".to_owned(),
        )?;
        validate::not_blank(&self.parameters.url, || {
            "interactive.action.parameters.url".to_owned()
        })?;
        let action = Action::CtaUrl(CtaUrlAction {
            name: "cta_url",
            parameters: self.parameters,
        });
        let body = self
            .frame
            .finish("cta_url", Limit::InteractiveBody, action)?;
        self.envelope.seal(Content::Interactive(body))
    }
}
