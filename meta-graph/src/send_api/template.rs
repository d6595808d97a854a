use serde::Serialize;

use super::Limits;
use super::attachment::MediaKind;
use super::validation::{self, Problem, ValidationError};

/// A structured message template (`attachment.type: template`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "template_type", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Template {
    /// `generic`: one element, or a horizontally scrolling carousel of them.
    Generic {
        /// The elements, 1 to [`Limits::generic_elements_max`].
        elements: Vec<GenericElement>,
    },
    /// `button`: text with up to three buttons.
    Button {
        /// The text above the buttons.
        text: String,
        /// The buttons, 1 to [`Limits::buttons_max`].
        buttons: Vec<Button>,
    },
    /// `media`: an image or video with up to three buttons.
    Media {
        /// Exactly one element.
        elements: Vec<MediaElement>,
    },
}

impl Template {
    /// A generic template (one element) or carousel (several).
    pub fn generic(elements: impl IntoIterator<Item = GenericElement>) -> Self {
        Self::Generic {
            elements: elements.into_iter().collect(),
        }
    }

    /// A button template.
    pub fn button(text: impl Into<String>, buttons: impl IntoIterator<Item = Button>) -> Self {
        Self::Button {
            text: text.into(),
            buttons: buttons.into_iter().collect(),
        }
    }

    /// A media template.
    pub fn media(element: MediaElement) -> Self {
        Self::Media {
            elements: vec![element],
        }
    }

    pub(crate) fn check(&self, limits: &Limits, field: &str) -> Result<(), ValidationError> {
        match self {
            Self::Generic { elements } => {
                if elements.is_empty() {
                    return Err(ValidationError::new(
                        format!("{field}.elements"),
                        Problem::Empty,
                    ));
                }
                validation::count(elements.len(), limits.generic_elements_max, || {
                    format!("{field}.elements")
                })?;
                for (index, element) in elements.iter().enumerate() {
                    element.check(limits, &format!("{field}.elements[{index}]"))?;
                }
                Ok(())
            }
            Self::Button { text, buttons } => {
                validation::text(text, limits.button_template_text_max_chars, || {
                    format!("{field}.text")
                })?;
                if buttons.is_empty() {
                    return Err(ValidationError::new(
                        format!("{field}.buttons"),
                        Problem::Empty,
                    ));
                }
                check_buttons(buttons, limits, &format!("{field}.buttons"))
            }
            Self::Media { elements } => {
                if elements.len() != 1 {
                    return Err(ValidationError::new(
                        format!("{field}.elements"),
                        Problem::NotAllowed("a media template has exactly one element"),
                    ));
                }
                elements[0].check(limits, &format!("{field}.elements[0]"))
            }
        }
    }
}

/// One element of a generic template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GenericElement {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtitle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_action: Option<DefaultAction>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    buttons: Vec<Button>,
}

impl GenericElement {
    /// An element with a title (at most [`Limits::title_max_chars`]).
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            subtitle: None,
            image_url: None,
            default_action: None,
            buttons: Vec::new(),
        }
    }

    /// The line under the title (at most [`Limits::subtitle_max_chars`]).
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = Some(subtitle.into());
        self
    }

    /// The image shown on the element.
    pub fn image_url(mut self, url: impl Into<String>) -> Self {
        self.image_url = Some(url.into());
        self
    }

    /// What tapping the element opens.
    pub fn default_action(mut self, action: DefaultAction) -> Self {
        self.default_action = Some(action);
        self
    }

    /// Adds a button (at most [`Limits::buttons_max`]).
    pub fn button(mut self, button: Button) -> Self {
        self.buttons.push(button);
        self
    }

    fn check(&self, limits: &Limits, field: &str) -> Result<(), ValidationError> {
        validation::text(&self.title, limits.title_max_chars, || {
            format!("{field}.title")
        })?;
        if let Some(subtitle) = &self.subtitle {
            validation::max_chars(subtitle, limits.subtitle_max_chars, || {
                format!("{field}.subtitle")
            })?;
        }
        if let Some(url) = &self.image_url {
            validation::http_url(url, || format!("{field}.image_url"))?;
        }
        if let Some(action) = &self.default_action {
            validation::http_url(&action.url, || format!("{field}.default_action.url"))?;
        }
        check_buttons(&self.buttons, limits, &format!("{field}.buttons"))
    }
}

/// The element of a media template: an image or video by attachment id or Facebook URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MediaElement {
    media_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    attachment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    buttons: Vec<Button>,
}

