use serde::{Deserialize, Serialize};

use crate::{MessageId, PlatformKind, UserId};

/// What a platform answers when it accepted a message for delivery.
///
/// Accepted is not delivered: delivery and read reports arrive later as webhooks, keyed by
/// [`SentMessage::message_id`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentMessage {
    /// The platform that accepted the message.
    pub platform: PlatformKind,
    /// The id of the new message (wamid or mid); status webhooks refer to it.
    pub message_id: MessageId,
    /// Who the message is for, as the platform reported it.
    pub recipient: UserId,
    /// When the platform accepted it, in Unix milliseconds, if the response says (the Send
    /// APIs usually do not).
    pub timestamp_ms: Option<i64>,
}

impl SentMessage {
    /// A sent message with no known timestamp.
    pub fn new(
        platform: PlatformKind,
        message_id: impl Into<MessageId>,
        recipient: impl Into<UserId>,
    ) -> Self {
        Self {
            platform,
            message_id: message_id.into(),
            recipient: recipient.into(),
            timestamp_ms: None,
        }
    }

    /// Sets the timestamp.
    pub fn with_timestamp_ms(mut self, timestamp_ms: i64) -> Self {
        self.timestamp_ms = Some(timestamp_ms);
        self
    }
}
