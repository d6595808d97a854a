//! The Instagram Messaging client, on either login path.

mod conversations;
mod profile;
mod settings;

use std::fmt;

use meta_graph::send_api::{
    Attachment, ReplyWindow, SendMessage, SendRequest, SendResponse, Sender, SenderAction,
    SenderActionKind,
};
use meta_graph::{AccessToken, GraphClient, PageId, UsageThrottle};
use time::OffsetDateTime;

use crate::limits::LIMITS;
use crate::{Error, ErrorKind, Igsid, InstagramAccountId, Mid};

pub use conversations::{CONVERSATION_FIELDS, MESSAGE_FIELDS};
pub use profile::{UserProfile, UserProfileField};
pub use settings::{IceBreaker, MenuItem, PersistentMenu};

/// Which of Meta's two Instagram APIs a client uses, chosen when it is built.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LoginPath {
    /// The Instagram API with Facebook Login: `graph.facebook.com`, the token of the
    /// Facebook Page linked to the account, calls made on the Page.
    FacebookLogin {
        /// The linked Page.
        page_id: PageId,
    },
    /// The Instagram API with Instagram Login: `graph.instagram.com`, an Instagram user
    /// token (see [`meta_graph::oauth::InstagramLogin`]), calls made on the account.
    InstagramLogin,
}

/// Sends and fetches messages of one Instagram professional account.
///
/// The same API whichever [`LoginPath`] it was built for; only the host, the token and the
/// node calls are made on differ. Every call goes through the account's [`UsageThrottle`].
/// Cheap to clone. `Debug` shows the account and path, never the token.
#[derive(Clone)]
pub struct InstagramClient {
    pub(crate) graph: GraphClient,
    pub(crate) account: InstagramAccountId,
    pub(crate) path: LoginPath,
    pub(crate) token: AccessToken,
    pub(crate) throttle: UsageThrottle,
    pub(crate) account_id: messaging_core::AccountId,
}

impl InstagramClient {
    /// An account reached through its linked Facebook Page: `graph` on `graph.facebook.com`,
    /// `page_token` the Page's token with `instagram_manage_messages`, `account` the id from
    /// [`meta_graph::oauth::OAuth::instagram_business_account`].
    pub fn facebook_login(
        graph: GraphClient,
        page_id: PageId,
        account: InstagramAccountId,
        page_token: AccessToken,
    ) -> Self {
        Self::new(
            graph,
            account,
            LoginPath::FacebookLogin { page_id },
            page_token,
        )
    }

    /// An account with Instagram Login: `graph` on `graph.instagram.com` (such as
    /// [`InstagramLogin::graph`](meta_graph::oauth::InstagramLogin::graph)), `user_token` the
    /// account's long-lived Instagram user token with `instagram_business_manage_messages`.
    pub fn instagram_login(
        graph: GraphClient,
        account: InstagramAccountId,
        user_token: AccessToken,
    ) -> Self {
        Self::new(graph, account, LoginPath::InstagramLogin, user_token)
    }

    fn new(
        graph: GraphClient,
        account: InstagramAccountId,
        path: LoginPath,
        token: AccessToken,
    ) -> Self {
        Self {
            account_id: messaging_core::AccountId::new(account.as_str()),
            graph,
            account,
            path,
            token,
            throttle: UsageThrottle::default(),
        }
    }

    /// Paces the account's calls with `throttle` instead of a default one.
    pub fn with_throttle(mut self, throttle: UsageThrottle) -> Self {
        self.throttle = throttle;
        self
    }

    /// The throttle the account's calls wait on.
    pub fn throttle(&self) -> &UsageThrottle {
        &self.throttle
    }

    /// The Instagram account this client acts for.
    pub fn account(&self) -> &InstagramAccountId {
        &self.account
    }

    /// The login path it was built for.
    pub fn login_path(&self) -> &LoginPath {
        &self.path
    }

    /// The Graph API client underneath, for calls this crate does not wrap.
    pub fn graph(&self) -> &GraphClient {
        &self.graph
    }

    /// The node messaging calls are made on: the Page with Facebook Login, the account with
    /// Instagram Login.
    pub(crate) fn node(&self) -> &str {
        match &self.path {
            LoginPath::FacebookLogin { page_id } => page_id.as_str(),
            LoginPath::InstagramLogin => self.account.as_str(),
        }
    }

