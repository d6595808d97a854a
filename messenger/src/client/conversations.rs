//! The Conversations API: the Page's conversations and their messages, for backfill and
//! incremental sync.

use std::future::ready;

use futures_core::Stream;
use futures_util::StreamExt as _;
use meta_graph::send_api::{Conversation, ConversationMessage};
use time::OffsetDateTime;

use super::MessengerClient;
use crate::{ConversationId, Error};

/// The conversation fields fetched: everything [`Conversation`] models.
pub const CONVERSATION_FIELDS: &str =
    "id,updated_time,participants,message_count,unread_count,snippet";

/// The message fields fetched: everything [`ConversationMessage`] models, plus stickers and
/// shares (kept in `extra`).
pub const MESSAGE_FIELDS: &str = "id,created_time,from,to,message,attachments,sticker,shares";

impl MessengerClient {
    /// The Page's Messenger conversations, most recently updated first, page by page
    /// (`GET /{page-id}/conversations?platform=messenger`).
    ///
    /// The stream ends after the last page or the first error, which it yields. Meta allows
    /// the Conversations API about 2 calls a second per Page; each page is one call.
    pub fn conversations(
        &self,
    ) -> impl Stream<Item = Result<Conversation, Error>> + Send + 'static {
        self.graph
            .get(&format!("{}/conversations", self.page_id.as_str()))
            .token(&self.token)
            .throttle(&self.throttle)
            .query("platform", "messenger")
            .query("fields", CONVERSATION_FIELDS)
            .paginate::<Conversation>()
            .map(|item| item.map_err(Error::graph_failure))
    }

    /// The conversations updated at or after `since`: [`conversations`](Self::conversations)
    /// read until the first one updated earlier, so an incremental sync fetches only the
    /// pages it needs.
    pub fn conversations_updated_since(
        &self,
        since: OffsetDateTime,
    ) -> impl Stream<Item = Result<Conversation, Error>> + Send + 'static {
        self.conversations().take_while(move |item| {
            ready(match item {
                // A conversation without a time cannot be placed: keep it, let the caller see it.
                Ok(conversation) => conversation
                    .updated_time
                    .is_none_or(|updated| updated.0 >= since),
                Err(_) => true,
            })
        })
    }

    /// The messages of one conversation, newest first, page by page
    /// (`GET /{conversation-id}/messages`).
    pub fn messages(
        &self,
        conversation: &ConversationId,
    ) -> impl Stream<Item = Result<ConversationMessage, Error>> + Send + 'static {
        self.graph
            .get(&format!("{}/messages", conversation.as_str()))
            .token(&self.token)
            .throttle(&self.throttle)
            .query("fields", MESSAGE_FIELDS)
            .paginate::<ConversationMessage>()
            .map(|item| item.map_err(Error::graph_failure))
    }

    /// The messages of one conversation created at or after `since`, newest first: read until
    /// the first older one.
    pub fn messages_since(
        &self,
        conversation: &ConversationId,
        since: OffsetDateTime,
    ) -> impl Stream<Item = Result<ConversationMessage, Error>> + Send + 'static {
        self.messages(conversation).take_while(move |item| {
            ready(match item {
                Ok(message) => message
                    .created_time
                    .is_none_or(|created| created.0 >= since),
                Err(_) => true,
            })
        })
    }
}
