//! Messages that break Meta's rules other than lengths and counts fail with a typed error
//! naming the field; the error's text never repeats its source.

use std::error::Error as _;

use metabiz_whatsapp::model::{ContactCard, ContactName};
use metabiz_whatsapp::send::{
    Audio, Button, Contacts, FlowRef, Header, Image, Interactive, Location, MarkRead, MediaSource,
    OutgoingMessage, Parameter, Reaction, Recipient, Row, Section, Template, TemplateButton,
    TemplateHeader, Text,
};
use metabiz_whatsapp::{
    Bsuid, Error, ErrorKind, MediaId, ValidationError, ValidationProblem, WaId,
};
use serde_json::json;

use crate::send_messages::barbara;

fn user() -> WaId {
    WaId::new("16505551234")
}

#[track_caller]
fn rejected<T: std::fmt::Debug>(result: Result<T, Error>) -> ValidationError {
    let error = result.expect_err("the message must be rejected");
    assert_eq!(error.kind(), ErrorKind::Validation);
    error
        .validation()
        .cloned()
        .expect("a validation error has its detail")
}

#[track_caller]
fn assert_rejected<T: std::fmt::Debug>(
    result: Result<T, Error>,
    field: &str,
    problem: &ValidationProblem,
) {
    let detail = rejected(result);
    assert_eq!(detail.field(), field);
    assert_eq!(detail.problem(), problem, "{field}");
}

#[test]
fn empty_and_blank_text_is_rejected() {
    assert_rejected(
        Text::new(user(), "").build(),
        "text.body",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Text::new(user(), " \n\t ").build(),
        "text.body",
        &ValidationProblem::Empty,
    );
}

#[test]
fn recipient_and_quoted_message_must_not_be_blank() {
    assert_rejected(
        Text::new(WaId::new(""), "Hi").build(),
        "to",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Text::new(Bsuid::new(" "), "Hi").build(),
        "recipient",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Text::new(user(), "Hi").reply_to("").build(),
        "context.message_id",
        &ValidationProblem::Empty,
    );
}

#[test]
fn recipient_keeps_its_kind() {
    let message = Text::new(Bsuid::new("US.13491208655302741918"), "Hi")
        .build()
        .unwrap();
    assert_eq!(
        message.recipient(),
        &Recipient::Bsuid(Bsuid::new("US.13491208655302741918"))
    );
    let body = serde_json::to_value(&message).unwrap();
    assert!(body.get("to").is_none(), "a BSUID is never sent as `to`");
}

#[test]
fn media_needs_an_id_or_an_http_link() {
    assert_rejected(
        Image::new(user(), MediaId::new("")).build(),
        "image.id",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Image::new(user(), MediaSource::link("ftp://example.com/a.png")).build(),
        "image.link",
        &ValidationProblem::Invalid("not an http:// or https:// URL"),
    );
    assert_rejected(
        Audio::new(user(), MediaSource::link("file:///etc/passwd")).build(),
        "audio.link",
        &ValidationProblem::Invalid("not an http:// or https:// URL"),
    );
    Image::new(user(), MediaSource::link("HTTPS://EXAMPLE.COM/A.PNG"))
        .build()
        .expect("the scheme is case-insensitive");
    assert_rejected(
        Interactive::buttons(user(), "Body", [Button::reply("a", "A")])
            .header(Header::video(MediaSource::link("example.com/v.mp4")))
            .build(),
        "interactive.header.video.link",
        &ValidationProblem::Invalid("not an http:// or https:// URL"),
    );
}

#[test]
fn optional_texts_that_are_set_must_not_be_empty() {
    assert_rejected(
        Image::new(user(), MediaId::new("1")).caption("").build(),
        "image.caption",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Interactive::buttons(user(), "Body", [Button::reply("a", "A")])
            .footer(" ")
            .build(),
        "interactive.footer.text",
        &ValidationProblem::Empty,
    );
}

#[test]
fn reply_buttons_need_one_to_three_unique_buttons() {
    let none: [Button; 0] = [];
    assert_rejected(
        Interactive::buttons(user(), "Body", none).build(),
        "interactive.action.buttons",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Interactive::buttons(
            user(),
            "Body",
            [Button::reply("same", "Yes"), Button::reply("same", "No")],
        )
        .build(),
        "interactive.action.buttons[1].reply.id",
        &ValidationProblem::Duplicate,
    );
    assert_rejected(
        Interactive::buttons(
            user(),
            "Body",
            [Button::reply("yes", "Same"), Button::reply("no", "Same")],
        )
        .build(),
        "interactive.action.buttons[1].reply.title",
        &ValidationProblem::Duplicate,
    );
    assert_rejected(
        Interactive::buttons(user(), "Body", [Button::reply("", "Yes")]).build(),
        "interactive.action.buttons[0].reply.id",
        &ValidationProblem::Empty,
    );
}

