//! [`Platform`] for [`InstagramClient`]: an Instagram professional account behind the crate
//! family's common interface.

use async_trait::async_trait;
use messaging_core::{
    AccountId, Conversation, ConversationId, Cursor, Message, MessageId, OutgoingAttachment, Page,
    Platform, PlatformKind, SentMessage, UserId, UserProfile, WebhookEvent,
};
use meta_graph::send_api::{Attachment, SendMessage, conversation_page, message_page};

use crate::client::UserProfileField;
use crate::limits::LIMITS;
use crate::{Error, ErrorKind, Igsid, InstagramClient};

/// An Instagram account through the platform-neutral [`Platform`] trait, on either login
/// path.
///
/// - A [`UserId`] is an IGSID. Messages go out as `RESPONSE`s; outside the standard window use
///   [`InstagramClient::send_in_window`].
/// - Attachments may be images, videos, audio and files by URL or attachment id; a caption or
///   file name fails with [`ErrorKind::Validation`](messaging_core::ErrorKind::Validation)
///   rather than being lost.
/// - [`conversations`](Platform::conversations) and [`messages`](Platform::messages) fetch one
///   page each; pass the cursor back for the next.
/// - [`mark_read`](Platform::mark_read) marks the conversation seen (`mark_seen`).
#[async_trait]
impl Platform for InstagramClient {
    fn kind(&self) -> PlatformKind {
        PlatformKind::Instagram
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
        let mut request = self.conversations_request();
        if let Some(cursor) = cursor {
            request = request.after(cursor.as_str());
        }
        let page = request
            .page::<meta_graph::send_api::Conversation>()
            .await
            .map_err(Error::graph_failure)?;
        Ok(conversation_page(
            &page,
            PlatformKind::Instagram,
            self.account.as_str(),
        ))
    }

    async fn messages(
        &self,
        conversation: &ConversationId,
        cursor: Option<&Cursor>,
    ) -> messaging_core::Result<Page<Message>> {
        let mut request = self.messages_request(conversation.as_str());
        if let Some(cursor) = cursor {
            request = request.after(cursor.as_str());
        }
        let page = request
            .page::<meta_graph::send_api::ConversationMessage>()
            .await
            .map_err(Error::graph_failure)?;
        Ok(message_page(
            &page,
            PlatformKind::Instagram,
            self.account.as_str(),
            conversation.as_str(),
        ))
    }

    async fn mark_read(&self, user: &UserId, _message: &MessageId) -> messaging_core::Result<()> {
        Ok(self.mark_seen(&Igsid::new(user.as_str())).await?)
    }

    async fn user_profile(&self, user: &UserId) -> messaging_core::Result<UserProfile> {
        let profile =
            InstagramClient::user_profile(self, &Igsid::new(user.as_str()), &UserProfileField::ALL)
                .await?;
        let mut normalized = UserProfile::new(PlatformKind::Instagram, user.as_str());
        if let Some(name) = profile.name {
            normalized = normalized.with_name(name);
        }
        if let Some(username) = profile.username {
            normalized = normalized.with_username(username);
        }
        if let Some(pic) = profile.profile_pic {
            normalized = normalized.with_profile_pic(pic);
        }
        if let Some(count) = profile.follower_count {
            normalized = normalized.with_extra("follower_count", count);
        }
        for (key, value) in [
            ("is_user_follow_business", profile.is_user_follow_business),
            ("is_business_follow_user", profile.is_business_follow_user),
            ("is_verified_user", profile.is_verified_user),
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

impl InstagramClient {
    async fn send_normalized(
        &self,
        to: &UserId,
        request: &meta_graph::send_api::SendRequest,
    ) -> messaging_core::Result<SentMessage> {
        let sent = self.send(request).await?;
        let recipient = sent
            .recipient_id
            .map_or_else(|| to.clone(), |igsid| UserId::new(igsid.as_str()));
        Ok(SentMessage::new(
            PlatformKind::Instagram,
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
