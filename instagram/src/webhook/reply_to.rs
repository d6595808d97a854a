use serde::Deserialize;

use super::Story;
use crate::Mid;

/// What a message replies to (`message.reply_to`): another message (an inline reply) or one of
/// the business's stories.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ReplyTo {
    /// The replied-to message, for inline replies.
    #[serde(default)]
    pub mid: Option<Mid>,
    /// The replied-to story, for story replies.
    #[serde(default)]
    pub story: Option<Story>,
}