impl MediaElement {
    /// An uploaded image or video.
    ///
    /// Only [`MediaKind::Image`] and [`MediaKind::Video`] are allowed; another kind fails in
    /// `build()`.
    pub fn attachment(kind: MediaKind, attachment_id: impl Into<String>) -> Self {
        Self {
            media_type: kind.as_str(),
            attachment_id: Some(attachment_id.into()),
            url: None,
            buttons: Vec::new(),
        }
    }

    /// An image or video posted on Facebook, by its URL.
    pub fn facebook_url(kind: MediaKind, url: impl Into<String>) -> Self {
        Self {
            media_type: kind.as_str(),
            attachment_id: None,
            url: Some(url.into()),
            buttons: Vec::new(),
        }
    }

    /// Adds a button (at most [`Limits::buttons_max`]).
    pub fn button(mut self, button: Button) -> Self {
        self.buttons.push(button);
        self
    }

    fn check(&self, limits: &Limits, field: &str) -> Result<(), ValidationError> {
        if !matches!(self.media_type, "image" | "video") {
            return Err(ValidationError::new(
                format!("{field}.media_type"),
                Problem::NotAllowed("a media template shows an image or a video"),
            ));
        }
        if let Some(url) = &self.url {
            validation::http_url(url, || format!("{field}.url"))?;
        }
        if let Some(id) = &self.attachment_id {
            validation::not_blank(id, || format!("{field}.attachment_id"))?;
        }
        check_buttons(&self.buttons, limits, &format!("{field}.buttons"))
    }
}

/// How tall a web page opened from a button is (`webview_height_ratio`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum WebviewHeight {
    /// `compact`: half the screen.
    Compact,
    /// `tall`: three quarters.
    Tall,
    /// `full`: the whole screen.
    Full,
}

/// What tapping a generic template element opens: a URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DefaultAction {
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    webview_height_ratio: Option<WebviewHeight>,
}

impl DefaultAction {
    /// Opens `url`.
    pub fn url(url: impl Into<String>) -> Self {
        Self {
            kind: "web_url",
            url: url.into(),
            webview_height_ratio: None,
        }
    }

    /// Opens it in a webview of `height`.
    pub fn webview_height(mut self, height: WebviewHeight) -> Self {
        self.webview_height_ratio = Some(height);
        self
    }
}

/// A template button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Button {
    /// `web_url`: opens a URL.
    WebUrl {
        /// The label.
        title: String,
        /// The URL.
        url: String,
        /// The webview's height, when opened in one.
        #[serde(skip_serializing_if = "Option::is_none")]
        webview_height_ratio: Option<WebviewHeight>,
    },
    /// `postback`: sends `payload` back in a `messaging_postbacks` webhook.
    Postback {
        /// The label.
        title: String,
        /// What comes back.
        payload: String,
    },
    /// `phone_number`: calls a number (`payload`, in `+` international form).
    PhoneNumber {
        /// The label.
        title: String,
        /// The number.
        payload: String,
    },
}

impl Button {
    /// A button that opens `url`.
    pub fn url(title: impl Into<String>, url: impl Into<String>) -> Self {
        Self::WebUrl {
            title: title.into(),
            url: url.into(),
            webview_height_ratio: None,
        }
    }

    /// A button that sends `payload` back.
    pub fn postback(title: impl Into<String>, payload: impl Into<String>) -> Self {
        Self::Postback {
            title: title.into(),
            payload: payload.into(),
        }
    }

    /// A button that calls `number`.
    pub fn call(title: impl Into<String>, number: impl Into<String>) -> Self {
        Self::PhoneNumber {
            title: title.into(),
            payload: number.into(),
        }
    }

    fn check(&self, limits: &Limits, field: &str) -> Result<(), ValidationError> {
        let title = match self {
            Self::WebUrl { title, url, .. } => {
                validation::http_url(url, || format!("{field}.url"))?;
                title
            }
            Self::Postback { title, payload } => {
                validation::text(payload, limits.payload_max_chars, || {
                    format!("{field}.payload")
                })?;
                title
            }
            Self::PhoneNumber { title, payload } => {
                if !payload.starts_with('+')
                    || payload.len() < 4
                    || !payload[1..].bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(ValidationError::new(
                        format!("{field}.payload"),
                        Problem::NotAllowed("a phone number is `+` and digits"),
                    ));
                }
                title
            }
        };
        validation::text(title, limits.button_title_max_chars, || {
            format!("{field}.title")
        })
    }
}

fn check_buttons(buttons: &[Button], limits: &Limits, field: &str) -> Result<(), ValidationError> {
    validation::count(buttons.len(), limits.buttons_max, || field.to_owned())?;
    for (index, button) in buttons.iter().enumerate() {
        button.check(limits, &format!("{field}[{index}]"))?;
    }
    Ok(())
}
