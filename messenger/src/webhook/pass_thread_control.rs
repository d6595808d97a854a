use serde::Deserialize;

use super::lenient::opt_id;
use crate::AppId;

/// Thread control was passed to this app (`pass_thread_control`, webhook field
/// `messaging_handovers`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PassThreadControl {
    /// The app that had the thread; `None` when the thread was idle.
    #[serde(default, deserialize_with = "opt_id")]
    pub previous_owner_app_id: Option<AppId>,
    /// The app that has it now.
    #[serde(default, deserialize_with = "opt_id")]
    pub new_owner_app_id: Option<AppId>,
    /// The string the passing app attached.
    #[serde(default)]
    pub metadata: Option<String>,
}
