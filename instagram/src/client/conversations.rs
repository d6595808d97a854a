//! The Conversations API for Instagram: the account's conversations and their messages.

use std::future::ready;

use futures_core::Stream;
use futures_util::StreamExt as _;
use meta_graph::GraphRequest;
use meta_graph::send_api::{Conversation, ConversationMessage};
use time::OffsetDateTime;

use super::InstagramClient;
use crate::Error;

/// The conversation fields fetched. Instagram conversations have no unread count or snippet.
pub const CONVERSATION_FIELDS: &str = "id,updated_time,participants,message_count";

/// The message fields fetched; stories, shares and reactions are kept in `extra`.
pub const MESSAGE_FIELDS: &str =
    "id,created_time,from,to,message,attachments,story,shares,reactions,is_unsupported";

impl InstagramClient {
    pub(crate) fn conversations_request(&self) -> GraphRequest {
        self.graph
            .get(&format!("{}/conversations", self.node()))
            .token(&self.token)
            .throttle(&self.throttle)
            .query("platform", "instagram")
            .query("fields", CONVERSATION_FIELDS)
    }

    pub(crate) fn messages_request(&self, conversation: &str) -> GraphRequest {
        self.graph
            .get(&format!("{conversation}/messages"))
            .token(&self.token)
            .throttle(&self.throttle)
            .query("fields", MESSAGE_FIELDS)
    }

    /// The account's Instagram conversations, most recently updated first, page by page
    /// (`GET /{node}/conversations?platform=instagram`).
    pub fn conversations(
        &self,
    ) -> impl Stream<Item = Result<Conversation, Error>> + Send + 'static {
        self.conversations_request()
            .paginate::<Conversation>()
            .map(|item| item.map_err(Error::graph_failure))
    }

    /// The conversations updated at or after `since`: read until the first one updated
    /// earlier.
    pub fn conversations_updated_since(
        &self,
        since: OffsetDateTime,
    ) -> impl Stream<Item = Result<Conversation, Error>> + Send + 'static {
        self.conversations().take_while(move |item| {
            ready(match item {
                Ok(conversation) => conversation
                    .updated_time
                    .is_none_or(|updated| updated.0 >= since),
                Err(_) => true,
            })
        })
    }

    /// The messages of one conversation, newest first, page by page.
    pub fn messages(
        &self,
        conversation: &str,
    ) -> impl Stream<Item = Result<ConversationMessage, Error>> + Send + 'static {
        self.messages_request(conversation)
            .paginate::<ConversationMessage>()
            .map(|item| item.map_err(Error::graph_failure))
    }

    /// The messages of one conversation created at or after `since`, newest first.
    pub fn messages_since(
        &self,
        conversation: &str,
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
