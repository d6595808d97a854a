//! Meta's documented limits on outgoing WhatsApp messages, checked by every builder in
//! [`send`](crate::send) before a message can exist.
//!
//! # How characters are counted
//!
//! Meta states these limits in "characters" and does not say how it counts them. This crate
//! counts Unicode scalar values (Rust's [`str::chars`]): `é` is one character, and so is `😀`,
//! which is two UTF-16 code units and four UTF-8 bytes. None of the limits below is documented
//! in bytes. An emoji built from several scalar values (a flag, a skin tone, a family joined by
//! zero-width joiners) counts as several characters here, which is the stricter reading.
//!
//! # Sources
//!
//! Each constant names the page of Meta's WhatsApp Cloud API documentation it comes from
//! ("Messages" guides under `whatsapp/cloud-api/messages/`, the message templates pages, and the
//! business-scoped user ID page). Where two of Meta's pages disagree, the constant says which it
//! follows and why.

/// Text message body: at most 4096 characters.
///
/// Source: Cloud API "Text messages" (`text.body`, "Maximum 4096 characters").
pub const TEXT_BODY_MAX_CHARS: usize = 4096;

/// Caption of an image, video or document message: at most 1024 characters.
///
/// Source: Cloud API "Image messages", "Video messages", "Document messages" ("Media asset
/// caption text. Maximum 1024 characters"). Audio and sticker messages take no caption.
pub const CAPTION_MAX_CHARS: usize = 1024;

/// Body text of a reply-buttons, call-to-action URL, Flow or location request message: at most
/// 1024 characters.
///
/// Source: "Interactive reply buttons messages", "Interactive call-to-action URL button
/// messages", "Location request messages" (all "Maximum 1024 characters"). List messages have
/// their own limit, [`LIST_BODY_MAX_CHARS`].
pub const INTERACTIVE_BODY_MAX_CHARS: usize = 1024;

/// Body text of a list message: at most 4096 characters.
///
/// Source: "Interactive list messages" (`<MESSAGE_BODY_TEXT>`, "Maximum 4096 characters").
/// Meta's older interactive object reference (and its Node.js SDK docs) give 1024 for every
/// interactive body; this crate follows the current list guide.
pub const LIST_BODY_MAX_CHARS: usize = 4096;

/// Text header of an interactive message: at most 60 characters.
///
/// Source: "Interactive list messages" and "Interactive call-to-action URL button messages"
/// (`<HEADER_TEXT>`, "Maximum 60 characters").
pub const HEADER_TEXT_MAX_CHARS: usize = 60;

/// Footer of an interactive message: at most 60 characters.
///
/// Source: "Interactive reply buttons messages", "Interactive list messages" (`<FOOTER_TEXT>`,
/// "Maximum 60 characters").
pub const FOOTER_MAX_CHARS: usize = 60;

/// Reply buttons in one message: at most 3 (and at least 1).
///
/// Source: "Interactive reply buttons messages" ("send up to three predefined replies").
pub const REPLY_BUTTONS_MAX: usize = 3;

/// Reply button label (`reply.title`): at most 20 characters, unique within the message.
///
/// Source: "Interactive reply buttons messages" (`<BUTTON_LABEL_TEXT>`, "Must be unique if
/// using multiple buttons. Maximum 20 characters").
pub const REPLY_BUTTON_TITLE_MAX_CHARS: usize = 20;

/// Reply button id (`reply.id`): at most 256 characters, unique within the message.
///
/// Source: "Interactive reply buttons messages" (`<BUTTON_ID>`, "A unique identifier for each
/// button... Maximum 256 characters").
pub const REPLY_BUTTON_ID_MAX_CHARS: usize = 256;

/// Label of the button that opens a list (`action.button`): at most 20 characters.
///
/// Source: "Interactive list messages" (`<BUTTON_TEXT>`, "Maximum 20 characters").
pub const LIST_BUTTON_MAX_CHARS: usize = 20;

/// Sections in a list message: at most 10 (and at least 1).
///
/// Source: "Interactive list messages" ("support up to 10 sections").
pub const LIST_SECTIONS_MAX: usize = 10;

/// Rows in a list message, all sections together: at most 10 (and at least 1).
///
/// Source: "Interactive list messages" ("up to 10 rows for all sections combined").
pub const LIST_ROWS_MAX: usize = 10;

/// Section title of a list message: at most 24 characters; required when there is more than one
/// section.
///
/// Source: "Interactive list messages" (`<SECTION_TITLE_TEXT>`, "Maximum 24 characters"); the
/// messages reference's section object ("Required if the message has more than one section").
pub const LIST_SECTION_TITLE_MAX_CHARS: usize = 24;

