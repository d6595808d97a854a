use serde::{Deserialize, Serialize};

use crate::UserId;

/// Someone in a [`Conversation`](crate::Conversation), as the Conversations API lists them.
///
/// The business account itself is listed too: Meta returns both sides.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Participant {
    /// The PSID, IGSID, WhatsApp user id, or the business's own account id.
    pub id: UserId,
    /// The display name (Messenger, WhatsApp profile name), when known.
    pub name: Option<String>,
    /// The Instagram username, when known.
    pub username: Option<String>,
}

impl Participant {
    /// A participant known only by id.
    pub fn new(id: impl Into<UserId>) -> Self {
        Self {
            id: id.into(),
            name: None,
            username: None,
        }
    }

    /// Sets the display name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the username.
    pub fn with_username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }
}
