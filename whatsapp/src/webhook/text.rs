use serde::Deserialize;

/// The content of a `text` message.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Text {
    /// The text, exactly as the user typed it.
    pub body: String,
}
