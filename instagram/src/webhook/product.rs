use serde::Deserialize;

use super::lenient::opt_id;

/// The Instagram Shops product a person wrote about (`referral.product`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Product {
    /// The product's id.
    #[serde(default, deserialize_with = "opt_id")]
    pub id: Option<String>,
}
