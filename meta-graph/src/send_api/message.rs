use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::Limits;
use super::attachment::Attachment;
use super::quick_reply::QuickReply;
use super::validation::{self, Problem, ValidationError};

/// Who a Send API message goes to (`recipient`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Recipient {
    /// `{"id": …}`: a page-scoped id (PSID) or Instagram-scoped id (IGSID).
    Id(String),
    /// `{"user_ref": …}`: a person who used the checkbox or customer chat plugin.
    UserRef(String),
    /// `{"comment_id": …}`: a private reply to a comment on a post.
    CommentId(String),
    /// `{"post_id": …}`: a private reply to a visitor post on a Page.
    PostId(String),
}

impl Recipient {
    fn id(&self) -> &str {
        match self {
            Self::Id(id) | Self::UserRef(id) | Self::CommentId(id) | Self::PostId(id) => id,
        }
    }
}

impl From<String> for Recipient {
    fn from(id: String) -> Self {
        Self::Id(id)
    }
}

impl From<&str> for Recipient {
    fn from(id: &str) -> Self {
        Self::Id(id.to_owned())
    }
}

/// Why a message is sent (`messaging_type`), which decides when it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum MessagingType {
    /// `RESPONSE`: a reply within the standard messaging window (24 hours after the person's
    /// last message).
    Response,
    /// `UPDATE`: a message sent on the business's own initiative, also within the window.
    Update,
    /// `MESSAGE_TAG`: outside the window, with a [`MessageTag`].
    MessageTag,
}

/// A message tag: sends a personally relevant update outside the standard window, for the
/// uses Meta allows (never promotional content).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageTag {
    /// `HUMAN_AGENT`: a reply written by a person, up to 7 days after the person's last
    /// message (needs the Human Agent permission).
    HumanAgent,
    /// `ACCOUNT_UPDATE`: a non-recurring change to the person's application or account
    /// (Messenger only).
    AccountUpdate,
    /// `CONFIRMED_EVENT_UPDATE`: a reminder or update about an event the person registered for
    /// (Messenger only).
    ConfirmedEventUpdate,
    /// `POST_PURCHASE_UPDATE`: an update about a recent purchase (Messenger only).
    PostPurchaseUpdate,
    /// A tag this version does not know, sent as given.
    Other(String),
}

impl MessageTag {
    /// The tag as Meta spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::HumanAgent => "HUMAN_AGENT",
            Self::AccountUpdate => "ACCOUNT_UPDATE",
            Self::ConfirmedEventUpdate => "CONFIRMED_EVENT_UPDATE",
            Self::PostPurchaseUpdate => "POST_PURCHASE_UPDATE",
            Self::Other(tag) => tag,
        }
    }
}

impl Serialize for MessageTag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Content {
    Text(String),
    Attachment(Attachment),
}

/// A Send API message being built: required parts in the constructor, the rest through
/// setters; [`build`](Self::build) checks everything against a product's [`Limits`].
#[derive(Clone, Debug, PartialEq)]
pub struct SendMessage {
    recipient: Recipient,
    content: Content,
    quick_replies: Vec<QuickReply>,
    metadata: Option<String>,
    messaging_type: MessagingType,
    tag: Option<MessageTag>,
    reply_to: Option<String>,
    persona_id: Option<String>,
}

impl SendMessage {
    fn new(recipient: impl Into<Recipient>, content: Content) -> Self {
        Self {
            recipient: recipient.into(),
            content,
            quick_replies: Vec::new(),
            metadata: None,
            messaging_type: MessagingType::Response,
            tag: None,
            reply_to: None,
            persona_id: None,
        }
    }

    /// A text message (`message.text`), sent as a `RESPONSE`.
    pub fn text(recipient: impl Into<Recipient>, text: impl Into<String>) -> Self {
        Self::new(recipient, Content::Text(text.into()))
    }

    /// An attachment message (`message.attachment`), sent as a `RESPONSE`.
    pub fn attachment(recipient: impl Into<Recipient>, attachment: Attachment) -> Self {
        Self::new(recipient, Content::Attachment(attachment))
    }

    /// Adds quick replies.
    pub fn quick_replies(mut self, replies: impl IntoIterator<Item = QuickReply>) -> Self {
        self.quick_replies.extend(replies);
        self
    }

    /// Data passed back in the message's echo webhook (`message.metadata`).
    pub fn metadata(mut self, metadata: impl Into<String>) -> Self {
        self.metadata = Some(metadata.into());
        self
    }

