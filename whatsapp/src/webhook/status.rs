use serde::Deserialize;

use super::{MessageStatus, Pricing, PricingCategory, ReportedError, Timestamp};
use crate::{Bsuid, Wamid};

/// A status update for a message the business sent (`value.statuses[]`).
///
/// Updates arrive at least once and in any order (even `delivered` after `failed`): the pair
/// ([`Status::id`], [`Status::status`]) identifies one.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Status {
    /// The message the update is about.
    pub id: Wamid,
    /// What happened to it.
    pub status: MessageStatus,
    /// When, in Unix seconds.
    #[serde(default)]
    pub timestamp: Option<Timestamp>,
    /// The recipient's WhatsApp id (phone number), or the group id for a group message.
    /// Absent when the message was sent to a BSUID and Meta does not share the number.
    #[serde(default)]
    pub recipient_id: Option<String>,
    /// The recipient's business-scoped user id.
    #[serde(default)]
    pub recipient_user_id: Option<Bsuid>,
    /// The recipient's parent BSUID, when parent BSUIDs are enabled.
    #[serde(default)]
    pub recipient_parent_user_id: Option<Bsuid>,
    /// `individual` or `group`, when Meta says.
    #[serde(default)]
    pub recipient_type: Option<String>,
    /// The member of a group who received the message, for group messages.
    #[serde(default)]
    pub recipient_participant_id: Option<String>,
    /// The string the business attached to the message when sending it.
    #[serde(default)]
    pub biz_opaque_callback_data: Option<String>,
    /// The conversation the message belongs to (conversation-based pricing).
    #[serde(default)]
    pub conversation: Option<Conversation>,
    /// What the message costs.
    #[serde(default)]
    pub pricing: Option<Pricing>,
    /// Why the message failed, for [`MessageStatus::Failed`].
    #[serde(default)]
    pub errors: Vec<ReportedError>,
}

/// The conversation a [`Status`] belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Conversation {
    /// The conversation's id.
    #[serde(default)]
    pub id: Option<String>,
    /// What opened it.
    #[serde(default)]
    pub origin: Option<ConversationOrigin>,
    /// When it expires, in Unix seconds; sent with the first `sent` status.
    #[serde(default)]
    pub expiration_timestamp: Option<Timestamp>,
}

/// What opened a [`Conversation`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ConversationOrigin {
    /// Meta's `type`: the conversation's category.
    #[serde(rename = "type", default)]
    pub origin_type: Option<PricingCategory>,
}
