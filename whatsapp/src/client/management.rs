//! Templates, phone numbers, the business profile and webhook subscriptions.

use super::{WhatsAppClient, confirmed};
use crate::model::{
    BusinessPhoneNumber, BusinessProfile, BusinessProfileResponse, CreateTemplate, CreatedTemplate,
    DeleteTemplate, MessageTemplate, SubscribeApp, SubscribedApps, TemplateCategory,
    TemplateStatus, UpdateBusinessProfile,
};
use crate::paged::Paged;
use crate::{Error, ErrorKind, WabaId};

/// Which templates [`WhatsAppClient::templates_matching`] lists; unset filters match all.
///
/// ```
/// use metabiz_whatsapp::TemplateFilter;
/// use metabiz_whatsapp::model::TemplateStatus;
///
/// let approved_orders = TemplateFilter::new().name("order").status(TemplateStatus::Approved);
/// # let _ = approved_orders;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateFilter {
    name: Option<String>,
    status: Option<TemplateStatus>,
    category: Option<TemplateCategory>,
    language: Option<String>,
}

impl TemplateFilter {
    /// Matches every template.
    pub fn new() -> Self {
        Self::default()
    }

    /// Templates whose name contains `name`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Templates in review state `status`.
    pub fn status(mut self, status: TemplateStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Templates of `category`.
    pub fn category(mut self, category: TemplateCategory) -> Self {
        self.category = Some(category);
        self
    }

    /// Templates in `language`, such as `en_US`.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(name) = &self.name {
            query.push(("name", name.clone()));
        }
        if let Some(status) = &self.status {
            query.push(("status", status.as_str().to_owned()));
        }
        if let Some(category) = &self.category {
            query.push(("category", category.as_str().to_owned()));
        }
        if let Some(language) = &self.language {
            query.push(("language", language.clone()));
        }
        query
    }
}

impl WhatsAppClient {
    /// Every message template of the WhatsApp Business Account, with the fields of
    /// [`MessageTemplate::DEFAULT_FIELDS`], fetched page by page
    /// (`GET /{waba-id}/message_templates`).
    pub fn templates(&self, waba_id: &WabaId) -> Paged<MessageTemplate> {
        self.templates_matching(waba_id, &TemplateFilter::new())
    }

    /// The templates of the account that match `filter`, page by page.
    pub fn templates_matching(
        &self,
        waba_id: &WabaId,
        filter: &TemplateFilter,
    ) -> Paged<MessageTemplate> {
        let mut request = self
            .graph
            .get(&format!("{}/message_templates", waba_id.as_str()))
            .token(&self.token)
            .query("fields", MessageTemplate::DEFAULT_FIELDS);
        for (key, value) in filter.query() {
            request = request.query(key, value);
        }
        Paged::new(request.paginate())
    }

    /// Submits a new template for review (`POST /{waba-id}/message_templates`), after
    /// [`CreateTemplate::validate`].
    ///
    /// Not retried once it may have reached Meta: a second submission of the same name and
    /// language is refused by Meta, so an [`ErrorKind::Ambiguous`] failure is best resolved by
    /// listing the templates.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] before sending; [`ErrorKind::Api`] when Meta refuses the
    /// template (such as a duplicate name), and the Graph kinds of [`send`](Self::send).
    pub async fn create_template(
        &self,
        waba_id: &WabaId,
        template: &CreateTemplate,
    ) -> Result<CreatedTemplate, Error> {
        template.validate()?;
        self.graph
            .post(&format!("{}/message_templates", waba_id.as_str()))
            .token(&self.token)
            .json(template)
            .send()
            .await
            .map_err(Error::graph_failure)
    }

    /// Deletes a template in every language, or one translation by id
    /// (`DELETE /{waba-id}/message_templates`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnexpectedResponse`] when Meta does not answer `{"success": true}`, and
    /// the Graph kinds of [`send`](Self::send).
    pub async fn delete_template(
        &self,
        waba_id: &WabaId,
        template: &DeleteTemplate,
    ) -> Result<(), Error> {
        let mut request = self
            .graph
            .delete(&format!("{}/message_templates", waba_id.as_str()))
            .token(&self.token)
            // Deleting what is gone changes nothing: safe to retry.
            .idempotent(true);
        for (key, value) in template.query() {
            request = request.query(key, value);
        }
        let response: crate::model::Success = request.send().await.map_err(Error::graph_failure)?;
        confirmed(response)
    }

