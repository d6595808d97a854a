use serde::Serialize;

use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate;
use crate::ValidationProblem;
use crate::limits::Limit;
use crate::{Error, Wamid};

/// A reaction message (`type: reaction`): an emoji on a message the user sent, or the removal
/// of an earlier reaction.
///
/// Meta does not deliver reactions to messages older than 30 days, deleted messages or
/// reactions; it reports those with error 131009 in a webhook, not in the response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reaction {
    envelope: Envelope,
    reaction: ReactionBody,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ReactionBody {
    message_id: Wamid,
    emoji: String,
}

impl Reaction {
    /// Reacts to `message_id` with `emoji`: one emoji, such as `😀` (or the escape `\u{1F600}`).
    pub fn new(
        to: impl Into<Recipient>,
        message_id: impl Into<Wamid>,
        emoji: impl Into<String>,
    ) -> Self {
        Self {
            envelope: Envelope::new(to),
            reaction: ReactionBody {
                message_id: message_id.into(),
                emoji: emoji.into(),
            },
        }
    }

    /// Removes the business's reaction from `message_id` (an empty `emoji`).
    pub fn remove(to: impl Into<Recipient>, message_id: impl Into<Wamid>) -> Self {
        Self::new(to, message_id, String::new())
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    ///
    /// Without an emoji database this cannot prove the text is one emoji; it rejects what
    /// cannot be one: whitespace, control characters, or more than
    /// [`REACTION_EMOJI_MAX_CHARS`](crate::limits::REACTION_EMOJI_MAX_CHARS) scalar values.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        let ReactionBody { message_id, emoji } = &self.reaction;
        validate::not_blank(message_id.as_str(), || "reaction.message_id".to_owned())?;
        // An empty emoji is a removal, not a mistake.
        if !emoji.is_empty() {
            if emoji.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return validate::fail(
                    || "reaction.emoji".to_owned(),
                    ValidationProblem::Invalid("contains whitespace or control characters"),
                );
            }
            validate::max_chars(emoji, Limit::ReactionEmoji, || "reaction.emoji".to_owned())?;
        }
        self.envelope.seal(Content::Reaction(self.reaction))
    }
}
