use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::location;
use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::template_parts::{
    ButtonValue, HeaderValue, Parameter, ParameterValue, TemplateButton, TemplateHeader,
};
use super::validate::{self, Unique};
use crate::Error;
use crate::ValidationProblem;
use crate::limits::Limit;

/// A template message (`type: template`): an approved message template with values for its
/// variables, the only kind of message a business may send outside the 24-hour customer service
/// window.
///
/// ```
/// use metabiz_whatsapp::WaId;
/// use metabiz_whatsapp::send::{Parameter, Template, TemplateButton, TemplateHeader};
///
/// let message = Template::new(WaId::new("16505551234"), "order_confirmation", "en_US")
///     .header(TemplateHeader::text("Order 5123"))
///     .body([
///         Parameter::text("Pablo"),
///         Parameter::currency("$100.99", "USD", 100_990),
///         Parameter::date_time("February 25, 1977"),
///     ])
///     .button(TemplateButton::quick_reply(0, "track-5123"))
///     .build()?;
/// assert_eq!(message.kind(), "template");
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    envelope: Envelope,
    template: TemplateBody,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TemplateBody {
    name: String,
    language: String,
    header: Option<TemplateHeader>,
    body: Option<Vec<Parameter>>,
    buttons: Vec<TemplateButton>,
}

impl Template {
    /// The template `name` (at most
    /// [`TEMPLATE_NAME_MAX_CHARS`](crate::limits::TEMPLATE_NAME_MAX_CHARS) characters) in the
    /// language `language_code` it was approved in, such as `en_US`.
    pub fn new(
        to: impl Into<Recipient>,
        name: impl Into<String>,
        language_code: impl Into<String>,
    ) -> Self {
        Self {
            envelope: Envelope::new(to),
            template: TemplateBody {
                name: name.into(),
                language: language_code.into(),
                header: None,
                body: None,
                buttons: Vec::new(),
            },
        }
    }

    /// The value of the header's variable, or the media or location of a media or location
    /// header.
    pub fn header(mut self, header: TemplateHeader) -> Self {
        self.template.header = Some(header);
        self
    }

    /// The values of the body's variables, in order (or named): text parameters of at most
    /// [`TEMPLATE_BODY_TEXT_PARAMETER_MAX_CHARS`](crate::limits::TEMPLATE_BODY_TEXT_PARAMETER_MAX_CHARS)
    /// characters, or
    /// [`TEMPLATE_BODY_ONLY_TEXT_PARAMETER_MAX_CHARS`](crate::limits::TEMPLATE_BODY_ONLY_TEXT_PARAMETER_MAX_CHARS)
    /// when the message has no header or button values.
    pub fn body(mut self, parameters: impl IntoIterator<Item = Parameter>) -> Self {
        self.template.body = Some(parameters.into_iter().collect());
        self
    }

    /// The value of one of the template's buttons; call once per button that needs one.
    pub fn button(mut self, button: TemplateButton) -> Self {
        self.template.buttons.push(button);
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    ///
    /// Whether the values fit the template (how many variables, which buttons) is known only
    /// to Meta, which rejects a mismatch when the message is sent.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        self.template.validate()?;
        self.envelope.seal(Content::Template(self.template))
    }
}

impl TemplateBody {
    fn validate(&self) -> Result<(), Error> {
        validate::required(&self.name, Limit::TemplateName, || {
            "template.name".to_owned()
        })?;
        validate::not_blank(&self.language, || "template.language.code".to_owned())?;

        // Components are numbered as they are sent: header, body, then buttons.
        let mut component = 0;
        let mut parameters: Vec<(&Parameter, String)> = Vec::new();
        if let Some(header) = &self.header {
            let field = format!("template.components[{component}].parameters[0]");
            match &header.value {
                HeaderValue::Text(parameter) => {
                    check_parameter(parameter, Limit::TemplateHeaderTextParameter, &field)?;
                    parameters.push((parameter, field));
                }
                HeaderValue::Image(media)
                | HeaderValue::Video(media)
                | HeaderValue::Document(media) => {
                    let field = format!("{field}.{}", header.kind());
                    media.source.validate(|| field.clone())?;
                    if let Some(filename) = &media.filename {
                        validate::not_blank(filename, || format!("{field}.filename"))?;
                    }
                }
                HeaderValue::Location(place) => {
                    location::check(place, &format!("{field}.location"))?;
                }
            }
            component += 1;
        }
        if let Some(body) = &self.body {
            let text_limit = if self.header.is_some() || !self.buttons.is_empty() {
                Limit::TemplateBodyTextParameter
            } else {
                Limit::TemplateBodyOnlyTextParameter
            };
            if body.is_empty() {
                return validate::fail(
                    || format!("template.components[{component}].parameters"),
                    ValidationProblem::Empty,
                );
            }
            for (i, parameter) in body.iter().enumerate() {
                let field = format!("template.components[{component}].parameters[{i}]");
                check_parameter(parameter, text_limit, &field)?;
                parameters.push((parameter, field));
            }
            component += 1;
        }
        check_naming(&parameters)?;
        check_buttons(&self.buttons, component)
    }
}

