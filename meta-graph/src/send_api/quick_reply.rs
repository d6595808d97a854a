use serde::Serialize;

use super::Limits;
use super::validation::{self, ValidationError};

/// A quick reply: a button over the composer that disappears once tapped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "content_type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuickReply {
    /// `text`: a title (and optional icon); tapping it sends the title as a message with
    /// `payload` in `quick_reply.payload`.
    Text {
        /// The label, at most [`Limits::quick_reply_title_max_chars`].
        title: String,
        /// What comes back, at most [`Limits::payload_max_chars`].
        payload: String,
        /// A small icon.
        #[serde(skip_serializing_if = "Option::is_none")]
        image_url: Option<String>,
    },
    /// `user_phone_number`: offers the phone number of the person's profile.
    UserPhoneNumber,
    /// `user_email`: offers the email address of the person's profile.
    UserEmail,
}

impl QuickReply {
    /// A text quick reply.
    pub fn text(title: impl Into<String>, payload: impl Into<String>) -> Self {
        Self::Text {
            title: title.into(),
            payload: payload.into(),
            image_url: None,
        }
    }

    /// A text quick reply with an icon.
    pub fn text_with_image(
        title: impl Into<String>,
        payload: impl Into<String>,
        image_url: impl Into<String>,
    ) -> Self {
        Self::Text {
            title: title.into(),
            payload: payload.into(),
            image_url: Some(image_url.into()),
        }
    }

    pub(crate) fn check(&self, limits: &Limits, field: &str) -> Result<(), ValidationError> {
        if let Self::Text {
            title,
            payload,
            image_url,
        } = self
        {
            validation::text(title, limits.quick_reply_title_max_chars, || {
                format!("{field}.title")
            })?;
            validation::text(payload, limits.payload_max_chars, || {
                format!("{field}.payload")
            })?;
            if let Some(url) = image_url {
                validation::http_url(url, || format!("{field}.image_url"))?;
            }
        }
        Ok(())
    }
}
