use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::GraphTime;

/// A conversation of a Page or Instagram account, as `GET /{id}/conversations` lists it.
///
/// Which fields are present depends on the `fields` asked for; all but the id are optional.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Conversation {
    /// The conversation id (`t_…` on Messenger, `aWdf…` on Instagram).
    pub id: String,
    /// When the last message was sent or received.
    #[serde(default)]
    pub updated_time: Option<GraphTime>,
    /// The people in it: the Page or account and the user.
    #[serde(default)]
    pub participants: Option<Participants>,
    /// How many messages it holds.
    #[serde(default)]
    pub message_count: Option<u64>,
    /// How many are unread by the business.
    #[serde(default)]
    pub unread_count: Option<u64>,
    /// The last message's text, shortened.
    #[serde(default)]
    pub snippet: Option<String>,
    /// Fields this type does not model, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Conversation {
    /// The participants other than `account_id` (normally the one user).
    pub fn counterparts<'a>(
        &'a self,
        account_id: &'a str,
    ) -> impl Iterator<Item = &'a Participant> {
        self.participants
            .iter()
            .flat_map(|participants| &participants.data)
            .filter(move |participant| participant.id != account_id)
    }
}

/// A list of participants (`{"data": […]}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Participants {
    /// The participants.
    #[serde(default)]
    pub data: Vec<Participant>,
}

/// A participant of a conversation or the sender of a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Participant {
    /// The PSID, IGSID, Page id or account id.
    pub id: String,
    /// The display name, when shared.
    #[serde(default)]
    pub name: Option<String>,
    /// A relay email address (Messenger).
    #[serde(default)]
    pub email: Option<String>,
    /// The Instagram username.
    #[serde(default)]
    pub username: Option<String>,
}

/// A message of a conversation, as `GET /{conversation-id}/messages` or `GET /{message-id}`
/// returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConversationMessage {
    /// The message's `mid`.
    pub id: String,
    /// When it was sent.
    #[serde(default)]
    pub created_time: Option<GraphTime>,
    /// Who sent it.
    #[serde(default)]
    pub from: Option<Participant>,
    /// Who it went to.
    #[serde(default)]
    pub to: Option<Participants>,
    /// The text; Meta sends `""` for messages without text.
    #[serde(default)]
    pub message: Option<String>,
    /// Its attachments.
    #[serde(default)]
    pub attachments: Option<MessageAttachments>,
    /// Fields this type does not model (`sticker`, `shares`, `story`, `reactions`, …), as
    /// sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ConversationMessage {
    /// The text, `None` when empty.
    pub fn text(&self) -> Option<&str> {
        self.message.as_deref().filter(|text| !text.is_empty())
    }

    /// The attachments, empty when none.
    pub fn attachment_list(&self) -> &[MessageAttachment] {
        self.attachments.as_ref().map_or(&[], |list| &list.data)
    }
}

/// A list of attachments (`{"data": […]}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageAttachments {
    /// The attachments.
    #[serde(default)]
    pub data: Vec<MessageAttachment>,
}

/// An attachment of a fetched message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageAttachment {
    /// The attachment id.
    #[serde(default)]
    pub id: Option<String>,
    /// Its MIME type, such as `image/jpeg`.
    #[serde(default)]
    pub mime_type: Option<String>,
    /// Its file name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its size in bytes.
    #[serde(default)]
    pub size: Option<u64>,
    /// The download URL of a file.
    #[serde(default)]
    pub file_url: Option<String>,
    /// An image's URLs and size.
    #[serde(default)]
    pub image_data: Option<ImageData>,
    /// A video's URLs.
    #[serde(default)]
    pub video_data: Option<VideoData>,
    /// Fields this type does not model, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `image_data` of a fetched attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageData {
    /// The full image.
    #[serde(default)]
    pub url: Option<String>,
    /// A preview.
    #[serde(default)]
    pub preview_url: Option<String>,
    /// Width in pixels.
    #[serde(default)]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(default)]
    pub height: Option<u32>,
}

