//! Every documented limit: the largest allowed value builds, one more fails with a typed
//! error naming the field, the limit, the actual length or count and the maximum.
//!
//! Lengths are counted in Unicode scalar values, so the test texts mix one-byte, two-byte and
//! four-byte characters (`😀` is one character, two UTF-16 units, four bytes).

use metabiz_whatsapp::limits::{self, Limit};
use metabiz_whatsapp::send::{
    Button, Contacts, Document, FlowRef, Header, Image, Interactive, OutgoingMessage, Parameter,
    Reaction, Row, Section, Template, TemplateButton, TemplateHeader, Text, Video,
};
use metabiz_whatsapp::{Error, ErrorKind, MediaId, ValidationError, WaId};
use proptest::prelude::*;

use crate::send_messages::barbara;

fn user() -> WaId {
    WaId::new("16505551234")
}

/// `n` characters cycling through `a`, `é` and `😀`.
fn text(n: usize) -> String {
    ['a', 'é', '😀'].iter().cycle().take(n).collect()
}

/// `n` alphanumeric characters, some of them multibyte.
fn alphanumeric(n: usize) -> String {
    ['A', 'é', '7'].iter().cycle().take(n).collect()
}

type Build = Box<dyn Fn(String) -> Result<OutgoingMessage, Error>>;

/// Each character limit with the field it applies to and a message that puts the text there.
fn character_limits() -> Vec<(Limit, &'static str, Build)> {
    let mut all = media_and_text_limits();
    all.extend(interactive_body_limits());
    all.extend(interactive_part_limits());
    all.extend(template_limits());
    all
}

/// The character limits of text and media messages.
fn media_and_text_limits() -> Vec<(Limit, &'static str, Build)> {
    vec![
        (
            Limit::TextBody,
            "text.body",
            Box::new(|s| Text::new(user(), s).build()),
        ),
        (
            Limit::Caption,
            "image.caption",
            Box::new(|s| Image::new(user(), MediaId::new("1")).caption(s).build()),
        ),
        (
            Limit::Caption,
            "video.caption",
            Box::new(|s| Video::new(user(), MediaId::new("1")).caption(s).build()),
        ),
        (
            Limit::Caption,
            "document.caption",
            Box::new(|s| Document::new(user(), MediaId::new("1")).caption(s).build()),
        ),
    ]
}

/// The body limit of each interactive message kind but lists.
fn interactive_body_limits() -> Vec<(Limit, &'static str, Build)> {
    vec![
        (
            Limit::InteractiveBody,
            "interactive.body.text",
            Box::new(|s| Interactive::buttons(user(), s, [Button::reply("a", "A")]).build()),
        ),
        (
            Limit::InteractiveBody,
            "interactive.body.text",
            Box::new(|s| Interactive::cta_url(user(), s, "Go", "https://example.com").build()),
        ),
        (
            Limit::InteractiveBody,
            "interactive.body.text",
            Box::new(|s| Interactive::flow(user(), s, FlowRef::id("1"), "Go").build()),
        ),
        (
            Limit::InteractiveBody,
            "interactive.body.text",
            Box::new(|s| Interactive::location_request(user(), s).build()),
        ),
    ]
}

