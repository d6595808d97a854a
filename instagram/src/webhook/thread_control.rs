use serde::Deserialize;

use super::lenient::opt_id;

/// A handover protocol event (webhook field `messaging_handover`): the thread was passed to
/// this app (`pass_thread_control`), taken from it (`take_thread_control`), or another app asks
/// for it (`request_thread_control`). Which one it is, is the
/// [`MessagingEvent`](super::MessagingEvent) variant.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ThreadControl {
    /// The app that owned the thread before.
    #[serde(default, deserialize_with = "opt_id")]
    pub previous_owner_app_id: Option<String>,
    /// The app that owns the thread now.
    #[serde(default, deserialize_with = "opt_id")]
    pub new_owner_app_id: Option<String>,
    /// The app that asks for the thread.
    #[serde(default, deserialize_with = "opt_id")]
    pub requested_owner_app_id: Option<String>,
    /// The string the other app attached.
    #[serde(default)]
    pub metadata: Option<String>,
}
