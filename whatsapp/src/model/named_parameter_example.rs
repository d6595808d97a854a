use serde::{Deserialize, Serialize};

/// The example value of one named parameter (`{{first_name}}`), as listed in
/// `header_text_named_params` or `body_text_named_params`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NamedParameterExample {
    /// The parameter's name, without braces.
    pub param_name: String,
    /// The example value Meta's reviewers see.
    pub example: String,
}

impl NamedParameterExample {
    /// An example for the parameter `param_name`.
    pub fn new(param_name: impl Into<String>, example: impl Into<String>) -> Self {
        Self {
            param_name: param_name.into(),
            example: example.into(),
        }
    }
}
