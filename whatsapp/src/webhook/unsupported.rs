use serde::Deserialize;

/// A message the Cloud API cannot deliver to the business (`type: unsupported`), such as a
/// poll; [`Message::errors`](super::Message::errors) says why (code `131051` or `131060`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Unsupported {
    /// What the user sent, such as `poll_creation` or `edit`, when Meta says.
    #[serde(rename = "type", default)]
    pub unsupported_type: Option<String>,
}
