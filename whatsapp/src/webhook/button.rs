use serde::Deserialize;

/// A tap on a quick-reply button of a template message (`type: button`).
///
/// [`Message::context`](super::Message::context) names the template message.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Button {
    /// The payload the business set on the button.
    #[serde(default)]
    pub payload: Option<String>,
    /// The button's label.
    pub text: String,
}