/// The limits of list bodies and of interactive headers, footers, buttons and rows.
fn interactive_part_limits() -> Vec<(Limit, &'static str, Build)> {
    vec![
        (
            Limit::ListBody,
            "interactive.body.text",
            Box::new(|s| list(s, "Options", one_section()).build()),
        ),
        (
            Limit::HeaderText,
            "interactive.header.text",
            Box::new(|s| {
                Interactive::buttons(user(), "Body", [Button::reply("a", "A")])
                    .header(Header::text(s))
                    .build()
            }),
        ),
        (
            Limit::HeaderText,
            "interactive.header.text",
            Box::new(|s| list("Body", "Options", one_section()).header(s).build()),
        ),
        (
            Limit::HeaderText,
            "interactive.header.text",
            Box::new(|s| {
                Interactive::flow(user(), "Body", FlowRef::id("1"), "Go")
                    .header(s)
                    .build()
            }),
        ),
        (
            Limit::Footer,
            "interactive.footer.text",
            Box::new(|s| {
                Interactive::cta_url(user(), "Body", "Go", "https://example.com")
                    .footer(s)
                    .build()
            }),
        ),
        (
            Limit::ReplyButtonTitle,
            "interactive.action.buttons[0].reply.title",
            Box::new(|s| Interactive::buttons(user(), "Body", [Button::reply("a", s)]).build()),
        ),
        (
            Limit::ReplyButtonId,
            "interactive.action.buttons[1].reply.id",
            Box::new(|s| {
                let buttons = [Button::reply("a", "A"), Button::reply(s, "B")];
                Interactive::buttons(user(), "Body", buttons).build()
            }),
        ),
        (
            Limit::ListButton,
            "interactive.action.button",
            Box::new(|s| list("Body", s, one_section()).build()),
        ),
        (
            Limit::ListSectionTitle,
            "interactive.action.sections[1].title",
            Box::new(|s| {
                let sections = [
                    Section::new("First", [Row::new("a", "A")]),
                    Section::new(s, [Row::new("b", "B")]),
                ];
                list("Body", "Options", sections).build()
            }),
        ),
        (
            Limit::ListRowId,
            "interactive.action.sections[0].rows[0].id",
            Box::new(|s| list("Body", "Options", [Section::untitled([Row::new(s, "A")])]).build()),
        ),
        (
            Limit::ListRowTitle,
            "interactive.action.sections[0].rows[0].title",
            Box::new(|s| list("Body", "Options", [Section::untitled([Row::new("a", s)])]).build()),
        ),
        (
            Limit::ListRowDescription,
            "interactive.action.sections[0].rows[0].description",
            Box::new(|s| {
                let row = Row::new("a", "A").description(s);
                list("Body", "Options", [Section::untitled([row])]).build()
            }),
        ),
        (
            Limit::CtaUrlDisplayText,
            "interactive.action.parameters.display_text",
            Box::new(|s| Interactive::cta_url(user(), "Body", s, "https://example.com").build()),
        ),
        (
            Limit::FlowCta,
            "interactive.action.parameters.flow_cta",
            Box::new(|s| Interactive::flow(user(), "Body", FlowRef::id("1"), s).build()),
        ),
    ]
}

/// The character limits of template messages.
fn template_limits() -> Vec<(Limit, &'static str, Build)> {
    vec![
        (
            Limit::TemplateName,
            "template.name",
            Box::new(|s| Template::new(user(), s, "en_US").build()),
        ),
        (
            Limit::TemplateHeaderTextParameter,
            "template.components[0].parameters[0].text",
            Box::new(|s| {
                Template::new(user(), "t", "en_US")
                    .header(TemplateHeader::text(s))
                    .build()
            }),
        ),
        (
            Limit::TemplateBodyTextParameter,
            "template.components[0].parameters[1].text",
            Box::new(|s| {
                Template::new(user(), "t", "en_US")
                    .body([Parameter::text("x"), Parameter::text(s)])
                    .button(TemplateButton::quick_reply(0, "stop"))
                    .build()
            }),
        ),
        (
            Limit::TemplateBodyTextParameter,
            "template.components[1].parameters[0].text",
            Box::new(|s| {
                Template::new(user(), "t", "en_US")
                    .header(TemplateHeader::text("Hello"))
                    .body([Parameter::text(s)])
                    .build()
            }),
        ),
        (
            Limit::TemplateBodyOnlyTextParameter,
            "template.components[0].parameters[0].text",
            Box::new(|s| {
                Template::new(user(), "t", "en_US")
                    .body([Parameter::text(s)])
                    .build()
            }),
        ),
    ]
}

fn list(
    body: impl Into<String>,
    button: impl Into<String>,
    sections: impl IntoIterator<Item = Section>,
) -> metabiz_whatsapp::send::List {
    Interactive::list(user(), body, button, sections)
}