    /// The business phone numbers of the account with the fields of
    /// [`BusinessPhoneNumber::DEFAULT_FIELDS`], page by page (`GET /{waba-id}/phone_numbers`).
    pub fn phone_numbers(&self, waba_id: &WabaId) -> Paged<BusinessPhoneNumber> {
        Paged::new(
            self.graph
                .get(&format!("{}/phone_numbers", waba_id.as_str()))
                .token(&self.token)
                .query("fields", BusinessPhoneNumber::DEFAULT_FIELDS)
                .paginate(),
        )
    }

    /// This client's phone number: display number, verified name, quality rating, status,
    /// throughput (`GET /{phone-number-id}`).
    ///
    /// # Errors
    ///
    /// The Graph kinds of [`send`](Self::send).
    pub async fn phone_number(&self) -> Result<BusinessPhoneNumber, Error> {
        self.graph
            .get(self.phone_number_id.as_str())
            .token(&self.token)
            .query("fields", BusinessPhoneNumber::DEFAULT_FIELDS)
            .send()
            .await
            .map_err(Error::graph_failure)
    }

    /// The business profile of this client's phone number
    /// (`GET /{phone-number-id}/whatsapp_business_profile`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnexpectedResponse`] when Meta returns no profile, and the Graph kinds of
    /// [`send`](Self::send).
    pub async fn business_profile(&self) -> Result<BusinessProfile, Error> {
        let response: BusinessProfileResponse = self
            .graph
            .get(&self.business_profile_path())
            .token(&self.token)
            .query("fields", BusinessProfile::FIELDS)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        response
            .into_profile()
            .ok_or_else(|| Error::new(ErrorKind::UnexpectedResponse))
    }

    /// Changes the business profile's fields that `update` sets, after
    /// [`UpdateBusinessProfile::validate`] (`POST /{phone-number-id}/whatsapp_business_profile`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] before sending; [`ErrorKind::UnexpectedResponse`] when Meta
    /// does not answer `{"success": true}`; the Graph kinds of [`send`](Self::send).
    pub async fn update_business_profile(
        &self,
        update: &UpdateBusinessProfile,
    ) -> Result<(), Error> {
        update.validate()?;
        let response: crate::model::Success = self
            .graph
            .post(&self.business_profile_path())
            .token(&self.token)
            .json(update)
            // Setting the same values again gives the same profile: safe to retry.
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        confirmed(response)
    }

    /// Subscribes the calling app to the account's webhooks (`POST /{waba-id}/subscribed_apps`),
    /// after [`SubscribeApp::validate`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] before sending; [`ErrorKind::UnexpectedResponse`] when Meta
    /// does not answer `{"success": true}`; the Graph kinds of [`send`](Self::send).
    pub async fn subscribe_app(
        &self,
        waba_id: &WabaId,
        subscription: &SubscribeApp,
    ) -> Result<(), Error> {
        subscription.validate()?;
        let response: crate::model::Success = self
            .graph
            .post(&Self::subscribed_apps_path(waba_id))
            .token(&self.token)
            .json(subscription)
            // Subscribing twice leaves one subscription: safe to retry.
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        confirmed(response)
    }

    /// The apps subscribed to the account's webhooks (`GET /{waba-id}/subscribed_apps`).
    ///
    /// # Errors
    ///
    /// The Graph kinds of [`send`](Self::send).
    pub async fn subscribed_apps(&self, waba_id: &WabaId) -> Result<SubscribedApps, Error> {
        self.graph
            .get(&Self::subscribed_apps_path(waba_id))
            .token(&self.token)
            .send()
            .await
            .map_err(Error::graph_failure)
    }

    /// Unsubscribes the calling app from the account's webhooks
    /// (`DELETE /{waba-id}/subscribed_apps`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnexpectedResponse`] when Meta does not answer `{"success": true}`; the
    /// Graph kinds of [`send`](Self::send).
    pub async fn unsubscribe_app(&self, waba_id: &WabaId) -> Result<(), Error> {
        let response: crate::model::Success = self
            .graph
            .delete(&Self::subscribed_apps_path(waba_id))
            .token(&self.token)
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        confirmed(response)
    }

    fn business_profile_path(&self) -> String {
        format!(
            "{}/whatsapp_business_profile",
            self.phone_number_id.as_str()
        )
    }

    fn subscribed_apps_path(waba_id: &WabaId) -> String {
        format!("{}/subscribed_apps", waba_id.as_str())
    }
}
