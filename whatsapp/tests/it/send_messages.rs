//! Every kind of outgoing message serializes to the body Meta documents for
//! `POST /{phone-number-id}/messages` (fixtures adapted from Meta's example requests).

use metabiz_whatsapp::model::{
    ContactAddress, ContactCard, ContactEmail, ContactName, ContactOrg, ContactPhone, ContactUrl,
    Location as Place,
};
use metabiz_whatsapp::send::{
    Audio, Button, Contacts, Document, FlowMode, FlowRef, Header, Image, Interactive, Location,
    MarkRead, MediaSource, Parameter, Reaction, Row, Section, Sticker, Template, TemplateButton,
    TemplateHeader, Text, Video,
};
use metabiz_whatsapp::{Bsuid, MediaId, WaId, Wamid};
use serde::Serialize;
use serde_json::{Value, json};

use crate::support::fixture;

/// The phone number Meta's examples send to.
fn user() -> WaId {
    WaId::new("+16505551234")
}

#[track_caller]
fn assert_body(message: &impl Serialize, name: &str) {
    let expected: Value = serde_json::from_slice(&fixture(&format!("send/{name}")))
        .unwrap_or_else(|err| panic!("{name}: {err}"));
    let actual = serde_json::to_value(message).expect("messages serialize");
    assert_eq!(actual, expected, "{name}");
}

#[test]
fn text_with_link_preview() {
    let message = Text::new(
        user(),
        "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/",
    )
    .preview_url(true)
    .build()
    .unwrap();
    assert_eq!(message.kind(), "text");
    assert_body(&message, "text.json");
}

#[test]
fn reply_to_a_business_scoped_user_id_uses_recipient_and_context() {
    let message = Text::new(
        Bsuid::new("US.13491208655302741918"),
        "Yes, it also comes in green.",
    )
    .reply_to(Wamid::new(
        "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
    ))
    .build()
    .unwrap();
    assert_eq!(
        message.reply_to().map(Wamid::as_str),
        Some("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")
    );
    assert_body(&message, "text_reply_to_bsuid.json");
}

#[test]
fn image_by_id_with_caption_and_by_link() {
    let by_id = Image::new(user(), MediaId::new("1479537139650973"))
        .caption("The best succulent ever?")
        .build()
        .unwrap();
    assert_body(&by_id, "image.json");

    let by_link = Image::new(
        user(),
        MediaSource::link("https://www.luckyshrub.com/assets/succulents/aloe.png"),
    )
    .build()
    .unwrap();
    assert_body(&by_link, "image_link.json");
}

#[test]
fn video_with_caption() {
    let message = Video::new(user(), MediaId::new("1166846181421424"))
        .caption("A succulent eclipse!")
        .build()
        .unwrap();
    assert_body(&message, "video.json");
}

#[test]
fn audio_as_voice_message() {
    let message = Audio::new(user(), MediaId::new("1013859600285441"))
        .voice(true)
        .build()
        .unwrap();
    assert_body(&message, "audio_voice.json");
}

#[test]
fn document_with_filename_and_caption() {
    let message = Document::new(user(), MediaId::new("1376223850470843"))
        .filename("lucky-shrub-invoice.pdf")
        .caption("Lucky Shrub Invoice")
        .build()
        .unwrap();
    assert_body(&message, "document.json");
}

#[test]
fn sticker() {
    let message = Sticker::new(user(), MediaId::new("798882015472548"))
        .build()
        .unwrap();
    assert_body(&message, "sticker.json");
}

#[test]
fn location_with_name_and_address() {
    let message = Location::new(user(), 37.442_162_518_686_83, -122.161_535_820_493_94)
        .name("Philz Coffee")
        .address("101 Forest Ave, Palo Alto, CA 94301")
        .build()
        .unwrap();
    assert_body(&message, "location.json");
}

/// Meta's "Barbara J. Johnson" example card.
pub(crate) fn barbara() -> ContactCard {
    let mut address = ContactAddress::default();
    address.street = Some("1 Lucky Shrub Way".into());
    address.city = Some("Menlo Park".into());
    address.state = Some("CA".into());
    address.zip = Some("94025".into());
    address.country = Some("United States".into());
    address.country_code = Some("US".into());
    address.kind = Some("Office".into());
    let mut email = ContactEmail::default();
    email.email = Some("bjohnson@luckyshrub.com".into());
    email.kind = Some("Work".into());
    let mut name = ContactName::default();
    name.formatted_name = Some("Barbara J. Johnson".into());
    name.first_name = Some("Barbara".into());
    name.last_name = Some("Johnson".into());
    name.middle_name = Some("Joana".into());
    name.suffix = Some("Esq.".into());
    name.prefix = Some("Dr.".into());
    let mut org = ContactOrg::default();
    org.company = Some("Lucky Shrub".into());
    org.department = Some("Legal".into());
    org.title = Some("Lead Counsel".into());
    let mut landline = ContactPhone::default();
    landline.phone = Some("+16505559999".into());
    landline.kind = Some("Landline".into());
    let mut mobile = ContactPhone::default();
    mobile.phone = Some("+19175559999".into());
    mobile.kind = Some("Mobile".into());
    mobile.wa_id = Some(WaId::new("19175559999"));
    let mut url = ContactUrl::default();
    url.url = Some("https://www.luckyshrub.com".into());
    url.kind = Some("Company".into());

    let mut card = ContactCard::default();
    card.addresses.push(address);
    card.birthday = Some("1999-01-23".into());
    card.emails.push(email);
    card.name = Some(name);
    card.org = Some(org);
    card.phones.extend([landline, mobile]);
    card.urls.push(url);
    card
}

