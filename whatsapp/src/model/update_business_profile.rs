use serde::Serialize;

use super::Vertical;
use super::business_profile_limits::{
    ABOUT_MAX_CHARS, ADDRESS_MAX_CHARS, DESCRIPTION_MAX_CHARS, EMAIL_MAX_CHARS, WEBSITE_MAX_CHARS,
    WEBSITES_MAX,
};
use crate::Error;
use crate::validation as validate;

/// The body of `POST /{phone-number-id}/whatsapp_business_profile`: the profile fields to
/// change. Fields left unset are not sent and keep their value.
///
/// ```
/// use metabiz_whatsapp::model::{UpdateBusinessProfile, Vertical};
///
/// let update = UpdateBusinessProfile::new()
///     .about("Succulent specialists!")
///     .vertical(Vertical::Retail)
///     .websites(["https://www.luckyshrub.com"]);
/// update.validate()?;
/// let body = serde_json::to_value(&update).unwrap();
/// assert_eq!(body["messaging_product"], "whatsapp");
/// assert!(body.get("email").is_none());
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UpdateBusinessProfile {
    messaging_product: &'static str,
    /// The "About" text: 1 to 139 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// The address: at most 256 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The description: at most 512 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The contact email address: at most 128 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The websites: at most two `http://` or `https://` URLs of at most 256 characters. An
    /// empty list removes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub websites: Option<Vec<String>>,
    /// The industry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertical: Option<Vertical>,
    /// The handle of a new profile picture, from the Resumable Upload API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_picture_handle: Option<String>,
}

impl Default for UpdateBusinessProfile {
    fn default() -> Self {
        Self::new()
    }
}

impl UpdateBusinessProfile {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self {
            messaging_product: "whatsapp",
            about: None,
            address: None,
            description: None,
            email: None,
            websites: None,
            vertical: None,
            profile_picture_handle: None,
        }
    }

    /// Sets the "About" text.
    pub fn about(mut self, about: impl Into<String>) -> Self {
        self.about = Some(about.into());
        self
    }

    /// Sets the address.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the contact email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Replaces the websites.
    pub fn websites<I, S>(mut self, websites: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.websites = Some(websites.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the industry.
    pub fn vertical(mut self, vertical: Vertical) -> Self {
        self.vertical = Some(vertical);
        self
    }

    /// Sets a new profile picture by its upload handle.
    pub fn profile_picture_handle(mut self, handle: impl Into<String>) -> Self {
        self.profile_picture_handle = Some(handle.into());
        self
    }

    /// Checks the limits of
    /// [`business_profile_limits`](super::business_profile_limits) and that websites are
    /// `http(s)` URLs.
    ///
    /// Fails with [`ErrorKind::Validation`](crate::ErrorKind::Validation); see
    /// [`Error::validation`](crate::Error::validation) for the field at fault.
    pub fn validate(&self) -> Result<(), Error> {
        self.check()
    }

    fn check(&self) -> Result<(), Error> {
        if let Some(about) = &self.about {
            validate::required(about, ABOUT_MAX_CHARS, "about")?;
        }
        if let Some(address) = &self.address {
            validate::max_chars(address, ADDRESS_MAX_CHARS, "address")?;
        }
        if let Some(description) = &self.description {
            validate::max_chars(description, DESCRIPTION_MAX_CHARS, "description")?;
        }
        if let Some(email) = &self.email {
            validate::max_chars(email, EMAIL_MAX_CHARS, "email")?;
        }
        if let Some(websites) = &self.websites {
            validate::max_items(websites.len(), WEBSITES_MAX, "websites")?;
            for (index, website) in websites.iter().enumerate() {
                let field = format!("websites[{index}]");
                validate::required(website, WEBSITE_MAX_CHARS, &field)?;
                validate::http_url(website, &field)?;
            }
        }
        Ok(())
    }
}
