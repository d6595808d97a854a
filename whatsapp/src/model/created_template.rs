use serde::{Deserialize, Serialize};

use super::{TemplateCategory, TemplateId, TemplateStatus};

/// The answer to creating a template: its id, its review status (usually `PENDING`, sometimes
/// `APPROVED` at once) and the category Meta assigned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedTemplate {
    /// The new template's id.
    pub id: TemplateId,
    /// The review status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TemplateStatus>,
    /// The category, which may differ from the one requested when category changes are
    /// allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<TemplateCategory>,
}
