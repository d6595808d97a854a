/// The limits a product sets on Send API messages, checked by
/// [`SendMessage::build`](super::SendMessage::build) before anything is sent.
///
/// Lengths count Unicode characters (scalar values), as Meta's "characters".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest `message.text`.
    pub text_max_chars: usize,
    /// Most quick replies on one message.
    pub quick_replies_max: usize,
    /// Longest quick reply title.
    pub quick_reply_title_max_chars: usize,
    /// Longest quick reply or postback payload.
    pub payload_max_chars: usize,
    /// Longest `message.metadata`, passed back in the echo.
    pub metadata_max_chars: usize,
    /// Most elements of a generic template (a carousel).
    pub generic_elements_max: usize,
    /// Most buttons of a template element or a button template.
    pub buttons_max: usize,
    /// Longest template element title.
    pub title_max_chars: usize,
    /// Longest template element subtitle.
    pub subtitle_max_chars: usize,
    /// Longest button title.
    pub button_title_max_chars: usize,
    /// Longest text of a button template.
    pub button_template_text_max_chars: usize,
}

impl Limits {
    /// The Messenger Platform's limits for Facebook Pages, from the Send API reference, the
    /// quick replies guide and the template references: text 2,000 characters; 13 quick
    /// replies with titles of 20 characters; payloads of 1,000 characters; metadata under
    /// 1,000 characters; 10 generic template elements with titles and subtitles of 80
    /// characters; 3 buttons with titles of 20 characters; button template text of 640
    /// characters.
    pub const MESSENGER: Self = Self {
        text_max_chars: 2_000,
        quick_replies_max: 13,
        quick_reply_title_max_chars: 20,
        payload_max_chars: 1_000,
        metadata_max_chars: 1_000,
        generic_elements_max: 10,
        buttons_max: 3,
        title_max_chars: 80,
        subtitle_max_chars: 80,
        button_title_max_chars: 20,
        button_template_text_max_chars: 640,
    };

    /// Instagram Messaging's limits, from its Send API and template guides: text 1,000
    /// characters; the quick reply, payload, generic template and button limits of the
    /// Messenger Platform.
    pub const INSTAGRAM: Self = Self {
        text_max_chars: 1_000,
        ..Self::MESSENGER
    };
}