    /// Sends the message as an `UPDATE` (business-initiated, within the window).
    pub fn update(mut self) -> Self {
        self.messaging_type = MessagingType::Update;
        self.tag = None;
        self
    }

    /// Sends the message with a tag (`MESSAGE_TAG`), outside the standard window.
    pub fn tag(mut self, tag: MessageTag) -> Self {
        self.messaging_type = MessagingType::MessageTag;
        self.tag = Some(tag);
        self
    }

    /// Quotes the message `mid` (`reply_to.mid`).
    pub fn reply_to(mut self, mid: impl Into<String>) -> Self {
        self.reply_to = Some(mid.into());
        self
    }

    /// Sends as a persona (`persona_id`): a name and picture standing for a human agent.
    pub fn persona(mut self, persona_id: impl Into<String>) -> Self {
        self.persona_id = Some(persona_id.into());
        self
    }

    /// The recipient.
    pub fn recipient(&self) -> &Recipient {
        &self.recipient
    }

    /// Checks every part against `limits` and returns the request body.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the first field that breaks a rule.
    pub fn build(self, limits: &Limits) -> Result<SendRequest, ValidationError> {
        validation::not_blank(self.recipient.id(), || "recipient".to_owned())?;
        match &self.content {
            Content::Text(text) => {
                validation::text(text, limits.text_max_chars, || "message.text".to_owned())?;
            }
            Content::Attachment(attachment) => attachment.check(limits, "message.attachment")?,
        }
        validation::count(self.quick_replies.len(), limits.quick_replies_max, || {
            "message.quick_replies".to_owned()
        })?;
        for (index, reply) in self.quick_replies.iter().enumerate() {
            reply.check(limits, &format!("message.quick_replies[{index}]"))?;
        }
        if let Some(metadata) = &self.metadata {
            validation::max_chars(metadata, limits.metadata_max_chars, || {
                "message.metadata".to_owned()
            })?;
        }
        if let Some(MessageTag::Other(tag)) = &self.tag {
            validation::not_blank(tag, || "tag".to_owned())?;
        }
        if let Some(mid) = &self.reply_to {
            validation::not_blank(mid, || "reply_to.mid".to_owned())?;
        }
        if let Some(persona) = &self.persona_id {
            validation::not_blank(persona, || "persona_id".to_owned())?;
        }
        if matches!(
            self.recipient,
            Recipient::CommentId(_) | Recipient::PostId(_)
        ) && !self.quick_replies.is_empty()
        {
            return Err(ValidationError::new(
                "message.quick_replies",
                Problem::NotAllowed("a private reply carries text or an attachment only"),
            ));
        }
        Ok(SendRequest(self))
    }
}

/// A checked Send API request body, ready for `POST /{page-or-account-id}/messages`.
///
/// Only [`SendMessage::build`] makes one. Serialize it to get the JSON body.
#[derive(Clone, Debug, PartialEq)]
pub struct SendRequest(SendMessage);

impl SendRequest {
    /// The recipient.
    pub fn recipient(&self) -> &Recipient {
        &self.0.recipient
    }

    /// The messaging type.
    pub fn messaging_type(&self) -> MessagingType {
        self.0.messaging_type
    }

    /// The tag, for tagged messages.
    pub fn tag(&self) -> Option<&MessageTag> {
        self.0.tag.as_ref()
    }
}

/// `{"recipient", "messaging_type", "tag"?, "message": {…}, "reply_to"?, "persona_id"?}`.
impl Serialize for SendRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let message = &self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("recipient", &message.recipient)?;
        map.serialize_entry("messaging_type", &message.messaging_type)?;
        if let Some(tag) = &message.tag {
            map.serialize_entry("tag", tag)?;
        }
        map.serialize_entry("message", &Body(message))?;
        if let Some(mid) = &message.reply_to {
            map.serialize_entry("reply_to", &ReplyTo { mid })?;
        }
        if let Some(persona) = &message.persona_id {
            map.serialize_entry("persona_id", persona)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct ReplyTo<'a> {
    mid: &'a str,
}

struct Body<'a>(&'a SendMessage);

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let message = self.0;
        let mut map = serializer.serialize_map(None)?;
        match &message.content {
            Content::Text(text) => map.serialize_entry("text", text)?,
            Content::Attachment(attachment) => map.serialize_entry("attachment", attachment)?,
        }
        if !message.quick_replies.is_empty() {
            map.serialize_entry("quick_replies", &message.quick_replies)?;
        }
        if let Some(metadata) = &message.metadata {
            map.serialize_entry("metadata", metadata)?;
        }
        map.end()
    }
}
