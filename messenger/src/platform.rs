//! [`Platform`] for [`MessengerClient`]: a Facebook Page behind the crate family's common
//! interface.

use async_trait::async_trait;
use messaging_core::{
    AccountId, Conversation, ConversationId, Cursor, Message, MessageId, OutgoingAttachment, Page,
    Platform, PlatformKind, SentMessage, UserId, UserProfile, WebhookEvent,
};
use meta_graph::send_api::{Attachment, SendMessage, conversation_page, message_page};

use crate::client::{CONVERSATION_FIELDS, MESSAGE_FIELDS, UserProfileField};
use crate::limits::LIMITS;
use crate::{Error, ErrorKind, MessengerClient, Psid};

/// A Facebook Page through the platform-neutral [`Platform`] trait.
///
/// - A [`UserId`] is a PSID. Messages go out as `RESPONSE`s: to send outside the standard
///   window, use [`MessengerClient::send_in_window`] with a tag.
/// - Attachments may be images, videos, audio and files, by URL or `attachment_id`; the
///   Messenger Platform shows no caption or file name, so an attachment with either fails
///   with [`ErrorKind::Validation`](messaging_core::ErrorKind::Validation) rather than losing
///   it.
/// - [`conversations`](Platform::conversations) and [`messages`](Platform::messages) fetch one
///   page of the Conversations API each; pass the returned cursor back for the next.
/// - [`mark_read`](Platform::mark_read) marks the whole conversation as seen (`mark_seen`):
///   Messenger has no per-message read receipt.
#[async_trait]
impl Platform for MessengerClient {
    fn kind(&self) -> PlatformKind {
        PlatformKind::Messenger
    }

    fn account_id(&self) -> &AccountId {
        &self.account_id
    }

    async fn send_text(&self, to: &UserId, text: &str) -> messaging_core::Result<SentMessage> {
        let request = SendMessage::text(to.as_str(), text)
            .build(&LIMITS)
            .map_err(Error::from)?;
        self.send_normalized(to, &request).await
    }

    async fn send_attachment(
        &self,
        to: &UserId,
        attachment: &OutgoingAttachment,
    ) -> messaging_core::Result<SentMessage> {
        let attachment = Attachment::from_core(attachment).map_err(Error::from)?;
        let request = SendMessage::attachment(to.as_str(), attachment)
            .build(&LIMITS)
            .map_err(Error::from)?;
        self.send_normalized(to, &request).await
    }

    async fn reply(
        &self,
        to: &UserId,
        reply_to: &MessageId,
        text: &str,
    ) -> messaging_core::Result<SentMessage> {
        let request = SendMessage::text(to.as_str(), text)
            .reply_to(reply_to.as_str())
            .build(&LIMITS)
            .map_err(Error::from)?;
        self.send_normalized(to, &request).await
    }

    async fn conversations(
        &self,
        cursor: Option<&Cursor>,
    ) -> messaging_core::Result<Page<Conversation>> {
        let mut request = self
            .graph
            .get(&format!("{}/conversations", self.page_id.as_str()))
            .token(&self.token)
            .throttle(&self.throttle)
            .query("platform", "messenger")
            .query("fields", CONVERSATION_FIELDS);
        if let Some(cursor) = cursor {
            request = request.after(cursor.as_str());
        }
        let page = request
            .page::<meta_graph::send_api::Conversation>()
            .await
            .map_err(Error::graph_failure)?;
        Ok(conversation_page(
            &page,
            PlatformKind::Messenger,
            self.page_id.as_str(),
        ))
    }

    async fn messages(
        &self,
        conversation: &ConversationId,
        cursor: Option<&Cursor>,
    ) -> messaging_core::Result<Page<Message>> {
        let mut request = self
            .graph
            .get(&format!("{}/messages", conversation.as_str()))
            .token(&self.token)
            .throttle(&self.throttle)
            .query("fields", MESSAGE_FIELDS);
        if let Some(cursor) = cursor {
            request = request.after(cursor.as_str());
        }
        let page = request
            .page::<meta_graph::send_api::ConversationMessage>()
            .await
            .map_err(Error::graph_failure)?;
        Ok(message_page(
            &page,
            PlatformKind::Messenger,
            self.page_id.as_str(),
            conversation.as_str(),
        ))
    }

    async fn mark_read(&self, user: &UserId, _message: &MessageId) -> messaging_core::Result<()> {
        Ok(self.mark_seen(&Psid::new(user.as_str())).await?)
    }

    async fn user_profile(&self, user: &UserId) -> messaging_core::Result<UserProfile> {
        let profile = MessengerClient::user_profile(
            self,
            &Psid::new(user.as_str()),
            &UserProfileField::DEFAULT,
        )
        .await?;
        let mut normalized = UserProfile::new(PlatformKind::Messenger, profile.id.as_str());
        if let Some(name) = profile.display_name() {
            normalized = normalized.with_name(name);
        }
        if let Some(pic) = profile.profile_pic {
            normalized = normalized.with_profile_pic(pic);
        }
        for (key, value) in [
            ("first_name", profile.first_name),
            ("last_name", profile.last_name),
            ("locale", profile.locale),
            ("gender", profile.gender),
        ] {
            if let Some(value) = value {
                normalized = normalized.with_extra(key, value);
            }
        }
        Ok(normalized)
    }

    fn parse_webhook(&self, body: &[u8]) -> messaging_core::Result<Vec<WebhookEvent>> {
        Ok(crate::webhook::parse_events(body)?)
    }
}

impl MessengerClient {
    async fn send_normalized(
        &self,
        to: &UserId,
        request: &meta_graph::send_api::SendRequest,
    ) -> messaging_core::Result<SentMessage> {
        let sent = self.send(request).await?;
        let recipient = sent
            .recipient_id
            .map_or_else(|| to.clone(), |psid| UserId::new(psid.as_str()));
        Ok(SentMessage::new(
            PlatformKind::Messenger,
            sent.mid.as_str(),
            recipient,
        ))
    }
}

/// Maps this crate's errors onto the platform-neutral kinds; for Graph failures, the Graph
/// error's own mapping decides.
impl From<Error> for messaging_core::Error {
    fn from(error: Error) -> Self {
        use messaging_core::ErrorKind as Core;

        let kind = match error.kind() {
            ErrorKind::InvalidJson | ErrorKind::UnexpectedObject | ErrorKind::InvalidPayload => {
                Core::InvalidInput
            }
            ErrorKind::Validation => Core::Validation,
            ErrorKind::WindowClosed | ErrorKind::OutsideWindow => Core::OutsideWindow,
            ErrorKind::Throttled { retry_after } => Core::Throttled { retry_after },
            ErrorKind::Ambiguous => Core::Ambiguous,
            ErrorKind::Unauthorized => Core::Unauthorized,
            ErrorKind::PermissionDenied | ErrorKind::ProfileUnavailable => Core::PermissionDenied,
            ErrorKind::Io => Core::Other,
            ErrorKind::UnexpectedResponse => Core::Api,
            ErrorKind::Api => {
                return match error.into_source() {
                    Some(source) => match source.downcast::<meta_graph::Error>() {
                        Ok(graph) => messaging_core::Error::from(*graph),
                        Err(other) => messaging_core::Error::with_source(Core::Api, other),
                    },
                    None => messaging_core::Error::new(Core::Api),
                };
            }
        };
        messaging_core::Error::with_source(kind, error)
    }
}
