use serde::{Deserialize, Serialize};

/// Meta's answer to a Send API call.
///
/// `recipient_id` is absent for messages sent by `user_ref` or to a comment; `message_id`
/// is absent for sender actions; `attachment_id` is present when a reusable attachment was
/// sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SendResponse {
    /// The recipient's page- or Instagram-scoped id.
    #[serde(default)]
    pub recipient_id: Option<String>,
    /// The new message's `mid`.
    #[serde(default)]
    pub message_id: Option<String>,
    /// The id under which a reusable attachment was saved.
    #[serde(default)]
    pub attachment_id: Option<String>,
}
