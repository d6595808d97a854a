//! Message templates: the listed object, the create request with its limits, the create
//! response and the delete query.

use metabiz_whatsapp::ValidationProblem;
use metabiz_whatsapp::model::template_limits::{
    BODY_TEXT_MAX_CHARS, BUTTON_PHONE_NUMBER_MAX_CHARS, BUTTON_TEXT_MAX_CHARS,
    BUTTON_URL_MAX_CHARS, BUTTONS_MAX, COPY_CODE_BUTTONS_MAX, COPY_CODE_EXAMPLE_MAX_CHARS,
    FOOTER_TEXT_MAX_CHARS, HEADER_TEXT_MAX_CHARS, NAME_MAX_CHARS, PHONE_NUMBER_BUTTONS_MAX,
    URL_BUTTONS_MAX,
};
use metabiz_whatsapp::model::{
    ButtonExample, ButtonType, ComponentType, CreateTemplate, CreatedTemplate, DeleteTemplate,
    HeaderFormat, MessageTemplate, ParameterFormat, QualityRating, RejectedReason, TemplateButton,
    TemplateCategory, TemplateComponent, TemplateId, TemplateStatus,
};
use serde_json::json;

use crate::model_support::{graph, graph_json, graph_list, invalid};

fn templates() -> Vec<(MessageTemplate, serde_json::Value)> {
    graph_list("message_templates.json")
}

#[test]
fn listed_template_with_location_header_and_quality_score() {
    let (template, _) = &templates()[0];
    assert_eq!(template.id, TemplateId::new("1473688840035974"));
    assert_eq!(template.name.as_deref(), Some("order_delivery_update"));
    assert_eq!(template.language.as_deref(), Some("en_US"));
    assert_eq!(template.status, Some(TemplateStatus::Approved));
    assert!(template.is_approved());
    assert_eq!(template.category, Some(TemplateCategory::Utility));
    assert_eq!(template.parameter_format, Some(ParameterFormat::Positional));
    assert_eq!(template.rejected_reason, Some(RejectedReason::NotRejected));
    let quality = template.quality_score.as_ref().unwrap();
    assert_eq!(quality.score, QualityRating::Green);
    assert_eq!(quality.date, Some(1_718_791_200));

    let kinds: Vec<&ComponentType> = template.components.iter().map(|c| &c.kind).collect();
    assert_eq!(
        kinds,
        [
            &ComponentType::Header,
            &ComponentType::Body,
            &ComponentType::Footer,
            &ComponentType::Buttons
        ]
    );
    assert_eq!(template.components[0].format, Some(HeaderFormat::Location));
    let body = &template.components[1];
    assert_eq!(
        body.example.as_ref().unwrap().body_text,
        [["Mark".to_owned(), "566701".to_owned()]]
    );
    let button = &template.components[3].buttons[0];
    assert_eq!(button.kind, ButtonType::QuickReply);
    assert_eq!(button.text.as_deref(), Some("Stop Delivery Updates"));
}

#[test]
fn listed_template_with_named_parameters_url_and_flow_buttons() {
    let (template, _) = &templates()[1];
    assert_eq!(template.parameter_format, Some(ParameterFormat::Named));
    assert_eq!(template.status, Some(TemplateStatus::Rejected));
    assert!(!template.is_approved());
    assert_eq!(template.category, Some(TemplateCategory::Marketing));
    assert_eq!(template.previous_category, Some(TemplateCategory::Utility));
    assert_eq!(
        template.rejected_reason,
        Some(RejectedReason::IncorrectCategory)
    );
    let quality = template.quality_score.as_ref().unwrap();
    assert_eq!(quality.score, QualityRating::Unrated);
    assert_eq!(quality.date, None);

    let named = &template.components[0]
        .example
        .as_ref()
        .unwrap()
        .body_text_named_params;
    assert_eq!(named.len(), 2);
    assert_eq!(named[1].param_name, "order_number");
    assert_eq!(named[1].example, "860198-230332");

    let buttons = &template.components[1].buttons;
    assert_eq!(buttons[0].kind, ButtonType::Url);
    assert_eq!(
        buttons[0].example,
        Some(ButtonExample::Many(vec![
            "https://www.luckyshrub.com/orders/860198-230332".to_owned()
        ]))
    );
    assert_eq!(buttons[1].kind, ButtonType::Flow);
    // A numeric flow id is kept, as a string.
    assert_eq!(buttons[1].flow_id.as_deref(), Some("1234567890123456"));
    assert_eq!(buttons[1].navigate_screen.as_deref(), Some("RATE"));
}