#[test]
fn list_sections_rows_and_titles() {
    let none: [Section; 0] = [];
    assert_rejected(
        Interactive::list(user(), "Body", "Options", none).build(),
        "interactive.action.sections",
        &ValidationProblem::Empty,
    );
    let no_rows: [Row; 0] = [];
    assert_rejected(
        Interactive::list(user(), "Body", "Options", [Section::new("Empty", no_rows)]).build(),
        "interactive.action.sections[0].rows",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Interactive::list(
            user(),
            "Body",
            "Options",
            [
                Section::new("A", [Row::new("a", "A")]),
                Section::untitled([Row::new("b", "B")]),
            ],
        )
        .build(),
        "interactive.action.sections[1].title",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Interactive::list(
            user(),
            "Body",
            "Options",
            [
                Section::new("A", [Row::new("same", "A")]),
                Section::new("B", [Row::new("same", "B")]),
            ],
        )
        .build(),
        "interactive.action.sections[1].rows[0].id",
        &ValidationProblem::Duplicate,
    );
}

#[test]
fn location_coordinates_must_be_in_range() {
    let build = |latitude: f64, longitude: f64| Location::new(user(), latitude, longitude).build();
    build(90.0, -180.0).expect("the edges are valid");
    assert_rejected(
        build(90.5, 0.0),
        "location.latitude",
        &ValidationProblem::OutOfRange,
    );
    assert_rejected(
        build(0.0, -180.1),
        "location.longitude",
        &ValidationProblem::OutOfRange,
    );
    assert_rejected(
        build(f64::NAN, 0.0),
        "location.latitude",
        &ValidationProblem::OutOfRange,
    );
    assert_rejected(
        Location::new(user(), 1.0, 2.0).name("").build(),
        "location.name",
        &ValidationProblem::Empty,
    );
}

#[test]
fn contact_cards_need_a_formatted_name_and_a_valid_birthday() {
    let none: [ContactCard; 0] = [];
    assert_rejected(
        Contacts::new(user(), none).build(),
        "contacts",
        &ValidationProblem::Empty,
    );
    let mut nameless = barbara();
    nameless.name = Some(ContactName::default());
    assert_rejected(
        Contacts::new(user(), [barbara(), nameless]).build(),
        "contacts[1].name.formatted_name",
        &ValidationProblem::Empty,
    );
    for birthday in [
        "1999-1-23",
        "1999-13-01",
        "1999-01-32",
        "23.01.1999",
        "１９９９-01-23",
    ] {
        let mut card = barbara();
        card.birthday = Some(birthday.into());
        assert_rejected(
            Contacts::new(user(), [card]).build(),
            "contacts[0].birthday",
            &ValidationProblem::Invalid("not a YYYY-MM-DD date"),
        );
    }
}

#[test]
fn reaction_emoji_cannot_hold_text() {
    assert_rejected(
        Reaction::new(user(), "wamid.1", "👍 👍").build(),
        "reaction.emoji",
        &ValidationProblem::Invalid("contains whitespace or control characters"),
    );
    assert_rejected(
        Reaction::new(user(), "", "👍").build(),
        "reaction.message_id",
        &ValidationProblem::Empty,
    );
    let removal = Reaction::remove(user(), "wamid.1").build().unwrap();
    assert_eq!(
        serde_json::to_value(&removal).unwrap()["reaction"]["emoji"],
        json!("")
    );
}

#[test]
fn flow_data_must_be_a_non_empty_object_and_screen_set() {
    let flow = || Interactive::flow(user(), "Body", FlowRef::id("1"), "Go");
    let field = "interactive.action.parameters.flow_action_payload.data";
    let invalid = ValidationProblem::Invalid("not a non-empty JSON object");
    assert_rejected(
        flow().navigate_with_data("A", json!({})).build(),
        field,
        &invalid.clone(),
    );
    assert_rejected(
        flow().navigate_with_data("A", json!([1])).build(),
        field,
        &invalid,
    );
    assert_rejected(
        flow().navigate(" ").build(),
        "interactive.action.parameters.flow_action_payload.screen",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Interactive::flow(user(), "Body", FlowRef::name(""), "Go").build(),
        "interactive.action.parameters.flow_name",
        &ValidationProblem::Empty,
    );
}

