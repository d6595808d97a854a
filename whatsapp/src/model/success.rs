use serde::{Deserialize, Serialize};

/// The `{"success": true}` answer of calls that change something without returning it:
/// deleting media or a template, updating the business profile, subscribing an app.
///
/// Meta reports failures as Graph errors, so `success` is normally `true`; check it anyway,
/// since a `false` means the change did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Success {
    /// Whether Meta applied the change.
    pub success: bool,
}
