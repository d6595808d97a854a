//! The values of the template webhook fields: status, quality and category changes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{QualityRating, TemplateCategory, lenient};

string_enum! {
    /// What happened to a template (`event` of `message_template_status_update`).
    pub enum TemplateStatusEvent {
        /// Approved: the template can be sent.
        Approved = "APPROVED",
        /// Rejected in review; `reason` says why.
        Rejected = "REJECTED",
        /// Submitted and under review.
        Pending = "PENDING",
        /// Disabled after repeated negative feedback; `disable_info` says when.
        Disabled = "DISABLED",
        /// Paused after negative feedback or low read rates.
        Paused = "PAUSED",
        /// Deleted, in the 30-day grace period before it disappears.
        PendingDeletion = "PENDING_DELETION",
        /// Archived after a long time without use.
        Archived = "ARCHIVED",
        /// Taken out of the archive.
        Unarchived = "UNARCHIVED",
        /// Flagged for low quality: it will be disabled unless its quality improves.
        Flagged = "FLAGGED",
        /// Reinstated after being flagged or paused.
        Reinstated = "REINSTATED",
        /// Locked: it cannot be edited; `other_info` says why.
        Locked = "LOCKED",
        /// Unlocked: it can be edited again.
        Unlocked = "UNLOCKED",
        /// The business appealed a rejection.
        InAppeal = "IN_APPEAL",
        /// Approved for a limited audience.
        LimitExceeded = "LIMIT_EXCEEDED",
    }
}

/// The value of a `message_template_status_update` change: a template's review or usage
/// status changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateStatusUpdate {
    /// What happened.
    pub event: TemplateStatusEvent,
    /// The template's id (Meta sends it as a number; kept as text like every id).
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub message_template_id: Option<String>,
    /// The template's name.
    #[serde(default)]
    pub message_template_name: Option<String>,
    /// The template's language and locale, such as `en_US`.
    #[serde(default)]
    pub message_template_language: Option<String>,
    /// Why, for rejections (`NONE` otherwise), such as `INVALID_FORMAT`.
    #[serde(default)]
    pub reason: Option<String>,
    /// The template's category.
    #[serde(default)]
    pub message_template_category: Option<TemplateCategory>,
    /// Every other field (`disable_info`, `other_info`, `rejection_info`, fields Meta adds
    /// later), as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The value of a `message_template_quality_update` change: a template's quality score
/// changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateQualityUpdate {
    /// The score before.
    #[serde(default)]
    pub previous_quality_score: Option<QualityRating>,
    /// The score now.
    #[serde(default)]
    pub new_quality_score: Option<QualityRating>,
    /// The template's id.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub message_template_id: Option<String>,
    /// The template's name.
    #[serde(default)]
    pub message_template_name: Option<String>,
    /// The template's language and locale.
    #[serde(default)]
    pub message_template_language: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The value of a `template_category_update` change: a template's category changed, or will
/// change at `category_update_timestamp`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateCategoryUpdate {
    /// The template's id.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub message_template_id: Option<String>,
    /// The template's name.
    #[serde(default)]
    pub message_template_name: Option<String>,
    /// The template's language and locale.
    #[serde(default)]
    pub message_template_language: Option<String>,
    /// The category before, for a completed change.
    #[serde(default)]
    pub previous_category: Option<TemplateCategory>,
    /// The category now (after a completed change; the current one for an impending change).
    #[serde(default)]
    pub new_category: Option<TemplateCategory>,
    /// The category the template will get, for an impending change.
    #[serde(default)]
    pub correct_category: Option<TemplateCategory>,
    /// When an impending change takes effect, in Unix seconds.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub category_update_timestamp: Option<i64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TemplateCategoryUpdate {
    /// Whether the change is announced but not done yet (Meta sends `correct_category`).
    pub fn is_impending(&self) -> bool {
        self.correct_category.is_some()
    }
}
