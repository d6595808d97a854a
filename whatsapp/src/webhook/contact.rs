use serde::Deserialize;

use crate::{Bsuid, WaId};

/// A WhatsApp user named by a `messages` change (`value.contacts[]`): the sender of incoming
/// messages or, in status updates, the recipient.
///
/// Any part may be missing: status updates may carry only `wa_id`, and from 2026 users with a
/// username may come with a [`Bsuid`] and no `wa_id`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Contact {
    /// The user's profile.
    #[serde(default)]
    pub profile: Option<Profile>,
    /// The user's WhatsApp id (phone number), when Meta shares it.
    #[serde(default)]
    pub wa_id: Option<WaId>,
    /// The user's business-scoped user id.
    #[serde(default)]
    pub user_id: Option<Bsuid>,
    /// The user's parent BSUID, shared across linked business portfolios, when enabled.
    #[serde(default)]
    pub parent_user_id: Option<Bsuid>,
    /// A hash of the user's identity key, sent only when the identity change check is on; it
    /// changes when the user reinstalls WhatsApp or switches phones.
    #[serde(default)]
    pub identity_key_hash: Option<String>,
}

/// The public profile of a [`Contact`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Profile {
    /// The display name the user set in WhatsApp.
    #[serde(default)]
    pub name: Option<String>,
    /// The user's WhatsApp username, when they adopted one.
    #[serde(default)]
    pub username: Option<String>,
}
