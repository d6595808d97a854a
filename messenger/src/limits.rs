//! The Messenger Platform's limits on outgoing messages, checked when a message is built.
//!
//! Lengths count Unicode characters (scalar values), as Meta's "characters". The same values
//! make up [`LIMITS`], which [`SendMessage::build`](crate::send::SendMessage::build) takes.

use meta_graph::send_api::Limits;

/// All the limits below, for [`SendMessage::build`](crate::send::SendMessage::build).
pub const LIMITS: Limits = Limits::MESSENGER;

/// Longest text message: 2,000 characters.
pub const TEXT_MAX_CHARS: usize = LIMITS.text_max_chars;
/// Most quick replies on a message: 13.
pub const QUICK_REPLIES_MAX: usize = LIMITS.quick_replies_max;
/// Longest quick reply title: 20 characters.
pub const QUICK_REPLY_TITLE_MAX_CHARS: usize = LIMITS.quick_reply_title_max_chars;
/// Longest quick reply or postback payload: 1,000 characters.
pub const PAYLOAD_MAX_CHARS: usize = LIMITS.payload_max_chars;
/// Most elements of a generic template: 10.
pub const GENERIC_ELEMENTS_MAX: usize = LIMITS.generic_elements_max;
/// Most buttons of a template element or button template: 3.
pub const BUTTONS_MAX: usize = LIMITS.buttons_max;
/// Longest template element title: 80 characters.
pub const TITLE_MAX_CHARS: usize = LIMITS.title_max_chars;
/// Longest template element subtitle: 80 characters.
pub const SUBTITLE_MAX_CHARS: usize = LIMITS.subtitle_max_chars;
/// Longest button title: 20 characters.
pub const BUTTON_TITLE_MAX_CHARS: usize = LIMITS.button_title_max_chars;
/// Longest button template text: 640 characters.
pub const BUTTON_TEMPLATE_TEXT_MAX_CHARS: usize = LIMITS.button_template_text_max_chars;