#[test]
fn values_meta_adds_later_are_kept_and_sent_back_unchanged() {
    let (template, raw) = &templates()[2];
    assert_eq!(
        template.status,
        Some(TemplateStatus::Unknown("REINSTATED".to_owned()))
    );
    assert_eq!(
        template.category,
        Some(TemplateCategory::Unknown("TRANSACTIONAL".to_owned()))
    );
    assert_eq!(
        template.rejected_reason,
        Some(RejectedReason::Unknown("SPAM_LIKE".to_owned()))
    );
    let new_component = &template.components[1];
    assert_eq!(
        new_component.kind,
        ComponentType::Unknown("CALL_PERMISSION_REQUEST".to_owned())
    );
    assert_eq!(new_component.text.as_deref(), Some("Can we call you?"));
    let new_button = &template.components[2].buttons[0];
    assert_eq!(
        new_button.kind,
        ButtonType::Unknown("REQUEST_CONTACT_INFO".to_owned())
    );
    assert_eq!(new_button.extra["contact_fields"], json!(["email"]));

    assert_eq!(&serde_json::to_value(template).unwrap(), raw);
}

#[test]
fn listed_templates_round_trip_without_loss() {
    let list = templates();
    assert_eq!(list.len(), 3);
    // The second has a numeric flow id, written back as a string: compare the others.
    for index in [0, 2] {
        let (template, raw) = &list[index];
        assert_eq!(
            &serde_json::to_value(template).unwrap(),
            raw,
            "template {index}"
        );
    }
}

#[test]
fn single_template_with_a_retired_category() {
    let template: MessageTemplate = graph("message_template.json");
    assert_eq!(template.id, TemplateId::new("1259544702043867"));
    assert_eq!(template.name.as_deref(), Some("shiptest"));
    assert_eq!(template.status, Some(TemplateStatus::Rejected));
    assert_eq!(
        template.category.as_ref().map(TemplateCategory::as_str),
        Some("TRANSACTIONAL")
    );
    assert_eq!(template.components[0].text.as_deref(), Some("testing"));
    assert_eq!(template.quality_score, None);
}

#[test]
fn a_template_asked_for_its_status_only_still_parses() {
    let template: MessageTemplate =
        serde_json::from_value(json!({"status": "APPROVED", "id": "1259544702043867"})).unwrap();
    assert!(template.is_approved());
    assert_eq!(template.name, None);
    assert!(template.components.is_empty());
}

#[test]
fn default_fields_name_every_field_of_the_type() {
    let mut raw = templates()[0].1.clone();
    for (field, value) in [
        ("previous_category", json!("MARKETING")),
        ("correct_category", json!("UTILITY")),
        ("sub_category", json!("ORDER_DETAILS")),
        ("message_send_ttl_seconds", json!(3600)),
        ("cta_url_link_tracking_opted_out", json!(true)),
        ("library_template_name", json!("delivery_update_1")),
    ] {
        raw[field] = value;
    }
    let template: MessageTemplate = serde_json::from_value(raw.clone()).unwrap();
    let full = serde_json::to_value(&template).unwrap();
    // Nothing was dropped, so every key below is a field of the type.
    assert_eq!(full, raw);
    let requested: Vec<&str> = MessageTemplate::DEFAULT_FIELDS.split(',').collect();
    for key in full.as_object().unwrap().keys() {
        assert!(requested.contains(&key.as_str()), "{key} is not requested");
    }
}

#[test]
fn create_response() {
    let created: CreatedTemplate = graph("template_created.json");
    assert_eq!(created.id, TemplateId::new("1924084211297547"));
    assert_eq!(created.status, Some(TemplateStatus::Pending));
    assert_eq!(created.category, Some(TemplateCategory::Marketing));
}

