use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::NamedParameterExample;

/// The `example` of a template component: sample values Meta's reviewers use, required for
/// every parameter and for media headers.
///
/// Which field is used depends on the component: `header_text` or
/// `header_text_named_params` for a text header, `header_handle` for a media header,
/// `body_text` or `body_text_named_params` for the body. Fields this version does not know
/// are kept in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ComponentExample {
    /// Example values of a text header's positional parameter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_text: Vec<String>,
    /// Example values of a text header's named parameter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_text_named_params: Vec<NamedParameterExample>,
    /// Uploaded asset handles (from the Resumable Upload API) for a media header.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_handle: Vec<String>,
    /// Example values of the body's positional parameters: one inner list, in placeholder
    /// order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body_text: Vec<Vec<String>>,
    /// Example values of the body's named parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body_text_named_params: Vec<NamedParameterExample>,
    /// Example fields this version does not model, as Meta sent them.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