fn one_section() -> [Section; 1] {
    [Section::untitled([Row::new("a", "A")])]
}

#[track_caller]
fn assert_exceeds(error: &Error, limit: Limit, field: &str, actual: usize) {
    assert_eq!(error.kind(), ErrorKind::Validation, "{limit:?}");
    let detail = error
        .validation()
        .expect("a validation error has its detail");
    assert_eq!(detail.field(), field, "{limit:?}");
    assert_eq!(detail.limit(), Some(limit), "{field}");
    assert_eq!(detail.actual(), Some(actual), "{field}");
    assert_eq!(detail.max(), Some(limit.max()), "{field}");
}

#[test]
fn every_character_limit_allows_its_maximum_and_rejects_one_more() {
    for (limit, field, build) in character_limits() {
        let max = limit.max();
        if let Err(error) = build(text(max)) {
            panic!("{limit:?} at {field}: {max} characters must pass: {error:?}");
        }
        let error = build(text(max + 1)).expect_err(field);
        assert_exceeds(&error, limit, field, max + 1);
    }
}

#[test]
fn reaction_emoji_allows_the_longest_emoji_sequence() {
    // Kiss with two skin tones: 10 scalar values, one emoji.
    let kiss = "👩🏻\u{200d}❤\u{fe0f}\u{200d}💋\u{200d}👨🏼";
    assert_eq!(kiss.chars().count(), limits::REACTION_EMOJI_MAX_CHARS);
    let build = |emoji: &str| Reaction::new(user(), "wamid.1", emoji).build();
    build(kiss).expect("the longest emoji is allowed");
    let error = build(&format!("{kiss}😀")).unwrap_err();
    assert_exceeds(&error, Limit::ReactionEmoji, "reaction.emoji", 11);
}

#[test]
fn coupon_code_allows_its_maximum_and_rejects_one_more() {
    let build = |code: String| {
        Template::new(user(), "t", "en_US")
            .button(TemplateButton::copy_code(0, code))
            .build()
    };
    let max = Limit::TemplateCouponCode.max();
    build(alphanumeric(max)).expect("at the maximum");
    let error = build(alphanumeric(max + 1)).unwrap_err();
    assert_exceeds(
        &error,
        Limit::TemplateCouponCode,
        "template.components[0].parameters[0].coupon_code",
        max + 1,
    );
}

type BuildItems = Box<dyn Fn(usize) -> Result<OutgoingMessage, Error>>;

fn item_limits() -> Vec<(Limit, &'static str, BuildItems)> {
    vec![
        (
            Limit::ReplyButtons,
            "interactive.action.buttons",
            Box::new(|n| {
                let buttons = (0..n).map(|i| Button::reply(format!("id{i}"), format!("Title {i}")));
                Interactive::buttons(user(), "Body", buttons).build()
            }),
        ),
        (
            Limit::ListSections,
            "interactive.action.sections",
            Box::new(|n| {
                let sections = (0..n).map(|i| {
                    Section::new(format!("Section {i}"), [Row::new(format!("r{i}"), "Row")])
                });
                // Sections beyond 10 also break the row limit; the section count is checked first.
                list("Body", "Options", sections).build()
            }),
        ),
        (
            Limit::ListRows,
            "interactive.action.sections[].rows",
            Box::new(|n| {
                // Rows count across sections: 3 + the rest.
                let rows = |range: std::ops::Range<usize>| {
                    range
                        .map(|i| Row::new(format!("r{i}"), format!("Row {i}")))
                        .collect::<Vec<_>>()
                };
                let sections = [Section::new("A", rows(0..3)), Section::new("B", rows(3..n))];
                list("Body", "Options", sections).build()
            }),
        ),
        (
            Limit::Contacts,
            "contacts",
            Box::new(|n| Contacts::new(user(), std::iter::repeat_n(barbara(), n)).build()),
        ),
        (
            Limit::TemplateButtons,
            "template.components",
            Box::new(|n| {
                (0..n)
                    .fold(Template::new(user(), "t", "en_US"), |template, i| {
                        template.button(TemplateButton::quick_reply(i % 10, format!("p{i}")))
                    })
                    .build()
            }),
        ),
    ]
}