#[test]
fn template_parameters_are_all_named_or_all_positional() {
    assert_rejected(
        Template::new(user(), "t", "en_US")
            .header(TemplateHeader::parameter(Parameter::text("a").named("x")))
            .body([Parameter::text("b")])
            .build(),
        "template.components[1].parameters[0].parameter_name",
        &ValidationProblem::Invalid("mixes named and positional parameters"),
    );
    assert_rejected(
        Template::new(user(), "t", "en_US")
            .body([
                Parameter::text("a").named("name"),
                Parameter::text("b").named("name"),
            ])
            .build(),
        "template.components[0].parameters[1].parameter_name",
        &ValidationProblem::Duplicate,
    );
    assert_rejected(
        Template::new(user(), "t", "en_US")
            .body([Parameter::text("a").named(" ")])
            .build(),
        "template.components[0].parameters[0].parameter_name",
        &ValidationProblem::Empty,
    );
}

#[test]
fn template_values_have_meta_formats() {
    let body = |parameter: Parameter| {
        Template::new(user(), "t", "en_US")
            .body([parameter])
            .build()
    };
    for code in ["usd", "US", "USDT", "€€€"] {
        assert_rejected(
            body(Parameter::currency("$1", code, 1000)),
            "template.components[0].parameters[0].currency.code",
            &ValidationProblem::Invalid("not a three-letter ISO 4217 currency code such as USD"),
        );
    }
    assert_rejected(
        body(Parameter::date_time("")),
        "template.components[0].parameters[0].date_time.fallback_value",
        &ValidationProblem::Empty,
    );
    let no_parameters: [Parameter; 0] = [];
    assert_rejected(
        Template::new(user(), "t", "en_US")
            .body(no_parameters)
            .build(),
        "template.components[0].parameters",
        &ValidationProblem::Empty,
    );
    assert_rejected(
        Template::new(user(), "t", "").build(),
        "template.language.code",
        &ValidationProblem::Empty,
    );
}

#[test]
fn template_buttons_have_unique_indexes_from_0_to_9() {
    let with = |buttons: Vec<TemplateButton>| {
        buttons
            .into_iter()
            .fold(Template::new(user(), "t", "en_US"), Template::button)
            .build()
    };
    with(vec![TemplateButton::quick_reply(9, "last")]).expect("index 9 is the tenth button");
    assert_rejected(
        with(vec![TemplateButton::quick_reply(10, "p")]),
        "template.components[0].index",
        &ValidationProblem::OutOfRange,
    );
    assert_rejected(
        with(vec![
            TemplateButton::quick_reply(0, "a"),
            TemplateButton::url(0, "b"),
        ]),
        "template.components[1].index",
        &ValidationProblem::Duplicate,
    );
    assert_rejected(
        with(vec![TemplateButton::copy_code(0, "25-OFF")]),
        "template.components[0].parameters[0].coupon_code",
        &ValidationProblem::Invalid("not alphanumeric"),
    );
    assert_rejected(
        with(vec![TemplateButton::url(0, "")]),
        "template.components[0].parameters[0].text",
        &ValidationProblem::Empty,
    );
}

#[test]
fn mark_read_needs_a_message_id() {
    assert_rejected(
        MarkRead::new("").build(),
        "message_id",
        &ValidationProblem::Empty,
    );
}

#[test]
fn error_text_names_the_field_once_and_keeps_the_detail_in_the_source() {
    let error = Text::new(user(), "x".repeat(4097)).build().unwrap_err();
    let display = error.to_string();
    assert!(!display.contains("text.body"), "{display}");
    let source = error
        .source()
        .expect("the detail is the source")
        .to_string();
    assert_eq!(
        source,
        "text.body has 4097 characters, more than the 4096 allowed"
    );
    assert!(
        error
            .source()
            .and_then(|source| source.downcast_ref::<ValidationError>())
            .is_some()
    );
}

#[test]
fn non_validation_errors_have_no_validation_detail() {
    let error = metabiz_whatsapp::webhook::WebhookPayload::from_slice(b"not json").unwrap_err();
    assert!(error.validation().is_none());
}

#[test]
fn audio_and_sticker_take_no_caption_by_construction() {
    // `Audio` and `Sticker` have no `caption` setter (see their compile-fail doctests), so the
    // body of an audio message can never carry one.
    let message: OutgoingMessage = Audio::new(user(), MediaId::new("1")).build().unwrap();
    let body = serde_json::to_value(&message).unwrap();
    assert_eq!(body["audio"], json!({"id": "1"}));
}
