use serde::Deserialize;

/// The `sender` or `recipient` of a messaging item.
///
/// For messages from a person, the sender is the person's PSID and the recipient the page id;
/// for echoes of the page's own messages it is the other way round. People who wrote through a
/// plugin before they have a PSID (such as the checkbox plugin) are named by `user_ref` instead.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Party {
    /// The PSID or page id. Meta sends it as a string; a number is an error.
    #[serde(default)]
    pub id: Option<String>,
    /// The plugin's reference for a person who has no PSID yet.
    #[serde(default)]
    pub user_ref: Option<String>,
}

impl Party {
    /// The id, or the `user_ref` when there is no id.
    pub fn id_or_user_ref(&self) -> Option<&str> {
        self.id.as_deref().or(self.user_ref.as_deref())
    }
}
