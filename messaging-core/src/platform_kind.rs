use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The messaging platform a value comes from or is meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum PlatformKind {
    /// The WhatsApp Cloud API.
    #[serde(rename = "whatsapp")]
    WhatsApp,
    /// The Messenger Platform (Facebook Pages).
    Messenger,
    /// Instagram Messaging.
    Instagram,
}

impl PlatformKind {
    /// Every platform, in a stable order.
    pub const ALL: [PlatformKind; 3] = [Self::WhatsApp, Self::Messenger, Self::Instagram];

    /// The lowercase name used in the JSON contract: `whatsapp`, `messenger` or `instagram`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::WhatsApp => "whatsapp",
            Self::Messenger => "messenger",
            Self::Instagram => "instagram",
        }
    }
}

impl fmt::Display for PlatformKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The string given to [`PlatformKind::from_str`] names no platform.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown platform {0:?}: expected whatsapp, messenger or instagram")]
pub struct UnknownPlatform(pub String);

impl FromStr for PlatformKind {
    type Err = UnknownPlatform;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownPlatform(s.to_owned()))
    }
}
