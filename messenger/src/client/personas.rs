//! The Personas API: names and pictures a Page sends as, so that a person answering shows as
//! themselves.

use futures_core::Stream;
use futures_util::StreamExt as _;
use meta_graph::send_api::{Problem, ValidationError};
use serde::{Deserialize, Serialize};

use super::MessengerClient;
use crate::{Error, ErrorKind, PersonaId};

/// A persona of the Page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Persona {
    /// Its id, for [`SendMessage::persona`](meta_graph::send_api::SendMessage::persona).
    pub id: PersonaId,
    /// The name shown.
    #[serde(default)]
    pub name: Option<String>,
    /// The picture shown.
    #[serde(default)]
    pub profile_picture_url: Option<String>,
}

/// The body of a new persona.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonaUpdate {
    name: String,
    profile_picture_url: String,
}

impl PersonaUpdate {
    /// A persona called `name` with the picture at `profile_picture_url`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] when the name is blank or the picture is not an `http(s)`
    /// URL.
    pub fn new(
        name: impl Into<String>,
        profile_picture_url: impl Into<String>,
    ) -> Result<Self, Error> {
        let name = name.into();
        let profile_picture_url = profile_picture_url.into();
        if name.trim().is_empty() {
            return Err(ValidationError::new("name", Problem::Empty).into());
        }
        let url_ok = url::Url::parse(&profile_picture_url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !url_ok {
            return Err(ValidationError::new("profile_picture_url", Problem::NotHttpUrl).into());
        }
        Ok(Self {
            name,
            profile_picture_url,
        })
    }
}

#[derive(Deserialize)]
struct Created {
    id: Option<PersonaId>,
}

/// Meta's `{"success": true}` answer to a change.
#[derive(Deserialize)]
pub(super) struct Success {
    #[serde(default)]
    success: bool,
}

impl Success {
    /// `Ok` when Meta said `success: true`, else [`ErrorKind::UnexpectedResponse`].
    pub(super) fn confirmed(self) -> Result<(), Error> {
        if self.success {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::UnexpectedResponse))
        }
    }
}

impl MessengerClient {
    /// Creates a persona with `POST /{page-id}/personas`.
    ///
    /// Not retried once it may have reached Meta (a retry could create a second one).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnexpectedResponse`] when Meta answers without an id, and the Graph kinds
    /// of [`send`](Self::send).
    pub async fn create_persona(&self, persona: &PersonaUpdate) -> Result<PersonaId, Error> {
        let created: Created = self
            .graph
            .post(&format!("{}/personas", self.page_id.as_str()))
            .token(&self.token)
            .throttle(&self.throttle)
            .json(persona)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        created
            .id
            .ok_or_else(|| Error::new(ErrorKind::UnexpectedResponse))
    }

    /// The Page's personas, page by page (`GET /{page-id}/personas`).
    pub fn personas(&self) -> impl Stream<Item = Result<Persona, Error>> + Send + 'static {
        self.graph
            .get(&format!("{}/personas", self.page_id.as_str()))
            .token(&self.token)
            .throttle(&self.throttle)
            .paginate::<Persona>()
            .map(|item| item.map_err(Error::graph_failure))
    }

    /// Deletes a persona with `DELETE /{persona-id}`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnexpectedResponse`] when Meta does not answer `{"success": true}`, and
    /// the Graph kinds of [`send`](Self::send).
    pub async fn delete_persona(&self, persona: &PersonaId) -> Result<(), Error> {
        let response: Success = self
            .graph
            .delete(persona.as_str())
            .token(&self.token)
            .throttle(&self.throttle)
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        response.confirmed()
    }
}
