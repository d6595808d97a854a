use serde::Deserialize;

use crate::Wamid;

/// What an incoming message relates to (`messages[].context`): the message it replies to,
/// whether it was forwarded, or the catalog product the user asked about.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Context {
    /// The sender of the message replied to (for replies to the business: its phone number).
    #[serde(default)]
    pub from: Option<String>,
    /// The id of the message replied to, or of the template whose quick-reply button was
    /// tapped.
    #[serde(default)]
    pub id: Option<Wamid>,
    /// The message was forwarded.
    #[serde(default)]
    pub forwarded: bool,
    /// The message was forwarded more than five times.
    #[serde(default)]
    pub frequently_forwarded: bool,
    /// The product the user asked about from a catalog or product message.
    #[serde(default)]
    pub referred_product: Option<ReferredProduct>,
}

/// A catalog product a message refers to.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ReferredProduct {
    /// The catalog's id.
    #[serde(default)]
    pub catalog_id: Option<String>,
    /// The product's retailer id (SKU) in that catalog.
    #[serde(default)]
    pub product_retailer_id: Option<String>,
}
