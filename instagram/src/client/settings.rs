//! Ice breakers and the persistent menu (the Messenger Profile API with
//! `platform=instagram`).

use meta_graph::send_api::{Problem, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::InstagramClient;
use crate::limits::{
    ICE_BREAKER_QUESTION_MAX_CHARS, ICE_BREAKERS_MAX, MENU_ITEM_TITLE_MAX_CHARS, MENU_ITEMS_MAX,
    PAYLOAD_MAX_CHARS,
};
use crate::{Error, ErrorKind};

/// A question shown to a person starting a conversation; tapping it sends `payload` back as
/// a postback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IceBreaker {
    /// The question, at most [`ICE_BREAKER_QUESTION_MAX_CHARS`].
    pub question: String,
    /// What comes back.
    pub payload: String,
}

impl IceBreaker {
    /// A question and its payload.
    pub fn new(question: impl Into<String>, payload: impl Into<String>) -> Self {
        Self {
            question: question.into(),
            payload: payload.into(),
        }
    }
}

/// An item of the persistent menu.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MenuItem {
    /// Sends `payload` back as a postback.
    Postback {
        /// The label.
        title: String,
        /// What comes back.
        payload: String,
    },
    /// Opens `url`.
    WebUrl {
        /// The label.
        title: String,
        /// The URL.
        url: String,
    },
}

/// The persistent menu, for one locale (`default` for all).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PersistentMenu {
    /// `default`, or a locale such as `es_ES`.
    pub locale: String,
    /// The items.
    pub call_to_actions: Vec<MenuItem>,
}

impl PersistentMenu {
    /// A menu for every locale.
    pub fn new(items: impl IntoIterator<Item = MenuItem>) -> Self {
        Self {
            locale: "default".to_owned(),
            call_to_actions: items.into_iter().collect(),
        }
    }
}

fn check_text(value: &str, max: usize, field: String) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(field, Problem::Empty).into());
    }
    let actual = value.chars().count();
    if actual > max {
        return Err(ValidationError::new(field, Problem::TooLong { max, actual }).into());
    }
    Ok(())
}

fn check_count(actual: usize, max: usize, field: &str) -> Result<(), Error> {
    if actual == 0 {
        return Err(ValidationError::new(field, Problem::Empty).into());
    }
    if actual > max {
        return Err(ValidationError::new(field, Problem::TooMany { max, actual }).into());
    }
    Ok(())
}

#[derive(Clone, Copy, Deserialize)]
struct Success {
    #[serde(default)]
    success: bool,
}

impl InstagramClient {
    fn profile_path(&self) -> String {
        format!("{}/messenger_profile", self.node())
    }

    async fn post_profile(&self, body: &Value) -> Result<(), Error> {
        let response: Success = self
            .graph
            .post(&self.profile_path())
            .token(&self.token)
            .throttle(&self.throttle)
            .json(body)
            // Setting the same profile twice gives the same profile.
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        success(response)
    }

    async fn delete_profile_field(&self, field: &str) -> Result<(), Error> {
        let response: Success = self
            .graph
            .delete(&self.profile_path())
            .token(&self.token)
            .throttle(&self.throttle)
            .json(&json!({"fields": [field], "platform": "instagram"}))
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        success(response)
    }