/// Row id of a list message: at most 200 characters.
///
/// Source: "Interactive list messages" (`<ROW_ID>`, "Maximum 200 characters").
pub const LIST_ROW_ID_MAX_CHARS: usize = 200;

/// Row title of a list message: at most 24 characters.
///
/// Source: "Interactive list messages" (`<ROW_TITLE_TEXT>`, "Maximum 24 characters").
pub const LIST_ROW_TITLE_MAX_CHARS: usize = 24;

/// Row description of a list message: at most 72 characters.
///
/// Source: "Interactive list messages" (`<ROW_DESCRIPTION_TEXT>`, "Maximum 72 characters").
pub const LIST_ROW_DESCRIPTION_MAX_CHARS: usize = 72;

/// Label of a call-to-action URL button (`display_text`): at most 20 characters.
///
/// Source: "Interactive call-to-action URL button messages" (`<BUTTON_LABEL_TEXT>`, "Maximum 20
/// characters").
pub const CTA_URL_DISPLAY_TEXT_MAX_CHARS: usize = 20;

/// Label of a Flow message's button (`flow_cta`): at most 30 characters.
///
/// Source: "Flow messages" ("CTA text length is advised to be 30 characters or less (no
/// emoji)"). Earlier versions of that page said "Character limit - 20 characters"; the current
/// page calls 30 advice, so this crate rejects only what the current page advises against.
pub const FLOW_CTA_MAX_CHARS: usize = 30;

/// Contact cards in one contacts message: at most 257 (and at least 1).
///
/// Source: "Contacts messages" ("Each message can include information for up to 257
/// contacts").
pub const CONTACTS_MAX: usize = 257;

/// Reaction emoji: at most 10 Unicode scalar values.
///
/// Meta's "Reaction messages" guide allows one emoji per reaction but gives no length. One emoji
/// can be a sequence of scalar values; the longest in Unicode's recommended set (a kiss or couple
/// with two skin tones) has 10, so anything longer cannot be a single emoji. This bound is
/// derived, not documented by Meta.
pub const REACTION_EMOJI_MAX_CHARS: usize = 10;

/// Template name: at most 512 characters.
///
/// Source: message templates pages (`<TEMPLATE_NAME>`, "Maximum 512 characters").
pub const TEMPLATE_NAME_MAX_CHARS: usize = 512;

/// Text parameter of a template's header: at most 60 characters.
///
/// Source: message templates "Components" (a text header is at most 60 characters) and the
/// messages reference's parameter object ("For the header component type: 60 characters").
pub const TEMPLATE_HEADER_TEXT_PARAMETER_MAX_CHARS: usize = 60;

/// Text parameter of a template's body when the message has other components (header or
/// buttons): at most 1024 characters.
///
/// Source: messages reference, parameter object ("1024 characters if other component types are
/// included, 32768 characters if body is the only component type included").
pub const TEMPLATE_BODY_TEXT_PARAMETER_MAX_CHARS: usize = 1024;

/// Text parameter of a template's body when the body is the only component sent: at most 32768
/// characters. See [`TEMPLATE_BODY_TEXT_PARAMETER_MAX_CHARS`].
pub const TEMPLATE_BODY_ONLY_TEXT_PARAMETER_MAX_CHARS: usize = 32_768;

/// Buttons of a template: at most 10, so a button `index` is 0 to 9.
///
/// Source: message templates "Components" ("Templates can have up to 10 buttons"). Meta's older
/// messages reference said "up to 3 buttons using index values of 0 to 2".
pub const TEMPLATE_BUTTONS_MAX: usize = 10;

/// Coupon code of a copy-code template button: at most 20 characters, alphanumeric.
///
/// Source: "Coupon code templates" (`<COPY_CODE_BUTTON_EXAMPLE_CODE>`, "Maximum 20
/// characters"); the sending guide says "Only accepting alphanumeric characters". Earlier
/// versions of the page said "Codes are limited to 15 characters".
pub const TEMPLATE_COUPON_CODE_MAX_CHARS: usize = 20;

