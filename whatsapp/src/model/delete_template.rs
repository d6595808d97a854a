use super::TemplateId;

/// Which templates `DELETE /{waba-id}/message_templates` removes, as query parameters.
///
/// By name, every language of the template is deleted; by id (`hsm_id`, which Meta wants
/// together with the name), only that one translation.
///
/// ```
/// use metabiz_whatsapp::model::{DeleteTemplate, TemplateId};
///
/// let by_id = DeleteTemplate::by_id(TemplateId::new("1407680676729941"), "order_confirmation");
/// assert_eq!(
///     by_id.query(),
///     [("hsm_id", "1407680676729941"), ("name", "order_confirmation")]
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteTemplate {
    name: String,
    hsm_id: Option<TemplateId>,
}

impl DeleteTemplate {
    /// Deletes every template called `name`, in all languages.
    pub fn by_name(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            hsm_id: None,
        }
    }

    /// Deletes only the template `id` (one language of `name`).
    pub fn by_id(id: TemplateId, name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            hsm_id: Some(id),
        }
    }

    /// The template name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The template id, when deleting a single translation.
    pub fn hsm_id(&self) -> Option<&TemplateId> {
        self.hsm_id.as_ref()
    }

    /// The query parameters, in the order Meta documents them.
    pub fn query(&self) -> Vec<(&'static str, &str)> {
        let mut query = Vec::with_capacity(2);
        if let Some(id) = &self.hsm_id {
            query.push(("hsm_id", id.as_str()));
        }
        query.push(("name", self.name.as_str()));
        query
    }
}