#[test]
fn contacts_with_every_part_of_a_card() {
    let message = Contacts::new(user(), [barbara()]).build().unwrap();
    assert_body(&message, "contacts.json");
}

#[test]
fn reply_buttons_with_image_header_and_footer() {
    let message = Interactive::buttons(
        user(),
        "Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow. Use the buttons if you need to reschedule. Thank you!",
        [
            Button::reply("change-button", "Change"),
            Button::reply("cancel-button", "Cancel"),
        ],
    )
    .header(Header::image(MediaId::new("2762702990552401")))
    .footer("Lucky Shrub: Your gateway to succulents!™")
    .build()
    .unwrap();
    assert_eq!(message.kind(), "interactive");
    assert_body(&message, "interactive_buttons.json");
}

#[test]
fn reply_buttons_take_text_video_and_document_headers() {
    let header_of = |header: Header| {
        let message = Interactive::buttons(user(), "Body", [Button::reply("a", "A")])
            .header(header)
            .build()
            .unwrap();
        serde_json::to_value(&message).unwrap()["interactive"]["header"].clone()
    };
    assert_eq!(
        header_of(Header::text("Your order")),
        json!({"type": "text", "text": "Your order"})
    );
    assert_eq!(
        header_of(Header::video(MediaSource::link(
            "https://example.com/v.mp4"
        ))),
        json!({"type": "video", "video": {"link": "https://example.com/v.mp4"}})
    );
    assert_eq!(
        header_of(Header::document(MediaId::new("42"))),
        json!({"type": "document", "document": {"id": "42"}})
    );
}

#[test]
fn list_with_two_sections() {
    let message = Interactive::list(
        user(),
        "Which shipping option do you prefer?",
        "Shipping Options",
        [
            Section::new(
                "I want it ASAP!",
                [
                    Row::new("priority_express", "Priority Mail Express")
                        .description("Next Day to 2 Days"),
                    Row::new("priority_mail", "Priority Mail").description("1–3 Days"),
                ],
            ),
            Section::new(
                "I can wait a bit",
                [
                    Row::new("usps_ground_advantage", "USPS Ground Advantage")
                        .description("2–5 Days"),
                    Row::new("media_mail", "Media Mail").description("2–8 Days"),
                ],
            ),
        ],
    )
    .header("Choose Shipping Option")
    .footer("Lucky Shrub: Your gateway to succulents™")
    .build()
    .unwrap();
    assert_body(&message, "interactive_list.json");
}

#[test]
fn single_untitled_section_has_no_title_key() {
    let message = Interactive::list(
        user(),
        "Pick one",
        "Options",
        [Section::untitled([Row::new("a", "A")])],
    )
    .build()
    .unwrap();
    let body = serde_json::to_value(&message).unwrap();
    assert_eq!(
        body["interactive"]["action"],
        json!({"button": "Options", "sections": [{"rows": [{"id": "a", "title": "A"}]}]})
    );
}

#[test]
fn call_to_action_url_with_image_header() {
    let message = Interactive::cta_url(
        user(),
        "Tap the button below to see available dates.",
        "See Dates",
        "https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4",
    )
    .header(Header::image(MediaSource::link(
        "https://www.luckyshrub.com/assets/lucky-shrub-banner-logo-v1.png",
    )))
    .footer("Dates subject to change.")
    .build()
    .unwrap();
    assert_body(&message, "interactive_cta_url.json");
}

#[test]
fn flow_navigating_to_a_screen_with_data() {
    let message = Interactive::flow(user(), "Flow message body", FlowRef::id("1"), "Book!")
        .header("Flow message header")
        .footer("Flow message footer")
        .flow_token("AQAAAAACS5FpgQ_cAAAAAD0QI3s.")
        .navigate_with_data(
            "APPOINTMENT",
            json!({"product_name": "name", "product_description": "description", "product_price": 100}),
        )
        .build()
        .unwrap();
    assert_body(&message, "interactive_flow.json");
}

