//! The Messenger Platform client: the Send API, attachments, personas, conversations and
//! profiles of one Facebook Page.

mod attachments;
pub(crate) mod conversations;
mod personas;
mod profile;
mod subscription;

use std::fmt;

use meta_graph::send_api::{
    ReplyWindow, SendMessage, SendRequest, SendResponse, Sender, SenderAction, SenderActionKind,
};
use meta_graph::{AccessToken, GraphClient, PageId, UsageThrottle};
use time::OffsetDateTime;

use crate::limits::LIMITS;
use crate::{AttachmentId, Error, ErrorKind, Mid, Psid};

pub use attachments::{ATTACHMENT_MAX_BYTES, AttachmentUpload};
pub use conversations::{CONVERSATION_FIELDS, MESSAGE_FIELDS};
pub use personas::{Persona, PersonaUpdate};
pub use profile::{UserProfile, UserProfileField};
pub use subscription::{PageSubscribedApp, PageWebhookField};

/// Sends and fetches messages of one Facebook Page over a [`GraphClient`], with a Page
/// access token.
///
/// Every call goes through the Page's [`UsageThrottle`], which reads Meta's usage headers:
/// calls are spaced from 90 % of any meter and paused at 100 % or after a throttling error,
/// for Meta's regain time.
///
/// Cheap to clone: clones share the HTTP connection pool. `Debug` shows the Page id, never
/// the token.
#[derive(Clone)]
pub struct MessengerClient {
    pub(crate) graph: GraphClient,
    pub(crate) page_id: PageId,
    pub(crate) token: AccessToken,
    pub(crate) throttle: UsageThrottle,
    pub(crate) account_id: messaging_core::AccountId,
}

impl MessengerClient {
    /// A client for `page_id` with `token`, a Page access token with the `pages_messaging`
    /// permission (from [`meta_graph::oauth::OAuth::pages`]).
    pub fn new(graph: GraphClient, page_id: PageId, token: AccessToken) -> Self {
        Self {
            account_id: messaging_core::AccountId::new(page_id.as_str()),
            graph,
            page_id,
            token,
            throttle: UsageThrottle::default(),
        }
    }

    /// Paces the Page's calls with `throttle` instead of a default one: give every client of
    /// the same Page the same throttle. Every call waits while Meta's usage headers
    /// (`X-Page-Usage`, `X-App-Usage`, `X-Business-Use-Case-Usage`) say the Page is near or
    /// past its limit, so a throttled Page is paused rather than hammered, and never holds
    /// up another Page's client.
    pub fn with_throttle(mut self, throttle: UsageThrottle) -> Self {
        self.throttle = throttle;
        self
    }

    /// The throttle the Page's calls wait on.
    pub fn throttle(&self) -> &UsageThrottle {
        &self.throttle
    }

    /// The Page this client acts for.
    pub fn page_id(&self) -> &PageId {
        &self.page_id
    }

    /// The Graph API client underneath, for calls this crate does not wrap.
    pub fn graph(&self) -> &GraphClient {
        &self.graph
    }

    /// Sends a message with `POST /{page-id}/messages` and returns its `mid`.
    ///
    /// Build the message with [`SendMessage`] and [`LIMITS`](crate::limits::LIMITS). A
    /// throttling rejection, which Meta makes before acting, is retried as the Graph client's
    /// retry policy allows; nothing else that may have reached Meta is.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::OutsideWindow`] when Meta finds the window closed,
    /// [`ErrorKind::Throttled`], [`ErrorKind::Ambiguous`] (never retried),
    /// [`ErrorKind::Unauthorized`], [`ErrorKind::PermissionDenied`],
    /// [`ErrorKind::UnexpectedResponse`] when the answer has no `message_id`, and
    /// [`ErrorKind::Api`] otherwise.
    pub async fn send(&self, message: &SendRequest) -> Result<SentMessage, Error> {
        let response: SendResponse = self
            .graph
            .post(&self.messages_path())
            .token(&self.token)
            .throttle(&self.throttle)
            .json(message)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        SentMessage::from_response(response)
    }

    /// Checks `message` against the reply-window policy at `now`, applies what it decides
    /// (a plain response, or the `HUMAN_AGENT` tag for a person replying after 24 hours),
    /// checks the limits and sends it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::WindowClosed`] before any request when the policy refuses (see
    /// [`Error::window_closed`]), [`ErrorKind::Validation`], and those of
    /// [`send`](Self::send).
    pub async fn send_in_window(
        &self,
        message: SendMessage,
        window: &ReplyWindow,
        sender: Sender,
        now: OffsetDateTime,
    ) -> Result<SentMessage, Error> {
        let decision = window.decide(now, sender)?;
        let request = decision.apply(message).build(&LIMITS)?;
        self.send(&request).await
    }

    /// Shows a sender action (typing on or off, mark seen) with `POST /{page-id}/messages`.
    ///
    /// # Errors
    ///
    /// Those of [`send`](Self::send), but a sender action is safe to repeat, so it is retried
    /// like a read.
    pub async fn sender_action(&self, action: &SenderAction) -> Result<(), Error> {
        let _: SendResponse = self
            .graph
            .post(&self.messages_path())
            .token(&self.token)
            .throttle(&self.throttle)
            .json(action)
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        Ok(())
    }

    /// Marks the person's messages as seen (`mark_seen`).
    ///
    /// # Errors
    ///
    /// Those of [`sender_action`](Self::sender_action).
    pub async fn mark_seen(&self, psid: &Psid) -> Result<(), Error> {
        let action = SenderAction::new(psid.as_str(), SenderActionKind::MarkSeen)?;
        self.sender_action(&action).await
    }

    /// Shows (or hides) the typing bubble.
    ///
    /// # Errors
    ///
    /// Those of [`sender_action`](Self::sender_action).
    pub async fn typing(&self, psid: &Psid, on: bool) -> Result<(), Error> {
        let kind = if on {
            SenderActionKind::TypingOn
        } else {
            SenderActionKind::TypingOff
        };
        self.sender_action(&SenderAction::new(psid.as_str(), kind)?)
            .await
    }

    fn messages_path(&self) -> String {
        format!("{}/messages", self.page_id.as_str())
    }
}

impl fmt::Debug for MessengerClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessengerClient")
            .field("page_id", &self.page_id)
            .field("api_version", &self.graph.api_version())
            .finish_non_exhaustive()
    }
}

/// Meta's acceptance of a sent message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentMessage {
    /// The new message's id; its echo, delivery and read webhooks refer to it.
    pub mid: Mid,
    /// The recipient's PSID; absent for messages sent to a `user_ref` or a comment.
    pub recipient_id: Option<Psid>,
    /// The id under which a reusable attachment was saved, to send it again.
    pub attachment_id: Option<AttachmentId>,
}

impl SentMessage {
    fn from_response(response: SendResponse) -> Result<Self, Error> {
        let Some(mid) = response.message_id else {
            return Err(Error::new(ErrorKind::UnexpectedResponse));
        };
        Ok(Self {
            mid: Mid::new(mid),
            recipient_id: response.recipient_id.map(Psid::new),
            attachment_id: response.attachment_id.map(AttachmentId::new),
        })
    }
}
