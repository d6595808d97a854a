use serde::Deserialize;

/// The quick reply a person tapped (`message.quick_reply`); the message's text is the
/// button's title.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct QuickReply {
    /// The developer-defined payload of the quick reply.
    #[serde(default)]
    pub payload: Option<String>,
}
