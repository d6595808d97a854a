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