fn seasonal_promotion() -> CreateTemplate {
    CreateTemplate::new("seasonal_promotion", "en_US", TemplateCategory::Marketing).components([
        TemplateComponent::header_text("Our {{1}} is on!").with_examples(["Summer Sale"]),
        TemplateComponent::body(
            "Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
        )
        .with_examples(["the end of August", "25OFF", "25%"]),
        TemplateComponent::footer("Use the buttons below to manage your marketing subscriptions"),
        TemplateComponent::buttons([
            TemplateButton::quick_reply("Unsubscribe from Promos"),
            TemplateButton::quick_reply("Unsubscribe from All"),
        ]),
    ])
}

#[test]
fn create_request_with_positional_parameters_matches_meta_example() {
    let template = seasonal_promotion();
    template.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&template).unwrap(),
        graph_json("template_create_seasonal_promotion.json")
    );
}

#[test]
fn create_request_with_named_parameters_matches_meta_example() {
    let template = CreateTemplate::new("order_confirmation", "en_US", TemplateCategory::Utility)
        .parameter_format(ParameterFormat::Named)
        .component(
            TemplateComponent::body(
                "Thank you, {{first_name}}! Your order number is {{order_number}}.",
            )
            .with_named_example("first_name", "Pablo")
            .with_named_example("order_number", "860198-230332"),
        );
    template.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&template).unwrap(),
        graph_json("template_create_order_confirmation.json")
    );
}

#[test]
fn create_request_with_copy_code_matches_meta_example() {
    let template = CreateTemplate::new(
        "coupon_code_fall2023_25off",
        "en_US",
        TemplateCategory::Marketing,
    )
    .components([
        TemplateComponent::header_text("Our Fall Sale is on!"),
        TemplateComponent::body(
            "Shop now through November and use code {{1}} to get {{2}} off of all merchandise!",
        )
        .with_examples(["25OFF", "25%"]),
        TemplateComponent::buttons([
            TemplateButton::quick_reply("Unsubscribe"),
            TemplateButton::copy_code("250FF"),
        ]),
    ]);
    template.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&template).unwrap(),
        graph_json("template_create_coupon_code.json")
    );
}

#[test]
fn create_request_with_media_header_and_call_to_action_matches_meta_example() {
    let handle = "4::aW1hZ2UvanBlZw==:ARYOm0MvjKBSpfhLkFmE9pbrCdXmf4kIvn4L7zB9rP9E";
    let template = CreateTemplate::new(
        "limited_time_offer_tuscan_getaway_2023",
        "en_US",
        TemplateCategory::Marketing,
    )
    .components([
        TemplateComponent::header_media(HeaderFormat::Image, handle),
        TemplateComponent::body(
            "Hi {{1}}! For a limited time only you can get our {{2}} for as low as {{3}}. \
             Tap the Offer Details button for more information.",
        )
        .with_examples(["Mark", "Tuscan Getaway package", "800"]),
        TemplateComponent::footer("Offer valid until May 31, 2023"),
        TemplateComponent::buttons([
            TemplateButton::phone_number("Call", "15550051310"),
            TemplateButton::url("Shop Now", "https://www.examplesite.com/shop?promo={{1}}")
                .with_example("summer2023"),
        ]),
    ]);
    template.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&template).unwrap(),
        graph_json("template_create_media_call_to_action.json")
    );
}

#[test]
fn listed_components_can_be_sent_back_in_a_create_request() {
    let (listed, _) = &templates()[0];
    let copy = CreateTemplate::new(
        "order_delivery_update_v2",
        "en_US",
        TemplateCategory::Utility,
    )
    .components(listed.components.clone());
    copy.validate().unwrap();
    let body = serde_json::to_value(&copy).unwrap();
    assert_eq!(
        body["components"][0],
        json!({"type": "HEADER", "format": "LOCATION"})
    );
}

fn body_only(text: &str) -> CreateTemplate {
    CreateTemplate::new("limits", "en_US", TemplateCategory::Utility)
        .component(TemplateComponent::body(text))
}

fn with_components(components: Vec<TemplateComponent>) -> CreateTemplate {
    CreateTemplate::new("limits", "en_US", TemplateCategory::Marketing).components(components)
}

fn with_buttons(buttons: Vec<TemplateButton>) -> CreateTemplate {
    with_components(vec![
        TemplateComponent::body("Hello"),
        TemplateComponent::buttons(buttons),
    ])
}

fn too_long(max: usize) -> ValidationProblem {
    ValidationProblem::TooLong {
        max,
        actual: max + 1,
    }
}

fn too_many(max: usize) -> ValidationProblem {
    ValidationProblem::TooMany {
        max,
        actual: max + 1,
    }
}