    /// Sends a message with `POST /{node}/messages` and returns its `mid`.
    ///
    /// Build it with [`SendMessage`] and [`LIMITS`](crate::limits::LIMITS). A private reply
    /// to a comment is a message whose recipient is
    /// [`Recipient::CommentId`](meta_graph::send_api::Recipient::CommentId). A throttling
    /// rejection is retried as the Graph client's policy allows; nothing else that may have
    /// reached Meta is.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::OutsideWindow`], [`ErrorKind::Throttled`], [`ErrorKind::Ambiguous`]
    /// (never retried), [`ErrorKind::Unauthorized`], [`ErrorKind::PermissionDenied`],
    /// [`ErrorKind::UnexpectedResponse`] without a `message_id`, [`ErrorKind::Api`].
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

    /// Checks `message` against the reply-window policy at `now`, applies its decision (the
    /// `HUMAN_AGENT` tag for a person replying after 24 hours and within 7 days), checks the
    /// limits and sends it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::WindowClosed`] before any request when the policy refuses,
    /// [`ErrorKind::Validation`], and those of [`send`](Self::send).
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

    /// Sends the heart sticker (`like_heart`).
    ///
    /// # Errors
    ///
    /// Those of [`send`](Self::send).
    pub async fn send_like_heart(&self, to: &Igsid) -> Result<SentMessage, Error> {
        let heart = Attachment::Other {
            kind: "like_heart".to_owned(),
            payload: None,
        };
        let request = SendMessage::attachment(to.as_str(), heart).build(&LIMITS)?;
        self.send(&request).await
    }

    /// Reacts to the message `mid` from `to` with `reaction` (Instagram's reactions, such as
    /// `love`), or removes the reaction when `reaction` is `None`.
    ///
    /// # Errors
    ///
    /// Those of [`sender_action`](Self::sender_action).
    pub async fn react(&self, to: &Igsid, mid: &Mid, reaction: Option<&str>) -> Result<(), Error> {
        let kind = match reaction {
            Some(reaction) => SenderActionKind::React {
                mid: mid.as_str().to_owned(),
                reaction: reaction.to_owned(),
            },
            None => SenderActionKind::Unreact {
                mid: mid.as_str().to_owned(),
            },
        };
        self.sender_action(&SenderAction::new(to.as_str(), kind)?)
            .await
    }

    /// Sends a sender action (typing, mark seen, react) with `POST /{node}/messages`;
    /// retried like a read, since repeating it changes nothing.
    ///
    /// # Errors
    ///
    /// Those of [`send`](Self::send).
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

    /// Marks the person's messages as seen.
    ///
    /// # Errors
    ///
    /// Those of [`sender_action`](Self::sender_action).
    pub async fn mark_seen(&self, to: &Igsid) -> Result<(), Error> {
        self.sender_action(&SenderAction::new(to.as_str(), SenderActionKind::MarkSeen)?)
            .await
    }

    /// Shows or hides the typing indicator.
    ///
    /// # Errors
    ///
    /// Those of [`sender_action`](Self::sender_action).
    pub async fn typing(&self, to: &Igsid, on: bool) -> Result<(), Error> {
        let kind = if on {
            SenderActionKind::TypingOn
        } else {
            SenderActionKind::TypingOff
        };
        self.sender_action(&SenderAction::new(to.as_str(), kind)?)
            .await
    }

    fn messages_path(&self) -> String {
        format!("{}/messages", self.node())
    }
}

impl fmt::Debug for InstagramClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstagramClient")
            .field("account", &self.account)
            .field("login_path", &self.path)
            .field("base_url", &self.graph.base_url().as_str())
            .finish_non_exhaustive()
    }
}

/// Meta's acceptance of a sent message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentMessage {
    /// The new message's id.
    pub mid: Mid,
    /// The recipient's IGSID; absent for a private reply to a comment.
    pub recipient_id: Option<Igsid>,
}

impl SentMessage {
    fn from_response(response: SendResponse) -> Result<Self, Error> {
        let Some(mid) = response.message_id else {
            return Err(Error::new(ErrorKind::UnexpectedResponse));
        };
        Ok(Self {
            mid: Mid::new(mid),
            recipient_id: response.recipient_id.map(Igsid::new),
        })
    }
}
