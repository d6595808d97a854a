use serde::Serialize;

use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate;
use crate::Error;
use crate::limits::Limit;

/// A text message (`type: text`).
///
/// ```
/// use metabiz_whatsapp::WaId;
/// use metabiz_whatsapp::send::Text;
///
/// let message = Text::new(WaId::new("16505551234"), "Your order shipped: https://example.com/t/1")
///     .preview_url(true)
///     .build()?;
/// assert_eq!(message.kind(), "text");
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    envelope: Envelope,
    body: TextBody,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct TextBody {
    body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    preview_url: Option<bool>,
}

impl Text {
    /// A text message with `body`: not blank, at most
    /// [`TEXT_BODY_MAX_CHARS`](crate::limits::TEXT_BODY_MAX_CHARS) characters; URLs in it are
    /// hyperlinked.
    pub fn new(to: impl Into<Recipient>, body: impl Into<String>) -> Self {
        Self {
            envelope: Envelope::new(to),
            body: TextBody {
                body: body.into(),
                preview_url: None,
            },
        }
    }

    /// Asks WhatsApp to render a preview of the first `http://` or `https://` URL in the body
    /// (`preview_url`); without it, the URL is a plain link.
    pub fn preview_url(mut self, preview: bool) -> Self {
        self.body.preview_url = Some(preview);
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        validate::required(&self.body.body, Limit::TextBody, || "text.body".to_owned())?;
        self.envelope.seal(Content::Text(self.body))
    }
}
