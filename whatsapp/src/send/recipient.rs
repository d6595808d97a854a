use crate::{Bsuid, WaId};

/// Who a message goes to.
///
/// Meta takes a phone number in `to` and, since 2026, a business-scoped user id (BSUID) in
/// `recipient`, for users whose phone number it no longer shares. When a request carries both,
/// `to` wins, so a message names exactly one of them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Recipient {
    /// A phone number, sent as `to`. Meta accepts the number with or without `+` and
    /// formatting; a [`WaId`] from a webhook always works.
    PhoneNumber(WaId),
    /// A business-scoped user id (or parent BSUID), sent as `recipient`. Meta does not deliver
    /// every message type to BSUIDs (error 131062): authentication templates with one-tap,
    /// zero-tap or copy-code buttons still need a phone number.
    Bsuid(Bsuid),
}

impl Recipient {
    /// The phone number or BSUID as sent.
    pub fn as_str(&self) -> &str {
        match self {
            Self::PhoneNumber(id) => id.as_str(),
            Self::Bsuid(id) => id.as_str(),
        }
    }

    /// The body key Meta reads this recipient from: `to` or `recipient`.
    pub(crate) fn key(&self) -> &'static str {
        match self {
            Self::PhoneNumber(_) => "to",
            Self::Bsuid(_) => "recipient",
        }
    }
}

impl From<WaId> for Recipient {
    fn from(id: WaId) -> Self {
        Self::PhoneNumber(id)
    }
}

impl From<Bsuid> for Recipient {
    fn from(id: Bsuid) -> Self {
        Self::Bsuid(id)
    }
}