#[test]
fn limits_are_the_values_meta_documents() {
    // Template docs: name "Maximum 512 characters", header and footer 60, body 1024, up to
    // 10 buttons of which 2 URL, 1 phone number and 1 copy code; button label 25, URL 2000,
    // phone number 20, copy code example 20 (coupon code templates).
    assert_eq!(
        [
            NAME_MAX_CHARS,
            HEADER_TEXT_MAX_CHARS,
            BODY_TEXT_MAX_CHARS,
            FOOTER_TEXT_MAX_CHARS,
            BUTTONS_MAX,
            URL_BUTTONS_MAX,
            PHONE_NUMBER_BUTTONS_MAX,
            COPY_CODE_BUTTONS_MAX,
            BUTTON_TEXT_MAX_CHARS,
            BUTTON_URL_MAX_CHARS,
            BUTTON_PHONE_NUMBER_MAX_CHARS,
            COPY_CODE_EXAMPLE_MAX_CHARS,
        ],
        [512, 60, 1024, 60, 10, 2, 1, 1, 25, 2000, 20, 20]
    );
}

#[test]
fn name_limit() {
    let at_max = "a".repeat(NAME_MAX_CHARS);
    let template = CreateTemplate::new(at_max.clone(), "en_US", TemplateCategory::Utility)
        .component(TemplateComponent::body("Hi"));
    template.validate().unwrap();

    let over = CreateTemplate::new(format!("{at_max}b"), "en_US", TemplateCategory::Utility)
        .component(TemplateComponent::body("Hi"));
    let detail = invalid(over.validate());
    assert_eq!(detail.field(), "name");
    assert_eq!(detail.problem(), &too_long(NAME_MAX_CHARS));
}

#[test]
fn name_characters() {
    for bad in ["Order_Update", "order-update", "order update", "pedido_não"] {
        let template = CreateTemplate::new(bad, "en_US", TemplateCategory::Utility)
            .component(TemplateComponent::body("Hi"));
        let detail = invalid(template.validate());
        assert_eq!(detail.field(), "name", "{bad}");
        assert!(
            matches!(
                detail.problem(),
                ValidationProblem::InvalidCharacters { .. }
            ),
            "{bad}"
        );
    }
    let empty = CreateTemplate::new("", "en_US", TemplateCategory::Utility)
        .component(TemplateComponent::body("Hi"));
    assert_eq!(
        invalid(empty.validate()).problem(),
        &ValidationProblem::Empty
    );
    let no_language = CreateTemplate::new("ok_2", "", TemplateCategory::Utility)
        .component(TemplateComponent::body("Hi"));
    assert_eq!(invalid(no_language.validate()).field(), "language");
}

#[test]
fn body_limit() {
    body_only(&"x".repeat(BODY_TEXT_MAX_CHARS))
        .validate()
        .unwrap();
    let detail = invalid(body_only(&"x".repeat(BODY_TEXT_MAX_CHARS + 1)).validate());
    assert_eq!(detail.field(), "components[0].text");
    assert_eq!(detail.problem(), &too_long(BODY_TEXT_MAX_CHARS));
}

#[test]
fn lengths_count_characters_not_bytes() {
    // 1024 emoji are 4096 bytes but 1024 characters.
    body_only(&"🌵".repeat(BODY_TEXT_MAX_CHARS))
        .validate()
        .unwrap();
    let detail = invalid(body_only(&"é".repeat(BODY_TEXT_MAX_CHARS + 1)).validate());
    assert_eq!(detail.problem(), &too_long(BODY_TEXT_MAX_CHARS));
}

#[test]
fn header_text_limit() {
    let header = |text: String| {
        with_components(vec![
            TemplateComponent::header_text(text),
            TemplateComponent::body("Hi"),
        ])
    };
    header("h".repeat(HEADER_TEXT_MAX_CHARS))
        .validate()
        .unwrap();
    let detail = invalid(header("h".repeat(HEADER_TEXT_MAX_CHARS + 1)).validate());
    assert_eq!(detail.field(), "components[0].text");
    assert_eq!(detail.problem(), &too_long(HEADER_TEXT_MAX_CHARS));
}