/// A limit a message broke, as reported by a
/// [`ValidationError`](crate::ValidationError).
///
/// Each variant stands for one of the constants of this module; [`Limit::max`] returns its
/// value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`TEXT_BODY_MAX_CHARS`].
    TextBody,
    /// [`CAPTION_MAX_CHARS`].
    Caption,
    /// [`INTERACTIVE_BODY_MAX_CHARS`].
    InteractiveBody,
    /// [`LIST_BODY_MAX_CHARS`].
    ListBody,
    /// [`HEADER_TEXT_MAX_CHARS`].
    HeaderText,
    /// [`FOOTER_MAX_CHARS`].
    Footer,
    /// [`REPLY_BUTTONS_MAX`].
    ReplyButtons,
    /// [`REPLY_BUTTON_TITLE_MAX_CHARS`].
    ReplyButtonTitle,
    /// [`REPLY_BUTTON_ID_MAX_CHARS`].
    ReplyButtonId,
    /// [`LIST_BUTTON_MAX_CHARS`].
    ListButton,
    /// [`LIST_SECTIONS_MAX`].
    ListSections,
    /// [`LIST_ROWS_MAX`].
    ListRows,
    /// [`LIST_SECTION_TITLE_MAX_CHARS`].
    ListSectionTitle,
    /// [`LIST_ROW_ID_MAX_CHARS`].
    ListRowId,
    /// [`LIST_ROW_TITLE_MAX_CHARS`].
    ListRowTitle,
    /// [`LIST_ROW_DESCRIPTION_MAX_CHARS`].
    ListRowDescription,
    /// [`CTA_URL_DISPLAY_TEXT_MAX_CHARS`].
    CtaUrlDisplayText,
    /// [`FLOW_CTA_MAX_CHARS`].
    FlowCta,
    /// [`CONTACTS_MAX`].
    Contacts,
    /// [`REACTION_EMOJI_MAX_CHARS`].
    ReactionEmoji,
    /// [`TEMPLATE_NAME_MAX_CHARS`].
    TemplateName,
    /// [`TEMPLATE_HEADER_TEXT_PARAMETER_MAX_CHARS`].
    TemplateHeaderTextParameter,
    /// [`TEMPLATE_BODY_TEXT_PARAMETER_MAX_CHARS`].
    TemplateBodyTextParameter,
    /// [`TEMPLATE_BODY_ONLY_TEXT_PARAMETER_MAX_CHARS`].
    TemplateBodyOnlyTextParameter,
    /// [`TEMPLATE_BUTTONS_MAX`].
    TemplateButtons,
    /// [`TEMPLATE_COUPON_CODE_MAX_CHARS`].
    TemplateCouponCode,
}

impl Limit {
    /// The largest value allowed: a number of characters, or of items for
    /// [`ReplyButtons`](Self::ReplyButtons), [`ListSections`](Self::ListSections),
    /// [`ListRows`](Self::ListRows), [`Contacts`](Self::Contacts) and
    /// [`TemplateButtons`](Self::TemplateButtons).
    pub fn max(self) -> usize {
        match self {
            Self::TextBody => TEXT_BODY_MAX_CHARS,
            Self::Caption => CAPTION_MAX_CHARS,
            Self::InteractiveBody => INTERACTIVE_BODY_MAX_CHARS,
            Self::ListBody => LIST_BODY_MAX_CHARS,
            Self::HeaderText => HEADER_TEXT_MAX_CHARS,
            Self::Footer => FOOTER_MAX_CHARS,
            Self::ReplyButtons => REPLY_BUTTONS_MAX,
            Self::ReplyButtonTitle => REPLY_BUTTON_TITLE_MAX_CHARS,
            Self::ReplyButtonId => REPLY_BUTTON_ID_MAX_CHARS,
            Self::ListButton => LIST_BUTTON_MAX_CHARS,
            Self::ListSections => LIST_SECTIONS_MAX,
            Self::ListRows => LIST_ROWS_MAX,
            Self::ListSectionTitle => LIST_SECTION_TITLE_MAX_CHARS,
            Self::ListRowId => LIST_ROW_ID_MAX_CHARS,
            Self::ListRowTitle => LIST_ROW_TITLE_MAX_CHARS,
            Self::ListRowDescription => LIST_ROW_DESCRIPTION_MAX_CHARS,
            Self::CtaUrlDisplayText => CTA_URL_DISPLAY_TEXT_MAX_CHARS,
            Self::FlowCta => FLOW_CTA_MAX_CHARS,
            Self::Contacts => CONTACTS_MAX,
            Self::ReactionEmoji => REACTION_EMOJI_MAX_CHARS,
            Self::TemplateName => TEMPLATE_NAME_MAX_CHARS,
            Self::TemplateHeaderTextParameter => TEMPLATE_HEADER_TEXT_PARAMETER_MAX_CHARS,
            Self::TemplateBodyTextParameter => TEMPLATE_BODY_TEXT_PARAMETER_MAX_CHARS,
            Self::TemplateBodyOnlyTextParameter => TEMPLATE_BODY_ONLY_TEXT_PARAMETER_MAX_CHARS,
            Self::TemplateButtons => TEMPLATE_BUTTONS_MAX,
            Self::TemplateCouponCode => TEMPLATE_COUPON_CODE_MAX_CHARS,
        }
    }
}
