//! Instagram Messaging's limits on outgoing messages and profile settings, checked before a
//! request is made.
//!
//! Lengths count Unicode characters (scalar values), as Meta's "characters". The message
//! limits make up [`LIMITS`], which
//! [`SendMessage::build`](meta_graph::send_api::SendMessage::build) takes.

use meta_graph::send_api::Limits;

/// The message limits below, for [`SendMessage::build`](meta_graph::send_api::SendMessage::build).
pub const LIMITS: Limits = Limits::INSTAGRAM;

/// Longest text message: 1,000 characters.
pub const TEXT_MAX_CHARS: usize = LIMITS.text_max_chars;
/// Most quick replies on a message: 13.
pub const QUICK_REPLIES_MAX: usize = LIMITS.quick_replies_max;
/// Longest quick reply title: 20 characters.
pub const QUICK_REPLY_TITLE_MAX_CHARS: usize = LIMITS.quick_reply_title_max_chars;
/// Longest quick reply or postback payload: 1,000 characters.
pub const PAYLOAD_MAX_CHARS: usize = LIMITS.payload_max_chars;
/// Most elements of a generic template: 10.
pub const GENERIC_ELEMENTS_MAX: usize = LIMITS.generic_elements_max;
/// Most buttons of a generic template element: 3.
pub const BUTTONS_MAX: usize = LIMITS.buttons_max;
/// Longest generic template title: 80 characters.
pub const TITLE_MAX_CHARS: usize = LIMITS.title_max_chars;
/// Longest generic template subtitle: 80 characters.
pub const SUBTITLE_MAX_CHARS: usize = LIMITS.subtitle_max_chars;
/// Longest button title: 20 characters.
pub const BUTTON_TITLE_MAX_CHARS: usize = LIMITS.button_title_max_chars;
/// Most ice breaker questions: 4.
pub const ICE_BREAKERS_MAX: usize = 4;
/// Longest ice breaker question: 80 characters.
pub const ICE_BREAKER_QUESTION_MAX_CHARS: usize = 80;
/// Most items of a persistent menu: 20.
pub const MENU_ITEMS_MAX: usize = 20;
/// Longest persistent menu item title: 30 characters.
pub const MENU_ITEM_TITLE_MAX_CHARS: usize = 30;