/// A text, currency or date-time value in the header or body.
fn check_parameter(parameter: &Parameter, text_limit: Limit, field: &str) -> Result<(), Error> {
    if let Some(name) = &parameter.name {
        validate::not_blank(name, || format!("{field}.parameter_name"))?;
    }
    match &parameter.value {
        ParameterValue::Text(text) => {
            validate::required(text, text_limit, || format!("{field}.text"))
        }
        ParameterValue::Currency {
            fallback_value,
            code,
            ..
        } => {
            validate::not_blank(fallback_value, || {
                format!("{field}.currency.fallback_value")
            })?;
            if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(())
            } else {
                validate::fail(
                    || format!("{field}.currency.code"),
                    ValidationProblem::Invalid(
                        "not a three-letter ISO 4217 currency code such as USD",
                    ),
                )
            }
        }
        ParameterValue::DateTime { fallback_value } => validate::not_blank(fallback_value, || {
            format!("{field}.date_time.fallback_value")
        }),
    }
}

/// All parameters positional, or all named with unique names: a template has one format.
fn check_naming(parameters: &[(&Parameter, String)]) -> Result<(), Error> {
    let Some((first, _)) = parameters.first() else {
        return Ok(());
    };
    let all_named = first.name.is_some();
    let mut seen = Unique::new();
    for (parameter, field) in parameters {
        match &parameter.name {
            Some(name) if all_named => seen.check(name, || format!("{field}.parameter_name"))?,
            None if !all_named => {}
            _ => {
                return validate::fail(
                    || format!("{field}.parameter_name"),
                    ValidationProblem::Invalid("mixes named and positional parameters"),
                );
            }
        }
    }
    Ok(())
}

/// Up to ten buttons, each index 0 to 9 and used once, with a non-blank value; coupon codes
/// short and alphanumeric.
fn check_buttons(buttons: &[TemplateButton], first_component: usize) -> Result<(), Error> {
    validate::max_items(buttons.len(), Limit::TemplateButtons, || {
        "template.components".to_owned()
    })?;
    let mut indexes = std::collections::HashSet::new();
    for (i, button) in buttons.iter().enumerate() {
        let field = |part: &str| format!("template.components[{}].{part}", first_component + i);
        if button.index >= Limit::TemplateButtons.max() {
            return validate::fail(|| field("index"), ValidationProblem::OutOfRange);
        }
        if !indexes.insert(button.index) {
            return validate::fail(|| field("index"), ValidationProblem::Duplicate);
        }
        let value = button.text();
        match &button.value {
            ButtonValue::QuickReply(_) => {
                validate::not_blank(value, || field("parameters[0].payload"))?;
            }
            ButtonValue::Url(_) => validate::not_blank(value, || field("parameters[0].text"))?,
            ButtonValue::CopyCode(_) => {
                let field = || field("parameters[0].coupon_code");
                validate::required(value, Limit::TemplateCouponCode, field)?;
                if !value.chars().all(char::is_alphanumeric) {
                    return validate::fail(field, ValidationProblem::Invalid("not alphanumeric"));
                }
            }
        }
    }
    Ok(())
}

/// `{"name": …, "language": {"code": …}, "components"?: [header?, body?, buttons…]}`.
impl Serialize for TemplateBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Language<'a> {
            code: &'a str,
        }

        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry(
            "language",
            &Language {
                code: &self.language,
            },
        )?;
        if self.header.is_some() || self.body.is_some() || !self.buttons.is_empty() {
            map.serialize_entry("components", &Components(self))?;
        }
        map.end()
    }
}

struct Components<'a>(&'a TemplateBody);

impl Serialize for Components<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Component<'a, P: Serialize> {
            #[serde(rename = "type")]
            kind: &'static str,
            parameters: &'a [P],
        }

        let template = self.0;
        let mut seq = serializer.serialize_seq(None)?;
        if let Some(header) = &template.header {
            seq.serialize_element(&Component {
                kind: "header",
                parameters: std::slice::from_ref(header),
            })?;
        }
        if let Some(body) = &template.body {
            seq.serialize_element(&Component {
                kind: "body",
                parameters: body,
            })?;
        }
        for button in &template.buttons {
            seq.serialize_element(button)?;
        }
        seq.end()
    }
}
