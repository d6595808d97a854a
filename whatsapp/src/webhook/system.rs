use serde::Deserialize;

use crate::{Bsuid, WaId};

string_enum! {
    /// What a [`System`] message reports.
    pub enum SystemMessageType {
        /// The user changed their phone number; [`System::wa_id`] is the new one.
        UserChangedNumber = "user_changed_number",
        /// The user's business-scoped user id changed.
        UserChangedUserId = "user_changed_user_id",
        /// The user's identity (security code) changed.
        CustomerIdentityChanged = "customer_identity_changed",
    }
}

/// A notice from WhatsApp about the user rather than a message from them (`type: system`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct System {
    /// A description, such as `User A changed from 1650… to 1219…`.
    #[serde(default)]
    pub body: Option<String>,
    /// What changed.
    #[serde(rename = "type", default)]
    pub system_type: Option<SystemMessageType>,
    /// The user's new WhatsApp id, for a number change.
    #[serde(default)]
    pub wa_id: Option<WaId>,
    /// The user's new business-scoped user id, for a BSUID change.
    #[serde(default)]
    pub user_id: Option<Bsuid>,
}
