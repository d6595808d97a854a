//! The WhatsApp Cloud API client: sending, media, templates, numbers, profile.

mod management;
mod media;

use std::fmt;

use meta_graph::{AccessToken, GraphClient};
use serde::Deserialize;

use crate::model::Success;
use crate::pacing::{Pacer, Pacing};
use crate::send::{OutgoingMessage, ReadReceipt};
use crate::{Error, ErrorKind, PhoneNumberId, WaId, Wamid};

pub use management::TemplateFilter;
pub use media::{DownloadedMedia, MediaMismatch, MediaUpload};

/// Sends messages from one business phone number, over a [`GraphClient`], and manages its
/// media, templates, profile and webhook subscription.
///
/// Cheap to clone: clones share the HTTP connection pool and the [`Pacer`], so every task
/// sending from the number takes its turn in one queue. `Debug` shows the phone number id,
/// never the access token.
#[derive(Clone)]
pub struct WhatsAppClient {
    graph: GraphClient,
    phone_number_id: PhoneNumberId,
    token: AccessToken,
    pacer: Pacer,
    /// The phone number id again, in the platform-neutral type `Platform::account_id` lends.
    pub(crate) account_id: messaging_core::AccountId,
}

impl WhatsAppClient {
    /// A client that sends from `phone_number_id` (the id of the business phone number in the
    /// App Dashboard, not the phone number itself) with `token`, a system user or business
    /// token with the `whatsapp_business_messaging` permission.
    ///
    /// Sends are paced with [`Pacing::default`] (80 messages per second, and Meta's pair rate
    /// per recipient); change it with [`with_pacing`](Self::with_pacing). Must be called
    /// inside a tokio runtime.
    pub fn new(graph: GraphClient, phone_number_id: PhoneNumberId, token: AccessToken) -> Self {
        Self {
            account_id: messaging_core::AccountId::new(phone_number_id.as_str()),
            graph,
            phone_number_id,
            token,
            pacer: Pacer::new(Pacing::default()),
        }
    }

    /// Paces sends with `pacing` instead, for example the 20 messages per second of a number
    /// shared with the WhatsApp Business app, or the higher throughput Meta granted.
    pub fn with_pacing(self, pacing: Pacing) -> Self {
        self.with_pacer(Pacer::new(pacing))
    }

    /// Shares `pacer` with other clients that send from the same number (for example clients
    /// built with different tokens), so they take turns in one queue.
    pub fn with_pacer(mut self, pacer: Pacer) -> Self {
        self.pacer = pacer;
        self
    }

    /// The pacer that sends wait on.
    pub fn pacer(&self) -> &Pacer {
        &self.pacer
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
    /// Waits first for the [`Pacer`]'s turn for the number and the recipient. A throttling
    /// rejection (130429, 131056), which Meta sends before acting, is retried as the Graph
    /// client's retry policy allows; nothing else that may have reached Meta is.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::OutsideWindow`] when a free-form message is sent more than 24 hours after
    /// the user last wrote, [`ErrorKind::Throttled`] when rate limited,
    /// [`ErrorKind::Ambiguous`] when the message may have gone out (it is never retried),
    /// [`ErrorKind::Unauthorized`] for a bad token, [`ErrorKind::UnexpectedResponse`] when the
    /// success body has no message id, and [`ErrorKind::Api`] otherwise.
    pub async fn send(&self, message: &OutgoingMessage) -> Result<SentMessage, Error> {
        self.pacer.until_ready(message.recipient().as_str()).await;
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
        let response: Success = self
            .graph
            .post(&self.messages_path())
            .token(&self.token)
            .json(receipt)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        confirmed(response)
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
            .field("pacing", self.pacer.pacing())
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

/// `{"success": false}` means the change did not happen; a body without `success` does not
/// decode and is an unexpected response too.
fn confirmed(response: Success) -> Result<(), Error> {
    if response.success {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::UnexpectedResponse))
    }
}
