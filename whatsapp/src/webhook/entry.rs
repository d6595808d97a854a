use serde::Deserialize;

use super::{Change, Timestamp};
use crate::WabaId;

/// One `entry[]` of a webhook: the changes of one WhatsApp Business Account.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Entry {
    /// The WhatsApp Business Account.
    pub id: WabaId,
    /// When the changes happened, in Unix seconds; sent for account-level fields, not for
    /// `messages`.
    #[serde(default)]
    pub time: Option<Timestamp>,
    /// The changes, in the order Meta sent them.
    #[serde(default)]
    pub changes: Vec<Change>,
}
