use serde::{Deserialize, Serialize};

use super::{
    ParameterFormat, QualityScore, RejectedReason, TemplateCategory, TemplateComponent, TemplateId,
    TemplateStatus,
};

/// A message template as `GET /{waba-id}/message_templates` lists it and
/// `GET /{template-id}` returns it.
///
/// The Graph API returns only the fields asked for (`?fields=`), so everything but the id is
/// optional; [`DEFAULT_FIELDS`](Self::DEFAULT_FIELDS) asks for all modelled here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageTemplate {
    /// The template id.
    pub id: TemplateId,
    /// The name, shared by the template's translations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The language and locale code, such as `en_US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The review and usage status; only approved templates can be sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TemplateStatus>,
    /// The category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<TemplateCategory>,
    /// The category before Meta re-categorized the template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_category: Option<TemplateCategory>,
    /// The category Meta considers correct, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correct_category: Option<TemplateCategory>,
    /// The sub-category, such as `ORDER_DETAILS` for some utility templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_category: Option<String>,
    /// How parameters are written in the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<ParameterFormat>,
    /// The components: header, body, footer, buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<TemplateComponent>,
    /// The quality rating, once users have seen the template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_score: Option<QualityScore>,
    /// Why review rejected the template; [`RejectedReason::NotRejected`] otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_reason: Option<RejectedReason>,
    /// How long WhatsApp keeps trying to deliver a message of this template, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_send_ttl_seconds: Option<i64>,
    /// Whether click tracking of URL buttons is turned off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cta_url_link_tracking_opted_out: Option<bool>,
    /// The Template Library template this one was copied from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_template_name: Option<String>,
}

impl MessageTemplate {
    /// The `fields` to request so that every field of this type is filled in.
    pub const DEFAULT_FIELDS: &'static str = "id,name,language,status,category,\
        previous_category,correct_category,sub_category,parameter_format,components,\
        quality_score,rejected_reason,message_send_ttl_seconds,\
        cta_url_link_tracking_opted_out,library_template_name";

    /// Whether the template can be sent now.
    pub fn is_approved(&self) -> bool {
        self.status == Some(TemplateStatus::Approved)
    }
}