    async fn get_profile_field(&self, field: &str) -> Result<Value, Error> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(default)]
            data: Vec<Value>,
        }
        let envelope: Envelope = self
            .graph
            .get(&self.profile_path())
            .token(&self.token)
            .throttle(&self.throttle)
            .query("fields", field)
            .query("platform", "instagram")
            .send()
            .await
            .map_err(Error::graph_failure)?;
        Ok(envelope
            .data
            .into_iter()
            .find_map(|mut entry| entry.get_mut(field).map(Value::take))
            .unwrap_or(Value::Null))
    }

    /// Sets the ice breakers (1 to [`ICE_BREAKERS_MAX`] questions) for every locale.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] before sending, [`ErrorKind::UnexpectedResponse`] unless
    /// Meta answers `{"success": true}`, the Graph kinds otherwise.
    pub async fn set_ice_breakers(&self, questions: &[IceBreaker]) -> Result<(), Error> {
        check_count(
            questions.len(),
            ICE_BREAKERS_MAX,
            "ice_breakers.call_to_actions",
        )?;
        for (index, question) in questions.iter().enumerate() {
            let field = format!("ice_breakers.call_to_actions[{index}]");
            check_text(
                &question.question,
                ICE_BREAKER_QUESTION_MAX_CHARS,
                format!("{field}.question"),
            )?;
            check_text(
                &question.payload,
                PAYLOAD_MAX_CHARS,
                format!("{field}.payload"),
            )?;
        }
        self.post_profile(&json!({
            "platform": "instagram",
            "ice_breakers": [{"call_to_actions": questions, "locale": "default"}]
        }))
        .await
    }

    /// The ice breakers set for every locale.
    ///
    /// # Errors
    ///
    /// The Graph kinds; [`ErrorKind::UnexpectedResponse`] for a shape this crate cannot read.
    pub async fn ice_breakers(&self) -> Result<Vec<IceBreaker>, Error> {
        #[derive(Deserialize)]
        struct Localized {
            #[serde(default)]
            call_to_actions: Vec<IceBreaker>,
        }
        let value = self.get_profile_field("ice_breakers").await?;
        if value.is_null() {
            return Ok(Vec::new());
        }
        let localized: Vec<Localized> = serde_json::from_value(value)
            .map_err(|e| Error::with_source(ErrorKind::UnexpectedResponse, e))?;
        Ok(localized
            .into_iter()
            .flat_map(|l| l.call_to_actions)
            .collect())
    }

    /// Removes the ice breakers.
    ///
    /// # Errors
    ///
    /// As [`set_ice_breakers`](Self::set_ice_breakers).
    pub async fn delete_ice_breakers(&self) -> Result<(), Error> {
        self.delete_profile_field("ice_breakers").await
    }

    /// Sets the persistent menu.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] (no items, more than [`MENU_ITEMS_MAX`], titles over
    /// [`MENU_ITEM_TITLE_MAX_CHARS`], a URL that is not http(s)), and as
    /// [`set_ice_breakers`](Self::set_ice_breakers).
    pub async fn set_persistent_menu(&self, menus: &[PersistentMenu]) -> Result<(), Error> {
        if menus.is_empty() {
            return Err(ValidationError::new("persistent_menu", Problem::Empty).into());
        }
        for (m, menu) in menus.iter().enumerate() {
            let field = format!("persistent_menu[{m}].call_to_actions");
            check_count(menu.call_to_actions.len(), MENU_ITEMS_MAX, &field)?;
            for (index, item) in menu.call_to_actions.iter().enumerate() {
                let (title, extra) = match item {
                    MenuItem::Postback { title, payload } => (title, (payload, false)),
                    MenuItem::WebUrl { title, url } => (title, (url, true)),
                };
                check_text(
                    title,
                    MENU_ITEM_TITLE_MAX_CHARS,
                    format!("{field}[{index}].title"),
                )?;
                let (value, is_url) = extra;
                if is_url {
                    let ok = url::Url::parse(value)
                        .is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
                    if !ok {
                        return Err(ValidationError::new(
                            format!("{field}[{index}].url"),
                            Problem::NotHttpUrl,
                        )
                        .into());
                    }
                } else {
                    check_text(
                        value,
                        PAYLOAD_MAX_CHARS,
                        format!("{field}[{index}].payload"),
                    )?;
                }
            }
        }
        self.post_profile(&json!({"platform": "instagram", "persistent_menu": menus}))
            .await
    }

    /// The persistent menus set, one per locale.
    ///
    /// # Errors
    ///
    /// As [`ice_breakers`](Self::ice_breakers).
    pub async fn persistent_menu(&self) -> Result<Vec<PersistentMenu>, Error> {
        let value = self.get_profile_field("persistent_menu").await?;
        if value.is_null() {
            return Ok(Vec::new());
        }
        serde_json::from_value(value)
            .map_err(|e| Error::with_source(ErrorKind::UnexpectedResponse, e))
    }

    /// Removes the persistent menu.
    ///
    /// # Errors
    ///
    /// As [`set_ice_breakers`](Self::set_ice_breakers).
    pub async fn delete_persistent_menu(&self) -> Result<(), Error> {
        self.delete_profile_field("persistent_menu").await
    }
}

fn success(response: Success) -> Result<(), Error> {
    if response.success {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::UnexpectedResponse))
    }
}
