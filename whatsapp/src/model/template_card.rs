use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::TemplateComponent;

/// One card of a `CAROUSEL` component: its own header, body and buttons.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateCard {
    /// The card's components.
    #[serde(default)]
    pub components: Vec<TemplateComponent>,
    /// Card fields this version does not model, as Meta sent them.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TemplateCard {
    /// A card made of `components`.
    pub fn new(components: impl IntoIterator<Item = TemplateComponent>) -> Self {
        Self {
            components: components.into_iter().collect(),
            extra: Map::new(),
        }
    }
}
