//! [`Platform`] for [`WhatsAppClient`]: WhatsApp behind the crate family's common interface.

use async_trait::async_trait;
use messaging_core::{
    AccountId, AttachmentKind, AttachmentSource, Conversation, ConversationId, Cursor, Message,
    MessageId, OutgoingAttachment, Page, Platform, PlatformKind, SentMessage, UserId, UserProfile,
    WebhookEvent,
};

use crate::send::{
    Audio, Document, Image, MarkRead, MediaSource, OutgoingMessage, Recipient, Sticker, Text, Video,
};
use crate::validation as validate;
use crate::{Bsuid, Error, ErrorKind, MediaId, ValidationProblem, WaId, Wamid, WhatsAppClient};

/// WhatsApp through the platform-neutral [`Platform`] trait.
///
/// - A [`UserId`] is a `wa_id` (digits, such as `16505551234`), or a business-scoped user id
///   when it has the `CC.digits` form of one (such as `US.13491208655302741918`).
/// - [`conversations`](Platform::conversations) and [`messages`](Platform::messages) fail with
///   [`ErrorKind::Unsupported`](messaging_core::ErrorKind::Unsupported): the Cloud API keeps
///   no history to fetch; messages exist for the app only as they arrive by webhook. The
///   same goes for [`user_profile`](Platform::user_profile): a user's name comes with their
///   messages (`contacts[].profile.name`), never by lookup.
/// - Attachments may be images, videos, audio, files (sent as documents, with the caption and
///   file name) and stickers, by URL or uploaded media id; other kinds fail with
///   [`ErrorKind::Validation`](messaging_core::ErrorKind::Validation).
#[async_trait]
impl Platform for WhatsAppClient {
    fn kind(&self) -> PlatformKind {
        PlatformKind::WhatsApp
    }

    fn account_id(&self) -> &AccountId {
        &self.account_id
    }

    async fn send_text(&self, to: &UserId, text: &str) -> messaging_core::Result<SentMessage> {
        let message = Text::new(recipient(to), text).build()?;
        self.send_normalized(to, &message).await
    }

    async fn send_attachment(
        &self,
        to: &UserId,
        attachment: &OutgoingAttachment,
    ) -> messaging_core::Result<SentMessage> {
        let message = attachment_message(recipient(to), attachment)?;
        self.send_normalized(to, &message).await
    }

    async fn reply(
        &self,
        to: &UserId,
        reply_to: &MessageId,
        text: &str,
    ) -> messaging_core::Result<SentMessage> {
        let message = Text::new(recipient(to), text)
            .reply_to(Wamid::new(reply_to.as_str()))
            .build()?;
        self.send_normalized(to, &message).await
    }

    async fn conversations(
        &self,
        _cursor: Option<&Cursor>,
    ) -> messaging_core::Result<Page<Conversation>> {
        Err(messaging_core::Error::unsupported(
            PlatformKind::WhatsApp,
            "conversations",
        ))
    }

    async fn messages(
        &self,
        _conversation: &ConversationId,
        _cursor: Option<&Cursor>,
    ) -> messaging_core::Result<Page<Message>> {
        Err(messaging_core::Error::unsupported(
            PlatformKind::WhatsApp,
            "messages",
        ))
    }

    async fn mark_read(&self, _user: &UserId, message: &MessageId) -> messaging_core::Result<()> {
        let receipt = MarkRead::new(Wamid::new(message.as_str())).build()?;
        WhatsAppClient::mark_read(self, &receipt).await?;
        Ok(())
    }

    async fn user_profile(&self, _user: &UserId) -> messaging_core::Result<UserProfile> {
        Err(messaging_core::Error::unsupported(
            PlatformKind::WhatsApp,
            "user_profile",
        ))
    }

    fn parse_webhook(&self, body: &[u8]) -> messaging_core::Result<Vec<WebhookEvent>> {
        Ok(crate::webhook::parse_events(body)?)
    }
}

impl WhatsAppClient {
    async fn send_normalized(
        &self,
        to: &UserId,
        message: &OutgoingMessage,
    ) -> messaging_core::Result<SentMessage> {
        let sent = self.send(message).await?;
        let recipient = sent
            .wa_id()
            .map_or_else(|| to.clone(), |wa_id| UserId::new(wa_id.as_str()));
        Ok(SentMessage::new(
            PlatformKind::WhatsApp,
            sent.wamid().as_str(),
            recipient,
        ))
    }
}

