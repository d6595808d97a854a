use serde::{Deserialize, Serialize};

use crate::{
    AccountId, Attachment, ConversationId, DeliveryStatus, Direction, EventKind, MessageId,
    PlatformKind, UserId, WebhookEvent,
};

/// A message in a conversation, normalized across platforms.
///
/// Built from a webhook with [`Message::from_event`], or by a [`Platform`](crate::Platform)
/// from the Conversations API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// The platform of the message.
    pub platform: PlatformKind,
    /// The wamid or mid.
    pub id: MessageId,
    /// The conversation it belongs to, when known (webhooks do not say).
    pub conversation_id: Option<ConversationId>,
    /// The business account on one side of the message.
    pub account_id: AccountId,
    /// Whether the person sent it to the business or the business to the person.
    pub direction: Direction,
    /// Who sent it.
    pub sender: UserId,
    /// Who it was sent to.
    pub recipient: UserId,
    /// The text or caption, exactly as sent.
    pub text: Option<String>,
    /// Attachments, empty when none.
    pub attachments: Vec<Attachment>,
    /// The message this one replies to.
    pub reply_to: Option<MessageId>,
    /// When it was sent, in Unix milliseconds.
    pub timestamp_ms: i64,
    /// How far an outbound message got, folded with [`DeliveryStatus::merge`]; `None` for
    /// inbound messages and when nothing is known.
    pub status: Option<DeliveryStatus>,
}

impl Message {
    /// A message with no text, attachments, reply, conversation or status.
    ///
    /// Which of `sender` and `recipient` is the business follows from `direction`; the other
    /// is the person.
    pub fn new(
        platform: PlatformKind,
        id: impl Into<MessageId>,
        account_id: impl Into<AccountId>,
        direction: Direction,
        sender: impl Into<UserId>,
        recipient: impl Into<UserId>,
        timestamp_ms: i64,
    ) -> Self {
        Self {
            platform,
            id: id.into(),
            conversation_id: None,
            account_id: account_id.into(),
            direction,
            sender: sender.into(),
            recipient: recipient.into(),
            text: None,
            attachments: Vec::new(),
            reply_to: None,
            timestamp_ms,
            status: None,
        }
    }

    /// Builds the message a [`EventKind::Message`] or [`EventKind::Echo`] event carries.
    ///
    /// A message event is [`Direction::Inbound`]; an echo, the business's own message coming
    /// back, is [`Direction::Outbound`] with status [`DeliveryStatus::Sent`], since Meta only
    /// echoes what it accepted. When the event lacks an account id, sender or recipient, the
    /// business side is filled from the others.
    ///
    /// Returns `None` for any other kind of event, and when the event lacks what a message
    /// needs: a message id, a timestamp, the person's id, or any way to tell the business
    /// account.
    pub fn from_event(event: &WebhookEvent) -> Option<Self> {
        let direction = match event.kind {
            EventKind::Message => Direction::Inbound,
            EventKind::Echo => Direction::Outbound,
            _ => return None,
        };
        let (business_side, person_side) = match direction {
            Direction::Inbound => (&event.recipient_id, &event.sender_id),
            Direction::Outbound => (&event.sender_id, &event.recipient_id),
        };
        let account = event.account_id.as_ref().or(business_side.as_ref())?;
        let business = business_side.as_ref().unwrap_or(account);
        let person = person_side.as_ref()?;
        let (sender, recipient) = match direction {
            Direction::Inbound => (person, business),
            Direction::Outbound => (business, person),
        };

        let mut message = Self::new(
            event.platform,
            event.message_id.as_deref()?,
            account.as_str(),
            direction,
            sender.as_str(),
            recipient.as_str(),
            event.timestamp_ms?,
        );
        message.text.clone_from(&event.text);
        message.attachments.clone_from(&event.attachments);
        message.reply_to = event.reply_to.as_deref().map(MessageId::from);
        if direction == Direction::Outbound {
            message.status = Some(DeliveryStatus::Sent);
        }
        Some(message)
    }

    /// Sets the conversation.
    pub fn with_conversation_id(mut self, conversation_id: impl Into<ConversationId>) -> Self {
        self.conversation_id = Some(conversation_id.into());
        self
    }

    /// Sets the text.
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Adds an attachment.
    pub fn with_attachment(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }

    /// Sets the message this one replies to.
    pub fn with_reply_to(mut self, reply_to: impl Into<MessageId>) -> Self {
        self.reply_to = Some(reply_to.into());
        self
    }

    /// Sets the delivery status.
    pub fn with_status(mut self, status: DeliveryStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Folds a newly reported status into [`Message::status`] with [`DeliveryStatus::merge`],
    /// so reports can be applied in the order they arrive.
    pub fn apply_status(&mut self, status: DeliveryStatus) {
        self.status = Some(match self.status {
            Some(current) => current.merge(status),
            None => status,
        });
    }

    /// The person's side of the message: the sender if inbound, the recipient if outbound.
    pub fn counterpart(&self) -> &UserId {
        match self.direction {
            Direction::Inbound => &self.sender,
            Direction::Outbound => &self.recipient,
        }
    }
}
