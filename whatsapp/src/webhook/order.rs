use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// An order a user placed from a catalog, single- or multi-product message (`type: order`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// The catalog the products come from.
    #[serde(default)]
    pub catalog_id: Option<String>,
    /// A note the user wrote with the order.
    #[serde(default)]
    pub text: Option<String>,
    /// The ordered products.
    #[serde(default)]
    pub product_items: Vec<ProductItem>,
}

/// One line of an [`Order`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ProductItem {
    /// The product's retailer id (SKU).
    #[serde(default)]
    pub product_retailer_id: Option<String>,
    /// How many.
    #[serde(default, deserialize_with = "number_or_string")]
    pub quantity: Option<f64>,
    /// The unit price.
    #[serde(default, deserialize_with = "number_or_string")]
    pub item_price: Option<f64>,
    /// The price's currency, an ISO 4217 code.
    #[serde(default)]
    pub currency: Option<String>,
}

/// Meta's examples show quantities and prices both as numbers and as strings; accept both, and
/// read a string that is not a number as absent rather than failing the batch.
fn number_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    struct NumberVisitor;

    impl Visitor<'_> for NumberVisitor {
        type Value = Option<f64>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number or a numeric string")
        }

        #[allow(clippy::cast_precision_loss)] // quantities and prices are far below 2^53
        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
            Ok(Some(value as f64))
        }

        #[allow(clippy::cast_precision_loss)] // quantities and prices are far below 2^53
        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(Some(value as f64))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
            Ok(Some(value))
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(value.trim().parse().ok())
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(NumberVisitor)
}
