use async_trait::async_trait;

use crate::{
    AccountId, Conversation, ConversationId, Cursor, Message, MessageId, OutgoingAttachment, Page,
    PlatformKind, Result, SentMessage, UserId, UserProfile, WebhookEvent,
};

/// One business account on one platform, behind a common interface.
///
/// Each platform crate implements it for its client, so an application can hold WhatsApp,
/// Messenger and Instagram accounts side by side as `Arc<dyn Platform>` and route by
/// [`Platform::kind`] and [`Platform::account_id`].
///
/// An implementation that cannot do an operation returns [`ErrorKind::Unsupported`]; it never
/// pretends with an empty success. The trait has no default bodies for that reason.
///
/// No send is retried once it may have reached Meta: such failures come back as
/// [`ErrorKind::Ambiguous`], since a retry could deliver the message twice.
///
/// [`ErrorKind::Unsupported`]: crate::ErrorKind::Unsupported
/// [`ErrorKind::Ambiguous`]: crate::ErrorKind::Ambiguous
#[async_trait]
pub trait Platform: Send + Sync {
    /// Which platform this is.
    fn kind(&self) -> PlatformKind;

    /// The business account this handle acts for (phone number id, Page id or Instagram
    /// account id).
    fn account_id(&self) -> &AccountId;

    /// Sends a text message to `to`.
    async fn send_text(&self, to: &UserId, text: &str) -> Result<SentMessage>;

    /// Sends one attachment to `to`.
    async fn send_attachment(
        &self,
        to: &UserId,
        attachment: &OutgoingAttachment,
    ) -> Result<SentMessage>;

    /// Sends `text` to `to` as a reply quoting the message `reply_to`.
    async fn reply(&self, to: &UserId, reply_to: &MessageId, text: &str) -> Result<SentMessage>;

    /// Lists the account's conversations in the order the platform returns them; `cursor` is
    /// `None` for the first page.
    async fn conversations(&self, cursor: Option<&Cursor>) -> Result<Page<Conversation>>;

    /// Lists the messages of one conversation in the order the platform returns them; `cursor`
    /// is `None` for the first page.
    async fn messages(
        &self,
        conversation: &ConversationId,
        cursor: Option<&Cursor>,
    ) -> Result<Page<Message>>;

    /// Tells `user` that the business has read `message` (and, on platforms that only mark a
    /// whole conversation, everything before it).
    async fn mark_read(&self, user: &UserId, message: &MessageId) -> Result<()>;

    /// Fetches what the platform may share about `user`.
    async fn user_profile(&self, user: &UserId) -> Result<UserProfile>;

    /// Turns a webhook body, exactly as received and already signature-checked, into
    /// normalized events, one per item, in document order.
    ///
    /// A body that is not JSON, or not this platform's, is an
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) error. Items the platform
    /// crate does not model come back as [`EventKind::Other`](crate::EventKind::Other) events
    /// with their raw JSON.
    fn parse_webhook(&self, body: &[u8]) -> Result<Vec<WebhookEvent>>;
}
