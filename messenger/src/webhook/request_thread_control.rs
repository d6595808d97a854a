use serde::Deserialize;

use super::lenient::opt_id;
use crate::AppId;

/// Another app asks this app, the thread owner, for thread control (`request_thread_control`,
/// webhook field `messaging_handovers`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RequestThreadControl {
    /// The app asking for the thread.
    #[serde(default, deserialize_with = "opt_id")]
    pub requested_owner_app_id: Option<AppId>,
    /// The string the asking app attached.
    #[serde(default)]
    pub metadata: Option<String>,
}
