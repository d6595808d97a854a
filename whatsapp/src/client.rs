//! Sending messages through the WhatsApp Cloud API.

use std::fmt;

use meta_graph::{AccessToken, GraphClient};
use serde::Deserialize;

use crate::send::{OutgoingMessage, ReadReceipt};
use crate::{Error, ErrorKind, PhoneNumberId, WaId, Wamid};

/// Sends messages from one business phone number, over a [`GraphClient`].
///
/// Cheap to clone: clones share the HTTP connection pool. `Debug` shows the phone number id,
/// never the access token.
#[derive(Clone)]
pub struct WhatsAppClient {
    graph: GraphClient,
    phone_number_id: PhoneNumberId,
    token: AccessToken,
}

impl WhatsAppClient {
    /// A client that sends from `phone_number_id` (the id of the business phone number in the
    /// App Dashboard, not the phone number itself) with `token`, a system user or business
    /// token with the `whatsapp_business_messaging` permission.
    pub fn new(graph: GraphClient, phone_number_id: PhoneNumberId, token: AccessToken) -> Self {
        Self {
            graph,
            phone_number_id,
            token,
        }
    }

    /// The business phone number this client sends from.
    pub fn phone_number_id(&self) -> &PhoneNumberId {
        &self.phone_number_id
    }

    /// The Graph API client underneath, for calls this crate does not wrap.
    pub fn graph(&self) -> &GraphClient {
        &self.graph
    }

    /// Sends a message with `POST /{phone-number-id}/messages`.
    ///
    /// Meta's answer only means the message was accepted; delivery and read come later as
    /// status webhooks carrying [`SentMessage::wamid`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::OutsideWindow`] when a free-form message is sent more than 24 hours after
    /// the user last wrote, [`ErrorKind::Throttled`] when rate limited,
    /// [`ErrorKind::Ambiguous`] when the message may have gone out (it is never retried),
    /// [`ErrorKind::Unauthorized`] for a bad token, [`ErrorKind::UnexpectedResponse`] when the
    /// success body has no message id, and [`ErrorKind::Api`] otherwise.
    pub async fn send(&self, message: &OutgoingMessage) -> Result<SentMessage, Error> {
        let response: SendResponse = self
            .graph
            .post(&self.messages_path())
            .token(&self.token)
            .json(message)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        SentMessage::from_response(response)
    }

    /// Marks an incoming message (and the earlier ones of the conversation) as read, with
    /// `POST /{phone-number-id}/messages`; with a typing indicator when the receipt asks for
    /// one.
    ///
    /// # Errors
    ///
    /// The same kinds as [`send`](Self::send); [`ErrorKind::UnexpectedResponse`] when Meta
    /// does not answer `{"success": true}`.
    pub async fn mark_read(&self, receipt: &ReadReceipt) -> Result<(), Error> {
        let response: SuccessResponse = self
            .graph
            .post(&self.messages_path())
            .token(&self.token)
            .json(receipt)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        if response.success {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::UnexpectedResponse))
        }
    }

    fn messages_path(&self) -> String {
        format!("{}/messages", self.phone_number_id.as_str())
    }
}

impl fmt::Debug for WhatsAppClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WhatsAppClient")
            .field("phone_number_id", &self.phone_number_id)
            .field("api_version", &self.graph.api_version())
            .finish_non_exhaustive()
    }
}

/// Meta's acceptance of a sent message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentMessage {
    wamid: Wamid,
    input: Option<String>,
    wa_id: Option<WaId>,
    message_status: Option<MessageStatus>,
}

impl SentMessage {
    fn from_response(response: SendResponse) -> Result<Self, Error> {
        let Some(message) = response.messages.into_iter().next() else {
            return Err(Error::new(ErrorKind::UnexpectedResponse));
        };
        let Some(wamid) = message.id else {
            return Err(Error::new(ErrorKind::UnexpectedResponse));
        };
        let contact = response.contacts.into_iter().next().unwrap_or_default();
        Ok(Self {
            wamid,
            input: contact.input,
            wa_id: contact.wa_id,
            message_status: message.message_status,
        })
    }

    /// The id of the message: status webhooks (sent, delivered, read, failed) and replies
    /// refer to it.
    pub fn wamid(&self) -> &Wamid {
        &self.wamid
    }

    /// The recipient as the request named it (`to`), echoed by Meta.
    pub fn input(&self) -> Option<&str> {
        self.input.as_deref()
    }

    /// The recipient's WhatsApp id, which may differ from the number sent to (for example
    /// without a `+` or with a country's normalized form).
    pub fn wa_id(&self) -> Option<&WaId> {
        self.wa_id.as_ref()
    }

    /// Whether Meta accepted the message or is holding it, when Meta says (template messages).
    pub fn message_status(&self) -> Option<&MessageStatus> {
        self.message_status.as_ref()
    }
}

/// What Meta did with a message when accepting the request (`message_status`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(from = "String")]
#[non_exhaustive]
pub enum MessageStatus {
    /// `accepted`: the message is on its way.
    Accepted,
    /// `held_for_quality_assessment`: Meta is checking the message's quality before sending it.
    HeldForQualityAssessment,
    /// A status this version does not know, as Meta sent it.
    Unknown(String),
}

impl MessageStatus {
    /// The status as Meta spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Accepted => "accepted",
            Self::HeldForQualityAssessment => "held_for_quality_assessment",
            Self::Unknown(other) => other,
        }
    }
}

impl From<String> for MessageStatus {
    fn from(value: String) -> Self {
        match value.as_str() {
            "accepted" => Self::Accepted,
            "held_for_quality_assessment" => Self::HeldForQualityAssessment,
            _ => Self::Unknown(value),
        }
    }
}

#[derive(Deserialize)]
struct SendResponse {
    #[serde(default)]
    contacts: Vec<ContactEntry>,
    #[serde(default)]
    messages: Vec<MessageEntry>,
}

#[derive(Default, Deserialize)]
struct ContactEntry {
    input: Option<String>,
    wa_id: Option<WaId>,
}

#[derive(Deserialize)]
struct MessageEntry {
    id: Option<Wamid>,
    message_status: Option<MessageStatus>,
}

#[derive(Deserialize)]
struct SuccessResponse {
    #[serde(default)]
    success: bool,
}