/// A business-scoped user id is a country code, a dot and digits; anything else is a `wa_id`.
fn recipient(to: &UserId) -> Recipient {
    let id = to.as_str();
    let is_bsuid = id.split_once('.').is_some_and(|(country, digits)| {
        country.len() == 2
            && country.bytes().all(|b| b.is_ascii_uppercase())
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
    });
    if is_bsuid {
        Recipient::from(Bsuid::new(id))
    } else {
        Recipient::from(WaId::new(id))
    }
}

fn attachment_message(
    to: Recipient,
    attachment: &OutgoingAttachment,
) -> Result<OutgoingMessage, Error> {
    let source = match &attachment.source {
        AttachmentSource::Url(url) => MediaSource::link(url.clone()),
        AttachmentSource::MediaId(id) => MediaSource::id(MediaId::new(id.as_str())),
        _ => {
            return Err(validate::invalid(
                "attachment.source",
                ValidationProblem::Invalid("WhatsApp sends media by URL or by uploaded media id"),
            ));
        }
    };
    let caption = attachment.caption.clone();
    let refuse = |field: &str| {
        validate::invalid(
            field,
            ValidationProblem::Invalid(
                "WhatsApp sends no caption or file name with this kind of attachment",
            ),
        )
    };
    match attachment.kind {
        AttachmentKind::Image => {
            reject_filename(attachment, &refuse)?;
            let mut image = Image::new(to, source);
            if let Some(caption) = caption {
                image = image.caption(caption);
            }
            image.build()
        }
        AttachmentKind::Video => {
            reject_filename(attachment, &refuse)?;
            let mut video = Video::new(to, source);
            if let Some(caption) = caption {
                video = video.caption(caption);
            }
            video.build()
        }
        AttachmentKind::File => {
            let mut document = Document::new(to, source);
            if let Some(caption) = caption {
                document = document.caption(caption);
            }
            if let Some(filename) = &attachment.filename {
                document = document.filename(filename.clone());
            }
            document.build()
        }
        AttachmentKind::Audio | AttachmentKind::Sticker => {
            if attachment.caption.is_some() {
                return Err(refuse("caption"));
            }
            reject_filename(attachment, &refuse)?;
            if attachment.kind == AttachmentKind::Audio {
                Audio::new(to, source).build()
            } else {
                Sticker::new(to, source).build()
            }
        }
        _ => Err(validate::invalid(
            "attachment.kind",
            ValidationProblem::Invalid(
                "WhatsApp sends images, videos, audio, files and stickers as media",
            ),
        )),
    }
}

fn reject_filename(
    attachment: &OutgoingAttachment,
    refuse: &impl Fn(&str) -> Error,
) -> Result<(), Error> {
    if attachment.filename.is_some() {
        return Err(refuse("filename"));
    }
    Ok(())
}

/// Maps this crate's errors onto the platform-neutral kinds; the original error stays
/// reachable as the source (and, for Graph failures, the Graph error's mapping decides).
impl From<Error> for messaging_core::Error {
    fn from(error: Error) -> Self {
        use messaging_core::ErrorKind as Core;

        let kind = match error.kind() {
            ErrorKind::InvalidJson | ErrorKind::UnexpectedObject | ErrorKind::InvalidPayload => {
                Core::InvalidInput
            }
            ErrorKind::Validation => Core::Validation,
            ErrorKind::OutsideWindow => Core::OutsideWindow,
            ErrorKind::Throttled { retry_after } => Core::Throttled { retry_after },
            ErrorKind::Ambiguous => Core::Ambiguous,
            ErrorKind::Unauthorized => Core::Unauthorized,
            ErrorKind::Api => {
                // The Graph error knows best (permission, not found, …): let it decide.
                return match error.into_source() {
                    Some(source) => match source.downcast::<meta_graph::Error>() {
                        Ok(graph) => messaging_core::Error::from(*graph),
                        Err(other) => messaging_core::Error::with_source(Core::Api, other),
                    },
                    None => messaging_core::Error::new(Core::Api),
                };
            }
            ErrorKind::Io => Core::Other,
            ErrorKind::UnexpectedResponse | ErrorKind::MediaMismatch => Core::Api,
        };
        messaging_core::Error::with_source(kind, error)
    }
}
