//! The Page's webhook subscription: `POST` and `GET /{page-id}/subscribed_apps`.
//!
//! Meta sends a Page's webhooks to an app only when the app is subscribed twice over: at the
//! app level (the `page` object's fields, set in the App Dashboard or with `POST
//! /{app-id}/subscriptions`) and on the Page itself, by this call with a Page access token
//! granted `pages_manage_metadata`. Only fields subscribed at both levels are delivered. An
//! Instagram professional account connected through its linked Page (Facebook Login) is
//! reached through the same Page subscription.

use std::fmt;

use meta_graph::send_api::{Problem, ValidationError};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::MessengerClient;
use super::personas::Success;
use crate::Error;

/// A webhook field a Page can subscribe an app to (`subscribed_fields`), in Meta's words.
///
/// Values this version does not know are kept in [`PageWebhookField::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PageWebhookField {
    /// `messages`: messages people send to the Page.
    Messages,
    /// `message_echoes`: messages the Page sent, from any app or the Page inbox.
    MessageEchoes,
    /// `message_deliveries`: delivery receipts.
    MessageDeliveries,
    /// `message_reads`: read receipts (a watermark).
    MessageReads,
    /// `message_reactions`: reactions to messages.
    MessageReactions,
    /// `message_edits`: edits of a message already sent.
    MessageEdits,
    /// `messaging_postbacks`: taps on postback buttons, Get Started and persistent menu items.
    MessagingPostbacks,
    /// `messaging_optins`: opt-ins (the Send to Messenger plugin, recurring notifications).
    MessagingOptins,
    /// `messaging_referrals`: people arriving through an m.me link, an ad or a plugin.
    MessagingReferrals,
    /// `messaging_handovers`: thread control changes of the handover protocol.
    MessagingHandovers,
    /// `standby`: events for a conversation another app controls.
    Standby,
    /// A field this version does not name.
    Other(String),
}

impl PageWebhookField {
    /// The fields an inbox needs: messages in both directions, their delivery and read
    /// receipts, reactions and postbacks.
    pub const INBOX: [Self; 6] = [
        Self::Messages,
        Self::MessageEchoes,
        Self::MessageDeliveries,
        Self::MessageReads,
        Self::MessageReactions,
        Self::MessagingPostbacks,
    ];

    /// The field's name in the Graph API.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Messages => "messages",
            Self::MessageEchoes => "message_echoes",
            Self::MessageDeliveries => "message_deliveries",
            Self::MessageReads => "message_reads",
            Self::MessageReactions => "message_reactions",
            Self::MessageEdits => "message_edits",
            Self::MessagingPostbacks => "messaging_postbacks",
            Self::MessagingOptins => "messaging_optins",
            Self::MessagingReferrals => "messaging_referrals",
            Self::MessagingHandovers => "messaging_handovers",
            Self::Standby => "standby",
            Self::Other(other) => other,
        }
    }

    /// The field named `name`.
    pub fn parse(name: &str) -> Self {
        match name {
            "messages" => Self::Messages,
            "message_echoes" => Self::MessageEchoes,
            "message_deliveries" => Self::MessageDeliveries,
            "message_reads" => Self::MessageReads,
            "message_reactions" => Self::MessageReactions,
            "message_edits" => Self::MessageEdits,
            "messaging_postbacks" => Self::MessagingPostbacks,
            "messaging_optins" => Self::MessagingOptins,
            "messaging_referrals" => Self::MessagingReferrals,
            "messaging_handovers" => Self::MessagingHandovers,
            "standby" => Self::Standby,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for PageWebhookField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PageWebhookField {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PageWebhookField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Self::parse(&name))
    }
}

/// One app subscribed to the Page's webhooks, from `GET /{page-id}/subscribed_apps`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PageSubscribedApp {
    /// The app id.
    pub id: String,
    /// The app's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The app's category.
    #[serde(default)]
    pub category: Option<String>,
    /// The app's link.
    #[serde(default)]
    pub link: Option<String>,
    /// The fields the app is subscribed to on this Page.
    #[serde(default)]
    pub subscribed_fields: Vec<PageWebhookField>,
}

#[derive(Deserialize)]
struct SubscribedApps {
    #[serde(default)]
    data: Vec<PageSubscribedApp>,
}

impl MessengerClient {
    /// Subscribes the calling app to the Page's webhooks for `fields`
    /// (`POST /{page-id}/subscribed_apps?subscribed_fields=…`), with the client's Page
    /// token, which needs `pages_manage_metadata`. The fields replace those the app had on
    /// the Page. Subscribing again changes nothing, so the call is retried like a read.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](crate::ErrorKind::Validation) for an empty `fields`, before any request;
    /// [`ErrorKind::UnexpectedResponse`](crate::ErrorKind::UnexpectedResponse) when Meta does not answer `{"success": true}`;
    /// [`ErrorKind::PermissionDenied`](crate::ErrorKind::PermissionDenied) without `pages_manage_metadata`; the Graph kinds of
    /// [`send`](Self::send).
    pub async fn subscribe_app(&self, fields: &[PageWebhookField]) -> Result<(), Error> {
        if fields.is_empty() {
            return Err(ValidationError::new("subscribed_fields", Problem::Empty).into());
        }
        let names: Vec<&str> = fields.iter().map(PageWebhookField::as_str).collect();
        let response: Success = self
            .graph
            .post(&self.subscribed_apps_path())
            .token(&self.token)
            .throttle(&self.throttle)
            .query("subscribed_fields", names.join(","))
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        response.confirmed()
    }

    /// The apps subscribed to the Page's webhooks, each with its fields
    /// (`GET /{page-id}/subscribed_apps`).
    ///
    /// # Errors
    ///
    /// The Graph kinds of [`send`](Self::send).
    pub async fn subscribed_apps(&self) -> Result<Vec<PageSubscribedApp>, Error> {
        let apps: SubscribedApps = self
            .graph
            .get(&self.subscribed_apps_path())
            .token(&self.token)
            .throttle(&self.throttle)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        Ok(apps.data)
    }

    fn subscribed_apps_path(&self) -> String {
        format!("{}/subscribed_apps", self.page_id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_names_and_unknown_ones_survive() {
        for field in PageWebhookField::INBOX {
            assert_eq!(PageWebhookField::parse(field.as_str()), field);
        }
        let apps: SubscribedApps = serde_json::from_str(
            r#"{"data":[{"category":"Business","link":"https://example.com/","name":"Inbox",
                "id":"1234567890","subscribed_fields":["messages","message_echoes","feed"]}]}"#,
        )
        .unwrap();
        assert_eq!(
            apps.data[0].subscribed_fields,
            [
                PageWebhookField::Messages,
                PageWebhookField::MessageEchoes,
                PageWebhookField::Other("feed".to_owned())
            ]
        );
        assert_eq!(
            serde_json::to_string(&PageWebhookField::Other("feed".to_owned())).unwrap(),
            r#""feed""#
        );
    }
}
