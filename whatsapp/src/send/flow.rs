use serde::Serialize;
use serde_json::Value;

use super::header::Header;
use super::interactive::{Action, Frame};
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate;
use crate::Error;
use crate::ValidationProblem;
use crate::limits::Limit;

/// The only `flow_message_version` Meta accepts.
const FLOW_MESSAGE_VERSION: &str = "3";

/// A Flow message (`interactive.type: flow`), made by
/// [`Interactive::flow`](super::Interactive::flow): a button that opens a WhatsApp Flow.
///
/// The completed Flow arrives as an `nfm_reply` webhook carrying the `flow_token`.
///
/// ```
/// use metabiz_whatsapp::WaId;
/// use metabiz_whatsapp::send::{FlowMode, FlowRef, Interactive};
/// use serde_json::json;
///
/// let message = Interactive::flow(WaId::new("16505551234"), "Book your appointment", FlowRef::id("1"), "Book!")
///     .flow_token("AQAAAAACS5FpgQ_cAAAAAD0QI3s.")
///     .mode(FlowMode::Draft)
///     .navigate_with_data("APPOINTMENT", json!({"product_name": "name"}))
///     .build()?;
/// assert_eq!(message.kind(), "interactive");
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FlowMessage {
    envelope: Envelope,
    frame: Frame,
    parameters: FlowParameters,
}

/// Which Flow to open: by id or by name (Meta takes one, never both).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowRef {
    /// The Flow's id (`flow_id`).
    Id(String),
    /// The Flow's name (`flow_name`); renaming the Flow breaks messages that use the old name.
    Name(String),
}

impl FlowRef {
    /// A Flow by id.
    pub fn id(id: impl Into<String>) -> Self {
        Self::Id(id.into())
    }

    /// A Flow by name.
    pub fn name(name: impl Into<String>) -> Self {
        Self::Name(name.into())
    }
}

/// Whether to send the published Flow or its draft (`mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FlowMode {
    /// The published Flow, Meta's default.
    Published,
    /// The draft, for testing before publishing.
    Draft,
}

/// `action` of a Flow message.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct FlowAction {
    name: &'static str,
    parameters: FlowParameters,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
struct FlowParameters {
    flow_message_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_name: Option<String>,
    flow_cta: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<FlowMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_action: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_action_payload: Option<FlowActionPayload>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
struct FlowActionPayload {
    screen: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Value>,
}

impl FlowMessage {
    /// A button labeled `cta` (Meta advises at most
    /// [`FLOW_CTA_MAX_CHARS`](crate::limits::FLOW_CTA_MAX_CHARS) characters, no emoji) that
    /// opens `flow`, under `body` (at most
    /// [`INTERACTIVE_BODY_MAX_CHARS`](crate::limits::INTERACTIVE_BODY_MAX_CHARS)).
    pub fn new(
        to: impl Into<Recipient>,
        body: impl Into<String>,
        flow: FlowRef,
        cta: impl Into<String>,
    ) -> Self {
        let (flow_id, flow_name) = match flow {
            FlowRef::Id(id) => (Some(id), None),
            FlowRef::Name(name) => (None, Some(name)),
        };
        Self {
            envelope: Envelope::new(to),
            frame: Frame::new(body),
            parameters: FlowParameters {
                flow_message_version: FLOW_MESSAGE_VERSION,
                flow_token: None,
                flow_id,
                flow_name,
                flow_cta: cta.into(),
                mode: None,
                flow_action: None,
                flow_action_payload: None,
            },
        }
    }

    /// A text header (Meta documents text headers for Flow messages): at most
    /// [`HEADER_TEXT_MAX_CHARS`](crate::limits::HEADER_TEXT_MAX_CHARS) characters.
    pub fn header(mut self, text: impl Into<String>) -> Self {
        self.frame.header = Some(Header::Text(text.into()));
        self
    }

    /// A footer: at most [`FOOTER_MAX_CHARS`](crate::limits::FOOTER_MAX_CHARS) characters.
    pub fn footer(mut self, footer: impl Into<String>) -> Self {
        self.frame.footer = Some(footer.into());
        self
    }

    /// The token that identifies this Flow session in the `nfm_reply` webhook and the data
    /// endpoint (`flow_token`; Meta's default is `unused`).
    pub fn flow_token(mut self, token: impl Into<String>) -> Self {
        self.parameters.flow_token = Some(token.into());
        self
    }

    /// Sends the published Flow (Meta's default) or its draft.
    pub fn mode(mut self, mode: FlowMode) -> Self {
        self.parameters.mode = Some(mode);
        self
    }

    /// Opens the Flow at `screen` without data (`flow_action: navigate`, Meta's default).
    pub fn navigate(mut self, screen: impl Into<String>) -> Self {
        self.parameters.flow_action = Some("navigate");
        self.parameters.flow_action_payload = Some(FlowActionPayload {
            screen: screen.into(),
            data: None,
        });
        self
    }

    /// Opens the Flow at `screen` with `data` for it: a non-empty JSON object.
    pub fn navigate_with_data(mut self, screen: impl Into<String>, data: Value) -> Self {
        self.parameters.flow_action = Some("navigate");
        self.parameters.flow_action_payload = Some(FlowActionPayload {
            screen: screen.into(),
            data: Some(data),
        });
        self
    }

    /// Lets the Flow's data endpoint choose the first screen (`flow_action: data_exchange`,
    /// which takes no payload).
    pub fn data_exchange(mut self) -> Self {
        self.parameters.flow_action = Some("data_exchange");
        self.parameters.flow_action_payload = None;
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        let field = |part: &str| format!("interactive.action.parameters.{part}");
        let parameters = &self.parameters;
        if let Some(id) = &parameters.flow_id {
            validate::not_blank(id, || field("flow_id"))?;
        }
        if let Some(name) = &parameters.flow_name {
            validate::not_blank(name, || field("flow_name"))?;
        }
        validate::required(&parameters.flow_cta, Limit::FlowCta, || field("flow_cta"))?;
        if let Some(token) = &parameters.flow_token {
            validate::not_blank(token, || field("flow_token"))?;
        }
        if let Some(payload) = &parameters.flow_action_payload {
            validate::not_blank(&payload.screen, || field("flow_action_payload.screen"))?;
            let empty = |data: &Value| data.as_object().is_none_or(serde_json::Map::is_empty);
            if payload.data.as_ref().is_some_and(empty) {
                return validate::fail(
                    || field("flow_action_payload.data"),
                    ValidationProblem::Invalid("not a non-empty JSON object"),
                );
            }
        }
        let action = Action::Flow(FlowAction {
            name: "flow",
            parameters: self.parameters,
        });
        let body = self.frame.finish("flow", Limit::InteractiveBody, action)?;
        self.envelope.seal(Content::Interactive(body))
    }
}
