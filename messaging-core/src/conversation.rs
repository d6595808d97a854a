use serde::{Deserialize, Serialize};

use crate::{AccountId, ConversationId, Participant, PlatformKind};

/// A conversation between the business account and one person, normalized across platforms.
///
/// Holds what Meta's Conversations API (Messenger and Instagram) can supply: the thread id,
/// its last update time, the participants and, for Messenger, an unread count and a snippet.
/// WhatsApp has no conversations API; a WhatsApp [`Platform`](crate::Platform) answers
/// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) to
/// [`Platform::conversations`](crate::Platform::conversations), and applications build threads
/// from webhooks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Conversation {
    /// The platform of the conversation.
    pub platform: PlatformKind,
    /// The conversation id (Graph `id`).
    pub id: ConversationId,
    /// The business account the conversation belongs to.
    pub account_id: AccountId,
    /// Everyone in the conversation, the business account included.
    pub participants: Vec<Participant>,
    /// When the last message was added, in Unix milliseconds (Graph `updated_time`).
    pub updated_time_ms: i64,
    /// The beginning of the latest message, when the platform gives it.
    pub snippet: Option<String>,
    /// How many messages the business has not read, when the platform gives it (Meta calls it
    /// an estimate).
    pub unread_count: Option<u64>,
}

impl Conversation {
    /// A conversation with no participants, snippet or unread count yet.
    pub fn new(
        platform: PlatformKind,
        id: impl Into<ConversationId>,
        account_id: impl Into<AccountId>,
        updated_time_ms: i64,
    ) -> Self {
        Self {
            platform,
            id: id.into(),
            account_id: account_id.into(),
            participants: Vec::new(),
            updated_time_ms,
            snippet: None,
            unread_count: None,
        }
    }

    /// Adds a participant.
    pub fn with_participant(mut self, participant: Participant) -> Self {
        self.participants.push(participant);
        self
    }

    /// Sets the snippet of the latest message.
    pub fn with_snippet(mut self, snippet: impl Into<String>) -> Self {
        self.snippet = Some(snippet.into());
        self
    }

    /// Sets the unread count.
    pub fn with_unread_count(mut self, unread_count: u64) -> Self {
        self.unread_count = Some(unread_count);
        self
    }

    /// The people the business is talking to: every participant except the business account.
    pub fn counterparts(&self) -> impl Iterator<Item = &Participant> {
        self.participants
            .iter()
            .filter(|participant| participant.id.as_str() != self.account_id.as_str())
    }
}
