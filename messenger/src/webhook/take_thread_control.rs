use serde::Deserialize;

use super::lenient::opt_id;
use crate::AppId;

/// Thread control was taken away from this app (`take_thread_control`, webhook field
/// `messaging_handovers`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TakeThreadControl {
    /// The app that had the thread.
    #[serde(default, deserialize_with = "opt_id")]
    pub previous_owner_app_id: Option<AppId>,
    /// The app that took it.
    #[serde(default, deserialize_with = "opt_id")]
    pub new_owner_app_id: Option<AppId>,
    /// The string the taking app attached.
    #[serde(default)]
    pub metadata: Option<String>,
}