#[test]
fn header_text_takes_one_parameter() {
    let one = with_components(vec![
        TemplateComponent::header_text("Our {{1}} is on!").with_examples(["Summer Sale"]),
        TemplateComponent::body("Hi"),
    ]);
    one.validate().unwrap();
    let two = with_components(vec![
        TemplateComponent::header_text("Our {{1}} is {{2}}!").with_examples(["Sale", "on"]),
        TemplateComponent::body("Hi"),
    ]);
    let detail = invalid(two.validate());
    assert_eq!(detail.field(), "components[0].text");
    assert_eq!(detail.problem(), &too_many(1));
}

#[test]
fn footer_limit() {
    let footer = |text: String| {
        with_components(vec![
            TemplateComponent::body("Hi"),
            TemplateComponent::footer(text),
        ])
    };
    footer("f".repeat(FOOTER_TEXT_MAX_CHARS))
        .validate()
        .unwrap();
    let detail = invalid(footer("f".repeat(FOOTER_TEXT_MAX_CHARS + 1)).validate());
    assert_eq!(detail.field(), "components[1].text");
    assert_eq!(detail.problem(), &too_long(FOOTER_TEXT_MAX_CHARS));
}

#[test]
fn total_buttons_limit() {
    let quick_replies = |n: usize| {
        (0..n)
            .map(|i| TemplateButton::quick_reply(format!("Reply {i}")))
            .collect()
    };
    with_buttons(quick_replies(BUTTONS_MAX)).validate().unwrap();
    let detail = invalid(with_buttons(quick_replies(BUTTONS_MAX + 1)).validate());
    assert_eq!(detail.field(), "components[1].buttons");
    assert_eq!(detail.problem(), &too_many(BUTTONS_MAX));
}

/// Builds the `n`th button of a case.
type MakeButton = fn(usize) -> TemplateButton;

#[test]
fn buttons_per_type_limits() {
    let cases: [(MakeButton, usize, &str); 3] = [
        (
            |i| TemplateButton::url(format!("Link {i}"), format!("https://example.com/{i}")),
            URL_BUTTONS_MAX,
            "URL",
        ),
        (
            |i| TemplateButton::phone_number(format!("Call {i}"), "15550051310"),
            PHONE_NUMBER_BUTTONS_MAX,
            "PHONE_NUMBER",
        ),
        (
            |i| TemplateButton::copy_code(format!("CODE{i}")),
            COPY_CODE_BUTTONS_MAX,
            "COPY_CODE",
        ),
    ];
    for (make, max, name) in cases {
        with_buttons((0..max).map(make).collect())
            .validate()
            .unwrap();
        let detail = invalid(with_buttons((0..=max).map(make).collect()).validate());
        assert_eq!(detail.field(), format!("components[1].buttons ({name})"));
        assert_eq!(detail.problem(), &too_many(max));
    }
}

#[test]
fn button_field_limits() {
    let label = |n: usize| TemplateButton::quick_reply("b".repeat(n));
    let url = |n: usize| {
        let prefix = "https://example.com/";
        TemplateButton::url("Open", format!("{prefix}{}", "u".repeat(n - prefix.len())))
    };
    let phone = |n: usize| TemplateButton::phone_number("Call", "1".repeat(n));
    let code = |n: usize| TemplateButton::copy_code("C".repeat(n));
    let cases: [(MakeButton, usize, &str); 4] = [
        (label, BUTTON_TEXT_MAX_CHARS, "text"),
        (url, BUTTON_URL_MAX_CHARS, "url"),
        (phone, BUTTON_PHONE_NUMBER_MAX_CHARS, "phone_number"),
        (code, COPY_CODE_EXAMPLE_MAX_CHARS, "example"),
    ];
    for (make, max, field) in cases {
        with_buttons(vec![make(max)]).validate().unwrap();
        let detail = invalid(with_buttons(vec![make(max + 1)]).validate());
        assert_eq!(detail.field(), format!("components[1].buttons[0].{field}"));
        assert_eq!(detail.problem(), &too_long(max));
    }
}