#[test]
fn draft_flow_by_name_with_data_exchange() {
    let message = Interactive::flow(
        user(),
        "Sign up for our newsletter",
        FlowRef::name("newsletter_signup"),
        "Sign up",
    )
    .flow_token("16570024150198910848")
    .mode(FlowMode::Draft)
    .navigate("IGNORED")
    .data_exchange()
    .build()
    .unwrap();
    assert_body(&message, "interactive_flow_data_exchange.json");
}

#[test]
fn flow_navigate_without_data_sends_only_the_screen() {
    let message = Interactive::flow(user(), "Body", FlowRef::id("1"), "Open")
        .navigate("WELCOME")
        .build()
        .unwrap();
    let parameters =
        &serde_json::to_value(&message).unwrap()["interactive"]["action"]["parameters"];
    assert_eq!(
        parameters,
        &json!({
            "flow_message_version": "3",
            "flow_id": "1",
            "flow_cta": "Open",
            "flow_action": "navigate",
            "flow_action_payload": {"screen": "WELCOME"}
        })
    );
}

#[test]
fn location_request() {
    let message = Interactive::location_request(
        user(),
        "Let's start with your pickup. You can either manually *enter an address* or *share your current location*.",
    )
    .build()
    .unwrap();
    assert_body(&message, "interactive_location_request.json");
}

#[test]
fn reaction_and_its_removal() {
    let message_id = Wamid::new("wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUZCMTY0MDc2MUYwNzBDNTY5MAA=");
    let reaction = Reaction::new(user(), message_id.clone(), "😀")
        .build()
        .unwrap();
    assert_body(&reaction, "reaction.json");
    let removal = Reaction::remove(user(), message_id).build().unwrap();
    assert_body(&removal, "reaction_remove.json");
}

#[test]
fn template_with_text_currency_date_time_and_quick_replies() {
    let message = Template::new(WaId::new("16505551234"), "order_update", "en_US")
        .header(TemplateHeader::text("Order 5123"))
        .body([
            Parameter::text("Pablo"),
            Parameter::currency("$100.99", "USD", 100_990),
            Parameter::date_time("February 25, 1977"),
        ])
        .button(TemplateButton::quick_reply(0, "track-5123"))
        .button(TemplateButton::quick_reply(1, "stop-updates"))
        .build()
        .unwrap();
    assert_eq!(message.kind(), "template");
    assert_body(&message, "template.json");
}

#[test]
fn template_with_named_parameters() {
    let message = Template::new(WaId::new("16505551234"), "order_confirmation", "en_US")
        .header(TemplateHeader::parameter(
            Parameter::text("December 1st").named("sale_start_date"),
        ))
        .body([
            Parameter::text("Jessica").named("first_name"),
            Parameter::text("SKBUP2-4CPIG9").named("order_number"),
            Parameter::currency("$46.00", "USD", 46_000).named("order_total"),
        ])
        .build()
        .unwrap();
    assert_body(&message, "template_named.json");
}

#[test]
fn template_with_document_header_url_and_copy_code_buttons() {
    let message = Template::new(
        WaId::new("16505551234"),
        "coupon_code_fall2023_25off",
        "en_US",
    )
    .header(TemplateHeader::document_with_filename(
        MediaSource::link("https://www.luckyshrub.com/invoices/FmOzfD9cKf/lucky-shrub-invoice.pdf"),
        "lucky-shrub-invoice.pdf",
    ))
    .body([Parameter::text("25OFF"), Parameter::text("25%")])
    .button(TemplateButton::url(0, "summer2023"))
    .button(TemplateButton::copy_code(1, "25OFF"))
    .build()
    .unwrap();
    assert_body(&message, "template_media_buttons.json");
}

#[test]
fn template_with_location_header_never_sends_the_url() {
    let mut place = Place::new(37.483_307, -122.148_981);
    place.name = Some("Pablo Morales".into());
    place.address = Some("1 Hacker Way, Menlo Park, CA 94025".into());
    place.url = Some("https://example.com/only-in-webhooks".into());
    let message = Template::new(WaId::new("16505551234"), "order_delivery_update", "en_US")
        .header(TemplateHeader::location(place))
        .build()
        .unwrap();
    assert_body(&message, "template_location_header.json");
}

#[test]
fn template_without_parameters_has_no_components() {
    let message = Template::new(WaId::new("16505551234"), "hello_world", "en_US")
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&message).unwrap()["template"],
        json!({"name": "hello_world", "language": {"code": "en_US"}})
    );
}

#[test]
fn mark_as_read_and_typing_indicator() {
    let id = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA";
    let read = MarkRead::new(id).build().unwrap();
    assert!(!read.shows_typing_indicator());
    assert_eq!(read.message_id().as_str(), id);
    assert_body(&read, "mark_read.json");

    let typing = MarkRead::new(id).typing_indicator().build().unwrap();
    assert!(typing.shows_typing_indicator());
    assert_body(&typing, "typing_indicator.json");
}
