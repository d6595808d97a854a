use std::collections::BTreeMap;

use serde::Deserialize;

/// The page changed the handover roles of its apps (`app_roles`, webhook field
/// `messaging_handovers`): each app id with its roles, such as `primary_receiver`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct AppRoles {
    /// Roles by app id, as Meta spells them.
    pub roles: BTreeMap<String, Vec<String>>,
}
