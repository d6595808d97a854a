//! Limits Meta documents for creating message templates
//! (`POST /{waba-id}/message_templates`), checked by
//! [`CreateTemplate::validate`](super::CreateTemplate::validate).
//!
//! Lengths are in characters. Meta enforces these on its side too; checking first turns a
//! rejected API call into an error that names the offending field.

/// Longest template name. Names may only contain lowercase letters, digits and underscores.
pub const NAME_MAX_CHARS: usize = 512;

/// Longest text header.
pub const HEADER_TEXT_MAX_CHARS: usize = 60;

/// Most parameters in a text header.
pub const HEADER_TEXT_MAX_PARAMETERS: usize = 1;

/// Longest body text.
pub const BODY_TEXT_MAX_CHARS: usize = 1024;

/// Longest footer text.
pub const FOOTER_TEXT_MAX_CHARS: usize = 60;

/// Most buttons in a template, all types together.
pub const BUTTONS_MAX: usize = 10;

/// Most quick-reply buttons.
pub const QUICK_REPLY_BUTTONS_MAX: usize = 10;

/// Most URL buttons.
pub const URL_BUTTONS_MAX: usize = 2;

/// Most phone-number buttons.
pub const PHONE_NUMBER_BUTTONS_MAX: usize = 1;

/// Most copy-code buttons.
pub const COPY_CODE_BUTTONS_MAX: usize = 1;

/// Longest button label.
pub const BUTTON_TEXT_MAX_CHARS: usize = 25;

/// Longest URL of a URL button.
pub const BUTTON_URL_MAX_CHARS: usize = 2000;

/// Longest phone number of a phone-number button.
pub const BUTTON_PHONE_NUMBER_MAX_CHARS: usize = 20;

/// Longest example code of a copy-code button.
pub const COPY_CODE_EXAMPLE_MAX_CHARS: usize = 20;

/// Most templates a WhatsApp Business Account may create per hour (not checked locally:
/// it depends on calls this process cannot see).
pub const CREATED_PER_HOUR_MAX: usize = 100;
