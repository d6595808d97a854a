use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `example` of a template button: a list for URL buttons (the URL with its parameter
/// filled in), a single string for copy-code buttons (the code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ButtonExample {
    /// A single example, as copy-code buttons use.
    One(String),
    /// A list of examples, as URL buttons use.
    Many(Vec<String>),
    /// Any other shape, as Meta sent it.
    Other(Value),
}