#[test]
fn buttons_need_their_required_fields() {
    let mut url_without_target = TemplateButton::url("Open", "https://example.com");
    url_without_target.url = None;
    let detail = invalid(with_buttons(vec![url_without_target]).validate());
    assert_eq!(detail.field(), "components[1].buttons[0].url");
    assert_eq!(detail.problem(), &ValidationProblem::Missing);

    let unlabelled = TemplateButton::new(ButtonType::QuickReply);
    let detail = invalid(with_buttons(vec![unlabelled]).validate());
    assert_eq!(detail.field(), "components[1].buttons[0].text");

    let empty_label = TemplateButton::quick_reply("");
    let detail = invalid(with_buttons(vec![empty_label]).validate());
    assert_eq!(detail.problem(), &ValidationProblem::Empty);
}

#[test]
fn every_parameter_needs_an_example() {
    let detail = invalid(body_only("Hi {{1}}, your order {{2}} shipped.").validate());
    assert_eq!(detail.field(), "components[0].example");
    assert_eq!(
        detail.problem(),
        &ValidationProblem::MissingExample {
            parameter: "1".to_owned()
        }
    );

    let short = with_components(vec![
        TemplateComponent::body("Hi {{1}}, your order {{2}} shipped.").with_examples(["Mark"]),
    ]);
    assert_eq!(
        invalid(short.validate()).problem(),
        &ValidationProblem::MissingExample {
            parameter: "2".to_owned()
        }
    );

    let named = with_components(vec![
        TemplateComponent::body("Hi {{first_name}}, order {{order_number}}.")
            .with_named_example("first_name", "Pablo"),
    ])
    .parameter_format(ParameterFormat::Named);
    assert_eq!(
        invalid(named.validate()).problem(),
        &ValidationProblem::MissingExample {
            parameter: "order_number".to_owned()
        }
    );

    // A placeholder used twice needs one example.
    with_components(vec![
        TemplateComponent::body("{{1}} and again {{1}}").with_examples(["Mark"]),
    ])
    .validate()
    .unwrap();
}

#[test]
fn media_headers_need_a_sample_handle() {
    let mut header = TemplateComponent::header_media(HeaderFormat::Video, "4::dmlkZW8=");
    header.example = None;
    let detail = invalid(with_components(vec![header, TemplateComponent::body("Hi")]).validate());
    assert_eq!(detail.field(), "components[0].example.header_handle");
    assert_eq!(detail.problem(), &ValidationProblem::Missing);
}

#[test]
fn component_counts() {
    let no_body = with_components(vec![TemplateComponent::footer("Bye")]);
    let detail = invalid(no_body.validate());
    assert_eq!(detail.field(), "components (BODY)");
    assert_eq!(detail.problem(), &ValidationProblem::Missing);

    let two_headers = with_components(vec![
        TemplateComponent::header_location(),
        TemplateComponent::header_text("Hello"),
        TemplateComponent::body("Hi"),
    ]);
    let detail = invalid(two_headers.validate());
    assert_eq!(detail.field(), "components (HEADER)");
    assert_eq!(detail.problem(), &too_many(1));
}

#[test]
fn delete_by_name_and_by_id() {
    assert_eq!(
        DeleteTemplate::by_name("order_confirmation").query(),
        [("name", "order_confirmation")]
    );
    let by_id = DeleteTemplate::by_id(TemplateId::new("1407680676729941"), "order_confirmation");
    assert_eq!(
        by_id.query(),
        [
            ("hsm_id", "1407680676729941"),
            ("name", "order_confirmation")
        ]
    );
    assert_eq!(
        by_id.hsm_id().map(TemplateId::as_str),
        Some("1407680676729941")
    );
}

#[test]
fn unknown_enum_values_serialize_back_as_received() {
    for (value, serialized) in [
        (
            serde_json::to_value(TemplateStatus::from("REINSTATED")).unwrap(),
            "REINSTATED",
        ),
        (
            serde_json::to_value(ButtonType::from("CALL_PERMISSION_REQUEST")).unwrap(),
            "CALL_PERMISSION_REQUEST",
        ),
        (
            serde_json::to_value(HeaderFormat::from("CAROUSEL_MEDIA")).unwrap(),
            "CAROUSEL_MEDIA",
        ),
        (
            serde_json::to_value(QualityRating::from("NA")).unwrap(),
            "NA",
        ),
    ] {
        assert_eq!(value, json!(serialized));
    }
    let parsed: TemplateCategory = serde_json::from_value(json!("ACCOUNT_UPDATE")).unwrap();
    assert_eq!(
        parsed,
        TemplateCategory::Unknown("ACCOUNT_UPDATE".to_owned())
    );
}
