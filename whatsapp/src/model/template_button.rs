use crate::Error;
use crate::ValidationProblem;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::template_limits::{
    BUTTON_PHONE_NUMBER_MAX_CHARS, BUTTON_TEXT_MAX_CHARS, BUTTON_URL_MAX_CHARS,
    COPY_CODE_EXAMPLE_MAX_CHARS,
};
use super::{ButtonExample, ButtonType, OtpType, lenient};
use crate::validation as validate;

/// One button of a template's `BUTTONS` component, as created and as listed.
///
/// Build one with the constructor for its type ([`quick_reply`](Self::quick_reply),
/// [`url`](Self::url), [`phone_number`](Self::phone_number), [`copy_code`](Self::copy_code),
/// [`otp`](Self::otp), [`flow`](Self::flow)); fields of button types this version does not
/// model go in [`extra`](Self::extra) (see [`with_field`](Self::with_field)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateButton {
    /// The button type.
    #[serde(rename = "type")]
    pub kind: ButtonType,
    /// The label, at most 25 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The URL a URL button opens; it may end in one `{{1}}` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The number a phone-number button calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Example URL (URL buttons with a parameter) or example code (copy-code buttons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<ButtonExample>,
    /// How an OTP button delivers the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp_type: Option<OtpType>,
    /// The Flow a Flow button opens. Kept as a string whether Meta sends a string or a
    /// number.
    #[serde(
        default,
        deserialize_with = "lenient::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub flow_id: Option<String>,
    /// What a Flow button does: `navigate` or `data_exchange`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_action: Option<String>,
    /// The first Flow screen, for `navigate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub navigate_screen: Option<String>,
    /// Fields this version does not model (such as an OTP button's `supported_apps`), as
    /// Meta sent them.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TemplateButton {
    /// A button of `kind` with no fields set; prefer the typed constructors.
    pub fn new(kind: ButtonType) -> Self {
        Self {
            kind,
            text: None,
            url: None,
            phone_number: None,
            example: None,
            otp_type: None,
            flow_id: None,
            flow_action: None,
            navigate_screen: None,
            extra: Map::new(),
        }
    }

    /// A quick-reply button labelled `text`.
    pub fn quick_reply(text: impl Into<String>) -> Self {
        Self::new(ButtonType::QuickReply).with_text(text)
    }

    /// A button labelled `text` that opens `url`. When the URL ends in a `{{1}}` parameter,
    /// add an example with [`with_example`](Self::with_example).
    pub fn url(text: impl Into<String>, url: impl Into<String>) -> Self {
        let mut button = Self::new(ButtonType::Url).with_text(text);
        button.url = Some(url.into());
        button
    }

    /// A button labelled `text` that calls `phone_number`.
    pub fn phone_number(text: impl Into<String>, phone_number: impl Into<String>) -> Self {
        let mut button = Self::new(ButtonType::PhoneNumber).with_text(text);
        button.phone_number = Some(phone_number.into());
        button
    }

    /// A copy-code button with an example code (its label is fixed by WhatsApp).
    pub fn copy_code(example: impl Into<String>) -> Self {
        let mut button = Self::new(ButtonType::CopyCode);
        button.example = Some(ButtonExample::One(example.into()));
        button
    }

    /// An OTP button of an authentication template.
    pub fn otp(otp_type: OtpType) -> Self {
        let mut button = Self::new(ButtonType::Otp);
        button.otp_type = Some(otp_type);
        button
    }

    /// A button labelled `text` that opens the Flow `flow_id`.
    pub fn flow(text: impl Into<String>, flow_id: impl Into<String>) -> Self {
        let mut button = Self::new(ButtonType::Flow).with_text(text);
        button.flow_id = Some(flow_id.into());
        button
    }

    /// Sets the label.
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Sets the example of a URL button with a parameter: the complete URL with a sample
    /// value filled in.
    pub fn with_example(mut self, example: impl Into<String>) -> Self {
        self.example = Some(ButtonExample::Many(vec![example.into()]));
        self
    }

    /// Sets a Flow button's action (`navigate` or `data_exchange`) and, for `navigate`, its
    /// first screen.
    pub fn with_flow_action(
        mut self,
        action: impl Into<String>,
        navigate_screen: Option<String>,
    ) -> Self {
        self.flow_action = Some(action.into());
        self.navigate_screen = navigate_screen;
        self
    }

    /// Sets a field this version does not model, such as an OTP button's `autofill_text`.
    pub fn with_field(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Checks the limits of one button; `path` names it in errors.
    pub(crate) fn check(&self, path: &str) -> Result<(), Error> {
        let field = |name: &str| format!("{path}.{name}");
        let labelled = matches!(
            self.kind,
            ButtonType::QuickReply | ButtonType::Url | ButtonType::PhoneNumber | ButtonType::Flow
        );
        match (&self.text, labelled) {
            (Some(text), _) => validate::required(text, BUTTON_TEXT_MAX_CHARS, field("text"))?,
            (None, true) => {
                return Err(validate::invalid(field("text"), ValidationProblem::Missing));
            }
            (None, false) => {}
        }
        match self.kind {
            ButtonType::Url => {
                let url = required(self.url.as_deref(), &field("url"))?;
                validate::required(url, BUTTON_URL_MAX_CHARS, field("url"))?;
            }
            ButtonType::PhoneNumber => {
                let phone = required(self.phone_number.as_deref(), &field("phone_number"))?;
                validate::required(phone, BUTTON_PHONE_NUMBER_MAX_CHARS, field("phone_number"))?;
            }
            ButtonType::CopyCode => match &self.example {
                Some(ButtonExample::One(code)) => {
                    validate::required(code, COPY_CODE_EXAMPLE_MAX_CHARS, field("example"))?;
                }
                Some(ButtonExample::Many(codes)) => {
                    for code in codes {
                        validate::max_chars(code, COPY_CODE_EXAMPLE_MAX_CHARS, field("example"))?;
                    }
                }
                Some(ButtonExample::Other(_)) => {}
                None => {
                    return Err(validate::invalid(
                        field("example"),
                        ValidationProblem::Missing,
                    ));
                }
            },
            _ => {}
        }
        Ok(())
    }
}

fn required<'a>(value: Option<&'a str>, field: &str) -> Result<&'a str, Error> {
    value.ok_or_else(|| validate::invalid(field, ValidationProblem::Missing))
}
