use crate::Error;
use crate::ValidationProblem;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::template_limits::{
    BODY_TEXT_MAX_CHARS, BUTTONS_MAX, COPY_CODE_BUTTONS_MAX, FOOTER_TEXT_MAX_CHARS,
    HEADER_TEXT_MAX_CHARS, HEADER_TEXT_MAX_PARAMETERS, PHONE_NUMBER_BUTTONS_MAX,
    QUICK_REPLY_BUTTONS_MAX, URL_BUTTONS_MAX,
};
use super::{
    ButtonType, ComponentExample, ComponentType, HeaderFormat, NamedParameterExample,
    TemplateButton, TemplateCard,
};
use crate::validation as validate;

/// One component of a message template (`components[]`), as created and as listed: a
/// header, the body, a footer, the buttons, or a type this version does not know.
///
/// The same shape serves both directions, so a listed template can be edited and sent back.
/// Fields this version does not model are kept in [`extra`](Self::extra).
///
/// ```
/// use metabiz_whatsapp::model::{TemplateButton, TemplateComponent};
///
/// let components = vec![
///     TemplateComponent::header_text("Our {{1}} is on!").with_examples(["Summer Sale"]),
///     TemplateComponent::body("Use code {{1}} to get {{2}} off.").with_examples(["25OFF", "25%"]),
///     TemplateComponent::footer("Reply STOP to opt out"),
///     TemplateComponent::buttons([TemplateButton::quick_reply("Unsubscribe")]),
/// ];
/// # assert_eq!(components.len(), 4);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateComponent {
    /// The component type.
    #[serde(rename = "type")]
    pub kind: ComponentType,
    /// A header's format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<HeaderFormat>,
    /// The text of a text header, the body or the footer, with its placeholders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Example values for the placeholders, or the asset handle of a media header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<ComponentExample>,
    /// The buttons of a `BUTTONS` component.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<TemplateButton>,
    /// The cards of a `CAROUSEL` component.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<TemplateCard>,
    /// Whether an authentication body adds Meta's "do not share this code" warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_security_recommendation: Option<bool>,
    /// The code validity an authentication footer announces, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_expiration_minutes: Option<u32>,
    /// Fields this version does not model, as Meta sent them.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TemplateComponent {
    /// A component of `kind` with no fields set; prefer the typed constructors.
    pub fn new(kind: ComponentType) -> Self {
        Self {
            kind,
            format: None,
            text: None,
            example: None,
            buttons: Vec::new(),
            cards: Vec::new(),
            add_security_recommendation: None,
            code_expiration_minutes: None,
            extra: Map::new(),
        }
    }

    /// A text header (at most 60 characters and one parameter).
    pub fn header_text(text: impl Into<String>) -> Self {
        let mut header = Self::new(ComponentType::Header);
        header.format = Some(HeaderFormat::Text);
        header.text = Some(text.into());
        header
    }

    /// A media header (`IMAGE`, `VIDEO`, `DOCUMENT`, `GIF`) whose sample is the asset
    /// `handle` returned by the Resumable Upload API.
    pub fn header_media(format: HeaderFormat, handle: impl Into<String>) -> Self {
        let mut header = Self::new(ComponentType::Header);
        header.format = Some(format);
        header.example = Some(ComponentExample {
            header_handle: vec![handle.into()],
            ..ComponentExample::default()
        });
        header
    }

    /// A location header; the location itself is given when the template is sent.
    pub fn header_location() -> Self {
        let mut header = Self::new(ComponentType::Header);
        header.format = Some(HeaderFormat::Location);
        header
    }

    /// The body text (at most 1024 characters).
    pub fn body(text: impl Into<String>) -> Self {
        let mut body = Self::new(ComponentType::Body);
        body.text = Some(text.into());
        body
    }

    /// The footer text (at most 60 characters, no parameters).
    pub fn footer(text: impl Into<String>) -> Self {
        let mut footer = Self::new(ComponentType::Footer);
        footer.text = Some(text.into());
        footer
    }

    /// The buttons (at most 10).
    pub fn buttons(buttons: impl IntoIterator<Item = TemplateButton>) -> Self {
        let mut component = Self::new(ComponentType::Buttons);
        component.buttons = buttons.into_iter().collect();
        component
    }

    /// A carousel of cards.
    pub fn carousel(cards: impl IntoIterator<Item = TemplateCard>) -> Self {
        let mut component = Self::new(ComponentType::Carousel);
        component.cards = cards.into_iter().collect();
        component
    }

    /// Sets the example values of positional parameters (`{{1}}`, `{{2}}`), in order:
    /// `header_text` for a header, `body_text` for anything else.
    pub fn with_examples<I, S>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        let example = self.example.get_or_insert_with(ComponentExample::default);
        if self.kind == ComponentType::Header {
            example.header_text = values;
        } else {
            example.body_text = vec![values];
        }
        self
    }

    /// Adds the example value of a named parameter (`{{first_name}}`):
    /// `header_text_named_params` for a header, `body_text_named_params` for anything else.
    pub fn with_named_example(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let example = self.example.get_or_insert_with(ComponentExample::default);
        let named = NamedParameterExample::new(name, value);
        if self.kind == ComponentType::Header {
            example.header_text_named_params.push(named);
        } else {
            example.body_text_named_params.push(named);
        }
        self
    }

    /// Sets a field this version does not model.
    pub fn with_field(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Checks this component against Meta's limits; `path` names it in errors.
    ///
    /// Carousel cards are not checked: their limits differ from a template's.
    pub(crate) fn check(&self, path: &str) -> Result<(), Error> {
        let field = |name: &str| format!("{path}.{name}");
        match self.kind {
            ComponentType::Header => match self.format.as_ref() {
                Some(HeaderFormat::Text) | None => {
                    let text = self.text.as_deref().ok_or_else(|| {
                        validate::invalid(field("text"), ValidationProblem::Missing)
                    })?;
                    validate::required(text, HEADER_TEXT_MAX_CHARS, field("text"))?;
                    let parameters = placeholders(text);
                    validate::max_items(
                        parameters.len(),
                        HEADER_TEXT_MAX_PARAMETERS,
                        field("text"),
                    )?;
                    self.check_examples(path, &parameters)?;
                }
                Some(
                    HeaderFormat::Image
                    | HeaderFormat::Video
                    | HeaderFormat::Document
                    | HeaderFormat::Gif,
                ) => {
                    let has_handle = self
                        .example
                        .as_ref()
                        .is_some_and(|example| !example.header_handle.is_empty());
                    if !has_handle {
                        return Err(validate::invalid(
                            field("example.header_handle"),
                            ValidationProblem::Missing,
                        ));
                    }
                }
                Some(_) => {}
            },
            ComponentType::Body => {
                // Authentication bodies have no text: Meta writes it.
                if let Some(text) = &self.text {
                    validate::required(text, BODY_TEXT_MAX_CHARS, field("text"))?;
                    self.check_examples(path, &placeholders(text))?;
                }
            }
            ComponentType::Footer => {
                // Authentication footers have `code_expiration_minutes` instead of text.
                if let Some(text) = &self.text {
                    validate::required(text, FOOTER_TEXT_MAX_CHARS, field("text"))?;
                }
            }
            ComponentType::Buttons => self.check_buttons(path)?,
            _ => {}
        }
        Ok(())
    }

    fn check_buttons(&self, path: &str) -> Result<(), Error> {
        let field = format!("{path}.buttons");
        validate::max_items(self.buttons.len(), BUTTONS_MAX, &field)?;
        let count = |kind: ButtonType| self.buttons.iter().filter(|b| b.kind == kind).count();
        for (kind, max) in [
            (ButtonType::QuickReply, QUICK_REPLY_BUTTONS_MAX),
            (ButtonType::Url, URL_BUTTONS_MAX),
            (ButtonType::PhoneNumber, PHONE_NUMBER_BUTTONS_MAX),
            (ButtonType::CopyCode, COPY_CODE_BUTTONS_MAX),
        ] {
            validate::max_items(count(kind.clone()), max, format!("{field} ({kind})"))?;
        }
        for (index, button) in self.buttons.iter().enumerate() {
            button.check(&format!("{field}[{index}]"))?;
        }
        Ok(())
    }

    /// Every placeholder needs an example: positional ones by position, named ones by name.
    fn check_examples(&self, path: &str, parameters: &[&str]) -> Result<(), Error> {
        let Some(first) = parameters.first() else {
            return Ok(());
        };
        let Some(example) = &self.example else {
            return Err(missing_example(path, first));
        };
        let is_header = self.kind == ComponentType::Header;
        let positional = if is_header {
            example.header_text.len()
        } else {
            example.body_text.first().map_or(0, Vec::len)
        };
        let named = if is_header {
            &example.header_text_named_params
        } else {
            &example.body_text_named_params
        };
        let mut positions = 0;
        for parameter in parameters {
            let covered = if parameter.bytes().all(|b| b.is_ascii_digit()) {
                positions += 1;
                positions <= positional
            } else {
                named.iter().any(|item| item.param_name == *parameter)
            };
            if !covered {
                return Err(missing_example(path, parameter));
            }
        }
        Ok(())
    }
}

fn missing_example(path: &str, parameter: &str) -> Error {
    validate::invalid(
        format!("{path}.example"),
        ValidationProblem::MissingExample {
            parameter: parameter.to_owned(),
        },
    )
}

/// The distinct placeholders of `text` (`{{1}}`, `{{name}}`), in order of appearance,
/// without braces or surrounding spaces.
fn placeholders(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some((_, after)) = rest.split_once("{{") {
        let Some((inner, tail)) = after.split_once("}}") else {
            break;
        };
        let name = inner.trim();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
        rest = tail;
    }
    found
}
