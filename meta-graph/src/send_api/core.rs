//! Conversions between these shapes and the normalized model of `messaging_core`, shared by
//! the Messenger and Instagram `Platform` implementations.

use messaging_core::{AttachmentKind, AttachmentSource, OutgoingAttachment, PlatformKind};

use super::attachment::{Attachment, MediaKind};
use super::conversation::{Conversation, ConversationMessage};
use super::validation::{Problem, ValidationError};
use crate::paging::GraphPage;

impl Attachment {
    /// The Send API attachment for a normalized [`OutgoingAttachment`]: images, videos,
    /// audio and files, by URL or attachment id.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] for what the Send API cannot carry: a caption or file name
    /// (never shown), or another kind of attachment. Refused rather than dropped.
    pub fn from_core(attachment: &OutgoingAttachment) -> Result<Self, ValidationError> {
        let refuse =
            |field: &str, why: &'static str| ValidationError::new(field, Problem::NotAllowed(why));
        if attachment.caption.is_some() {
            return Err(refuse(
                "caption",
                "the Send API shows no caption on attachments",
            ));
        }
        if attachment.filename.is_some() {
            return Err(refuse("filename", "the Send API takes no file name"));
        }
        let kind = match attachment.kind {
            AttachmentKind::Image => MediaKind::Image,
            AttachmentKind::Video => MediaKind::Video,
            AttachmentKind::Audio => MediaKind::Audio,
            AttachmentKind::File => MediaKind::File,
            _ => {
                return Err(refuse(
                    "attachment.kind",
                    "the Send API sends images, videos, audio and files as attachments",
                ));
            }
        };
        match &attachment.source {
            AttachmentSource::Url(url) => Ok(Self::url(kind, url.clone())),
            AttachmentSource::MediaId(id) => Ok(Self::attachment_id(kind, id.clone())),
            _ => Err(refuse("attachment.source", "send by URL or attachment_id")),
        }
    }
}

/// One page of conversations in the normalized model, with the cursor of the next page when
/// there is one.
pub fn conversation_page(
    page: &GraphPage<Conversation>,
    platform: PlatformKind,
    account_id: &str,
) -> messaging_core::Page<messaging_core::Conversation> {
    let items = page
        .data
        .iter()
        .map(|conversation| conversation.to_core(platform, account_id))
        .collect();
    messaging_core::Page::new(items, next_cursor(page))
}

/// One page of a conversation's messages in the normalized model; messages Meta sent
/// without a sender or recipient are left out.
pub fn message_page(
    page: &GraphPage<ConversationMessage>,
    platform: PlatformKind,
    account_id: &str,
    conversation_id: &str,
) -> messaging_core::Page<messaging_core::Message> {
    let items = page
        .data
        .iter()
        .filter_map(|message| message.to_core(platform, account_id, conversation_id))
        .collect();
    messaging_core::Page::new(items, next_cursor(page))
}

fn next_cursor<T>(page: &GraphPage<T>) -> Option<messaging_core::Cursor> {
    page.has_next
        .then(|| page.next_cursor().map(messaging_core::Cursor::new))
        .flatten()
}