#[test]
fn every_item_limit_allows_its_maximum_and_rejects_one_more() {
    for (limit, field, build) in item_limits() {
        let max = limit.max();
        if let Err(error) = build(max) {
            panic!("{limit:?}: {max} items must pass: {error:?}");
        }
        let error = build(max + 1).expect_err(field);
        assert_exceeds(&error, limit, field, max + 1);
    }
}

#[test]
fn every_limit_is_tested() {
    let mut tested: Vec<Limit> = character_limits()
        .into_iter()
        .map(|(limit, _, _)| limit)
        .chain(item_limits().into_iter().map(|(limit, _, _)| limit))
        .chain([Limit::ReactionEmoji, Limit::TemplateCouponCode])
        .collect();
    tested.sort_by_key(|limit| format!("{limit:?}"));
    tested.dedup();
    // One per variant of `Limit`: a new limit needs a row in the tables above.
    assert_eq!(tested.len(), 26, "{tested:?}");
}

#[test]
fn limits_have_meta_documented_values() {
    let documented = [
        (Limit::TextBody, 4096),
        (Limit::Caption, 1024),
        (Limit::InteractiveBody, 1024),
        (Limit::ListBody, 4096),
        (Limit::HeaderText, 60),
        (Limit::Footer, 60),
        (Limit::ReplyButtons, 3),
        (Limit::ReplyButtonTitle, 20),
        (Limit::ReplyButtonId, 256),
        (Limit::ListButton, 20),
        (Limit::ListSections, 10),
        (Limit::ListRows, 10),
        (Limit::ListSectionTitle, 24),
        (Limit::ListRowId, 200),
        (Limit::ListRowTitle, 24),
        (Limit::ListRowDescription, 72),
        (Limit::CtaUrlDisplayText, 20),
        (Limit::FlowCta, 30),
        (Limit::Contacts, 257),
        (Limit::TemplateName, 512),
        (Limit::TemplateHeaderTextParameter, 60),
        (Limit::TemplateBodyTextParameter, 1024),
        (Limit::TemplateBodyOnlyTextParameter, 32_768),
        (Limit::TemplateButtons, 10),
        (Limit::TemplateCouponCode, 20),
    ];
    for (limit, max) in documented {
        assert_eq!(limit.max(), max, "{limit:?}");
    }
}

#[test]
fn characters_are_unicode_scalar_values_not_utf16_units_or_bytes() {
    // 20 emoji: 40 UTF-16 code units and 80 bytes, but 20 characters.
    let title = "😀".repeat(20);
    assert_eq!(title.encode_utf16().count(), 40);
    assert_eq!(title.len(), 80);
    Interactive::buttons(user(), "Body", [Button::reply("a", title.as_str())])
        .build()
        .expect("20 characters fit a 20-character title");

    // 60 two-byte characters (120 bytes) fit a 60-character footer.
    Interactive::buttons(user(), "Body", [Button::reply("a", "A")])
        .footer("é".repeat(60))
        .build()
        .expect("60 characters fit a 60-character footer");

    // A combining accent is a character of its own: `e` + U+0301 is two.
    let combining = "e\u{301}".repeat(10);
    let error = Interactive::buttons(user(), "Body", [Button::reply("a", "A")])
        .header(Header::text(format!("{combining}{}", "x".repeat(41))))
        .build()
        .unwrap_err();
    assert_eq!(
        error.validation().and_then(ValidationError::actual),
        Some(61)
    );
}

proptest! {
    #[test]
    fn text_body_builds_exactly_when_not_blank_and_within_the_limit(body in "\\PC{0,20}|\\PC{4090,4100}") {
        let result = Text::new(user(), body.as_str()).build();
        let fits = !body.trim().is_empty() && body.chars().count() <= limits::TEXT_BODY_MAX_CHARS;
        prop_assert_eq!(result.is_ok(), fits);
    }
}