/// `video_data` of a fetched attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoData {
    /// The video.
    #[serde(default)]
    pub url: Option<String>,
    /// A preview image.
    #[serde(default)]
    pub preview_url: Option<String>,
}

impl Conversation {
    /// The conversation in the normalized model of `messaging_core`, for the business
    /// account `account_id` on `platform`. A conversation without `updated_time` gets 0.
    pub fn to_core(
        &self,
        platform: messaging_core::PlatformKind,
        account_id: &str,
    ) -> messaging_core::Conversation {
        let updated_ms = self
            .updated_time
            .map_or(0, |time| time.unix_timestamp().saturating_mul(1_000));
        let mut conversation =
            messaging_core::Conversation::new(platform, self.id.as_str(), account_id, updated_ms);
        for participant in self.participants.iter().flat_map(|p| &p.data) {
            conversation = conversation.with_participant(participant.to_core());
        }
        if let Some(snippet) = &self.snippet {
            conversation = conversation.with_snippet(snippet.clone());
        }
        if let Some(unread) = self.unread_count {
            conversation = conversation.with_unread_count(unread);
        }
        conversation
    }
}

impl Participant {
    /// The participant in the normalized model.
    pub fn to_core(&self) -> messaging_core::Participant {
        let mut participant = messaging_core::Participant::new(self.id.as_str());
        if let Some(name) = &self.name {
            participant = participant.with_name(name.clone());
        }
        if let Some(username) = &self.username {
            participant = participant.with_username(username.clone());
        }
        participant
    }
}

impl ConversationMessage {
    /// The message in the normalized model, for the business account `account_id`: outbound
    /// when the account sent it, inbound otherwise. `None` when Meta left out who sent it or
    /// to whom, which the model needs.
    pub fn to_core(
        &self,
        platform: messaging_core::PlatformKind,
        account_id: &str,
        conversation_id: &str,
    ) -> Option<messaging_core::Message> {
        use messaging_core::{Attachment, AttachmentKind, Direction};

        let from = self.from.as_ref()?;
        let to = self.to.as_ref()?.data.first()?;
        let direction = if from.id == account_id {
            Direction::Outbound
        } else {
            Direction::Inbound
        };
        let timestamp_ms = self
            .created_time
            .map_or(0, |time| time.unix_timestamp().saturating_mul(1_000));
        let mut message = messaging_core::Message::new(
            platform,
            self.id.as_str(),
            account_id,
            direction,
            from.id.as_str(),
            to.id.as_str(),
            timestamp_ms,
        )
        .with_conversation_id(conversation_id);
        if let Some(text) = self.text() {
            message = message.with_text(text);
        }
        for attachment in self.attachment_list() {
            let mime = attachment.mime_type.as_deref().unwrap_or_default();
            let kind = if mime.starts_with("image/") || attachment.image_data.is_some() {
                AttachmentKind::Image
            } else if mime.starts_with("video/") || attachment.video_data.is_some() {
                AttachmentKind::Video
            } else if mime.starts_with("audio/") {
                AttachmentKind::Audio
            } else {
                AttachmentKind::File
            };
            let url = attachment
                .image_data
                .as_ref()
                .and_then(|data| data.url.clone())
                .or_else(|| attachment.video_data.as_ref().and_then(|d| d.url.clone()))
                .or_else(|| attachment.file_url.clone());
            let mut normalized = Attachment::new(kind);
            if let Some(url) = url {
                normalized = normalized.with_url(url);
            }
            if let Some(id) = &attachment.id {
                normalized = normalized.with_media_id(id.clone());
            }
            message = message.with_attachment(normalized);
        }
        if let Some(sticker) = self.extra.get("sticker").and_then(Value::as_str) {
            message =
                message.with_attachment(Attachment::new(AttachmentKind::Sticker).with_url(sticker));
        }
        Some(message)
    }
}
