use crate::ValidationProblem;
use serde::Serialize;

use super::template_limits::NAME_MAX_CHARS;
use super::{ComponentType, ParameterFormat, TemplateCategory, TemplateComponent};
use crate::Error;
use crate::validation as validate;

/// The body of `POST /{waba-id}/message_templates`: a new template to submit for review.
///
/// Required values go in [`new`](Self::new), the rest through the builder methods.
/// [`validate`](Self::validate) checks the limits of [`template_limits`](super::template_limits)
/// before anything is sent.
///
/// ```
/// use metabiz_whatsapp::model::{CreateTemplate, ParameterFormat, TemplateCategory, TemplateComponent};
///
/// let template = CreateTemplate::new("order_confirmation", "en_US", TemplateCategory::Utility)
///     .parameter_format(ParameterFormat::Named)
///     .component(
///         TemplateComponent::body("Thank you, {{first_name}}! Your order number is {{order_number}}.")
///             .with_named_example("first_name", "Pablo")
///             .with_named_example("order_number", "860198-230332"),
///     );
/// template.validate()?;
/// let body = serde_json::to_value(&template).unwrap();
/// assert_eq!(body["parameter_format"], "NAMED");
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreateTemplate {
    /// The name: lowercase letters, digits and underscores, at most 512 characters. Names
    /// repeat across the translations of a template.
    pub name: String,
    /// The language and locale code, such as `en_US`.
    pub language: String,
    /// The category.
    pub category: TemplateCategory,
    /// How parameters are written; Meta assumes positional when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<ParameterFormat>,
    /// Whether Meta may assign another category instead of rejecting the template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_category_change: Option<bool>,
    /// How long WhatsApp keeps trying to deliver messages of this template, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_send_ttl_seconds: Option<i64>,
    /// The components: at most one header, the body, at most one footer and one set of
    /// buttons.
    pub components: Vec<TemplateComponent>,
}

impl CreateTemplate {
    /// A template called `name` in `language` (such as `en_US`) and `category`, without
    /// components yet.
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
        category: TemplateCategory,
    ) -> Self {
        Self {
            name: name.into(),
            language: language.into(),
            category,
            parameter_format: None,
            allow_category_change: None,
            message_send_ttl_seconds: None,
            components: Vec::new(),
        }
    }

    /// Sets how parameters are written.
    pub fn parameter_format(mut self, format: ParameterFormat) -> Self {
        self.parameter_format = Some(format);
        self
    }

    /// Lets Meta assign another category instead of rejecting the template.
    pub fn allow_category_change(mut self, allow: bool) -> Self {
        self.allow_category_change = Some(allow);
        self
    }

    /// Sets the delivery time-to-live, in seconds.
    pub fn message_send_ttl_seconds(mut self, seconds: i64) -> Self {
        self.message_send_ttl_seconds = Some(seconds);
        self
    }

    /// Appends a component.
    pub fn component(mut self, component: TemplateComponent) -> Self {
        self.components.push(component);
        self
    }

    /// Appends components.
    pub fn components(mut self, components: impl IntoIterator<Item = TemplateComponent>) -> Self {
        self.components.extend(components);
        self
    }

    /// Checks the template against the limits Meta documents: the name's characters and
    /// length, one body and at most one header, footer and set of buttons, text lengths,
    /// button counts and labels, and an example for every parameter.
    ///
    /// Fails with [`ErrorKind::Validation`](crate::ErrorKind::Validation); see
    /// [`Error::validation`](crate::Error::validation) for the field at fault.
    pub fn validate(&self) -> Result<(), Error> {
        self.check()
    }

    fn check(&self) -> Result<(), Error> {
        check_template_name(&self.name)?;
        if self.language.is_empty() {
            return Err(validate::invalid("language", ValidationProblem::Empty));
        }
        for (index, component) in self.components.iter().enumerate() {
            component.check(&format!("components[{index}]"))?;
        }
        let count = |kind: ComponentType| {
            self.components
                .iter()
                .filter(|component| component.kind == kind)
                .count()
        };
        if count(ComponentType::Body) == 0 {
            return Err(validate::invalid(
                "components (BODY)",
                ValidationProblem::Missing,
            ));
        }
        for kind in [
            ComponentType::Header,
            ComponentType::Body,
            ComponentType::Footer,
            ComponentType::Buttons,
        ] {
            validate::max_items(count(kind.clone()), 1, format!("components ({kind})"))?;
        }
        Ok(())
    }
}

fn check_template_name(name: &str) -> Result<(), Error> {
    validate::required(name, NAME_MAX_CHARS, "name")?;
    let allowed = |byte: u8| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_';
    if !name.bytes().all(allowed) {
        return Err(validate::invalid(
            "name",
            ValidationProblem::InvalidCharacters {
                allowed: "lowercase letters, digits and underscores",
            },
        ));
    }
    Ok(())
}
