//! The shared Send API bodies: exactly the JSON Meta documents, every limit checked before a
//! request exists, and the reply-window policy.

use meta_graph::send_api::{
    Attachment, Button, Conversation, ConversationMessage, DefaultAction, GenericElement, Limits,
    MediaElement, MediaKind, MessageTag, Problem, QuickReply, Recipient, ReplyDecision,
    ReplyWindow, SendMessage, Sender, SenderAction, SenderActionKind, Template, WebviewHeight,
    WindowClosed,
};
use serde_json::{Value, json};
use time::macros::datetime;

const PSID: &str = "6254119754622003";

fn body(message: SendMessage) -> Value {
    serde_json::to_value(message.build(&Limits::MESSENGER).unwrap()).unwrap()
}

fn problem(message: SendMessage) -> (String, Problem) {
    let error = message.build(&Limits::MESSENGER).unwrap_err();
    (error.field().to_owned(), error.problem().clone())
}

#[test]
fn text_with_quick_replies_metadata_and_reply_to() {
    let message = SendMessage::text(PSID, "¿Qué talla? 👕")
        .quick_replies([
            QuickReply::text("Pequeña", "SIZE_S"),
            QuickReply::text_with_image("Grande", "SIZE_L", "https://example.com/l.png"),
            QuickReply::UserEmail,
            QuickReply::UserPhoneNumber,
        ])
        .metadata("order-5123")
        .reply_to("m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P");
    assert_eq!(
        body(message),
        json!({
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {
                "text": "¿Qué talla? 👕",
                "quick_replies": [
                    {"content_type": "text", "title": "Pequeña", "payload": "SIZE_S"},
                    {"content_type": "text", "title": "Grande", "payload": "SIZE_L",
                     "image_url": "https://example.com/l.png"},
                    {"content_type": "user_email"},
                    {"content_type": "user_phone_number"}
                ],
                "metadata": "order-5123"
            },
            "reply_to": {"mid": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P"}
        })
    );
}

#[test]
fn tags_updates_personas_and_private_replies() {
    assert_eq!(
        body(SendMessage::text(PSID, "Your ticket was updated").tag(MessageTag::HumanAgent)),
        json!({
            "recipient": {"id": PSID},
            "messaging_type": "MESSAGE_TAG",
            "tag": "HUMAN_AGENT",
            "message": {"text": "Your ticket was updated"}
        })
    );
    assert_eq!(
        body(
            SendMessage::text(PSID, "Hi, Ana here")
                .update()
                .persona("1923432171306125")
        ),
        json!({
            "recipient": {"id": PSID},
            "messaging_type": "UPDATE",
            "message": {"text": "Hi, Ana here"},
            "persona_id": "1923432171306125"
        })
    );
    assert_eq!(
        body(SendMessage::text(
            Recipient::CommentId("17895695668004550".into()),
            "Thanks! We sent you the details."
        )),
        json!({
            "recipient": {"comment_id": "17895695668004550"},
            "messaging_type": "RESPONSE",
            "message": {"text": "Thanks! We sent you the details."}
        })
    );
    let (field, _) = problem(
        SendMessage::text(Recipient::CommentId("1".into()), "x")
            .quick_replies([QuickReply::text("a", "b")]),
    );
    assert_eq!(field, "message.quick_replies");
}

#[test]
fn media_by_url_reusable_and_by_attachment_id() {
    assert_eq!(
        body(SendMessage::attachment(
            PSID,
            Attachment::reusable_url(MediaKind::Image, "https://example.com/photo.jpg")
        ))["message"],
        json!({"attachment": {"type": "image",
            "payload": {"url": "https://example.com/photo.jpg", "is_reusable": true}}})
    );
    assert_eq!(
        body(SendMessage::attachment(
            PSID,
            Attachment::attachment_id(MediaKind::File, "1857777774821032")
        ))["message"],
        json!({"attachment": {"type": "file", "payload": {"attachment_id": "1857777774821032"}}})
    );
    let (field, problem) = problem(SendMessage::attachment(
        PSID,
        Attachment::url(MediaKind::Video, "ftp://example.com/v.mp4"),
    ));
    assert_eq!(field, "message.attachment.payload.url");
    assert_eq!(problem, Problem::NotHttpUrl);
}

#[test]
fn generic_button_and_media_templates() {
    let generic = Template::generic([GenericElement::new("Welcome!")
        .image_url("https://example.com/shirt.png")
        .subtitle("We have the right hat for everyone.")
        .default_action(
            DefaultAction::url("https://example.com/").webview_height(WebviewHeight::Tall),
        )
        .button(Button::url("View Website", "https://example.com/"))
        .button(Button::postback(
            "Start Chatting",
            "DEVELOPER_DEFINED_PAYLOAD",
        ))]);
    assert_eq!(
        body(SendMessage::attachment(PSID, Attachment::Template(generic)))["message"],
        json!({"attachment": {"type": "template", "payload": {
            "template_type": "generic",
            "elements": [{
                "title": "Welcome!",
                "subtitle": "We have the right hat for everyone.",
                "image_url": "https://example.com/shirt.png",
                "default_action": {"type": "web_url", "url": "https://example.com/",
                                   "webview_height_ratio": "tall"},
                "buttons": [
                    {"type": "web_url", "title": "View Website", "url": "https://example.com/"},
                    {"type": "postback", "title": "Start Chatting",
                     "payload": "DEVELOPER_DEFINED_PAYLOAD"}
                ]
            }]
        }}})
    );
    let button = Template::button(
        "What do you want to do next?",
        [Button::call("Call us", "+16505551234")],
    );
    assert_eq!(
        body(SendMessage::attachment(PSID, Attachment::Template(button)))["message"]["attachment"]
            ["payload"],
        json!({"template_type": "button", "text": "What do you want to do next?",
               "buttons": [{"type": "phone_number", "title": "Call us", "payload": "+16505551234"}]})
    );
    let media = Template::media(
        MediaElement::attachment(MediaKind::Image, "1857777774821032")
            .button(Button::url("Shop", "https://example.com/shop")),
    );
    assert_eq!(
        body(SendMessage::attachment(PSID, Attachment::Template(media)))["message"]["attachment"]["payload"],
        json!({"template_type": "media", "elements": [{
            "media_type": "image", "attachment_id": "1857777774821032",
            "buttons": [{"type": "web_url", "title": "Shop", "url": "https://example.com/shop"}]
        }]})
    );
}

#[test]
fn limits_are_checked_before_any_request() {
    let limits = Limits::MESSENGER;
    assert_eq!(limits.text_max_chars, 2_000);
    assert_eq!(limits.quick_replies_max, 13);
    assert_eq!(limits.generic_elements_max, 10);
    assert_eq!(limits.buttons_max, 3);

    // Exactly at the limit passes; one character over fails, counted in characters.
    assert!(
        SendMessage::text(PSID, "é".repeat(2_000))
            .build(&limits)
            .is_ok()
    );
    assert_eq!(
        problem(SendMessage::text(PSID, "é".repeat(2_001))),
        (
            "message.text".into(),
            Problem::TooLong {
                max: 2_000,
                actual: 2_001
            }
        )
    );
    assert_eq!(problem(SendMessage::text(PSID, "  ")).1, Problem::Empty);
    assert_eq!(problem(SendMessage::text("", "hi")).0, "recipient");
    let fourteen = (0..14).map(|i| QuickReply::text(format!("Option {i}"), format!("P{i}")));
    assert_eq!(
        problem(SendMessage::text(PSID, "Pick").quick_replies(fourteen)),
        (
            "message.quick_replies".into(),
            Problem::TooMany {
                max: 13,
                actual: 14
            }
        )
    );
    assert_eq!(
        problem(
            SendMessage::text(PSID, "Pick")
                .quick_replies([QuickReply::text("A title of twenty-one", "P")])
        ),
        (
            "message.quick_replies[0].title".into(),
            Problem::TooLong {
                max: 20,
                actual: 21
            }
        )
    );
    let eleven = (0..11).map(|i| GenericElement::new(format!("Item {i}")));
    assert_eq!(
        problem(SendMessage::attachment(
            PSID,
            Attachment::Template(Template::generic(eleven))
        ))
        .1,
        Problem::TooMany {
            max: 10,
            actual: 11
        }
    );
    let four_buttons = Template::button(
        "Choose",
        (0..4).map(|i| Button::postback(format!("B{i}"), "P")),
    );
    assert_eq!(
        problem(SendMessage::attachment(
            PSID,
            Attachment::Template(four_buttons)
        ))
        .0,
        "message.attachment.payload.buttons"
    );
    let bad_number = Template::button("Call", [Button::call("Call", "650 555 1234")]);
    assert_eq!(
        problem(SendMessage::attachment(
            PSID,
            Attachment::Template(bad_number)
        ))
        .0,
        "message.attachment.payload.buttons[0].payload"
    );
    let audio_media = Template::media(MediaElement::attachment(MediaKind::Audio, "1"));
    assert_eq!(
        problem(SendMessage::attachment(
            PSID,
            Attachment::Template(audio_media)
        ))
        .0,
        "message.attachment.payload.elements[0].media_type"
    );
}

#[test]
fn sender_actions() {
    let typing = SenderAction::new(PSID, SenderActionKind::TypingOn).unwrap();
    assert_eq!(
        serde_json::to_value(typing).unwrap(),
        json!({"recipient": {"id": PSID}, "sender_action": "typing_on"})
    );
    let react = SenderAction::new(
        "1254477777772919",
        SenderActionKind::React {
            mid: "aWdfZAG1faWRfY".into(),
            reaction: "love".into(),
        },
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(react).unwrap(),
        json!({"recipient": {"id": "1254477777772919"}, "sender_action": "react",
               "payload": {"message_id": "aWdfZAG1faWRfY", "reaction": "love"}})
    );
    let unreact = SenderAction::new(
        "1254477777772919",
        SenderActionKind::Unreact { mid: "m".into() },
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(unreact).unwrap()["payload"],
        json!({"message_id": "m"})
    );
    assert!(SenderAction::new(" ", SenderActionKind::MarkSeen).is_err());
}

#[test]
fn reply_window_policy() {
    let last = datetime!(2026-12-01 09:00 UTC);
    let window = ReplyWindow::new(Some(last));
    assert_eq!(
        window.decide(datetime!(2026-12-02 08:59 UTC), Sender::Automated),
        Ok(ReplyDecision::Response)
    );
    assert_eq!(
        window.decide(datetime!(2026-12-02 09:00 UTC), Sender::Automated),
        Err(WindowClosed::StandardWindowClosed {
            closed_at: datetime!(2026-12-02 09:00 UTC)
        })
    );
    assert_eq!(
        window.decide(datetime!(2026-12-08 08:59 UTC), Sender::HumanAgent),
        Ok(ReplyDecision::Tag(MessageTag::HumanAgent))
    );
    assert_eq!(
        window.decide(datetime!(2026-12-08 09:00 UTC), Sender::HumanAgent),
        Err(WindowClosed::HumanAgentWindowClosed {
            closed_at: datetime!(2026-12-08 09:00 UTC)
        })
    );
    // A later postback reopens the standard window; an ad referral keeps it open longer.
    let reopened = window
        .clone()
        .interaction_at(datetime!(2026-12-03 12:00 UTC));
    assert_eq!(
        reopened.decide(datetime!(2026-12-04 11:00 UTC), Sender::Automated),
        Ok(ReplyDecision::Response)
    );
    let from_ad = ReplyWindow::new(None).ad_referral_at(datetime!(2026-12-01 09:00 UTC));
    assert_eq!(
        from_ad.decide(datetime!(2026-12-07 09:00 UTC), Sender::Automated),
        Ok(ReplyDecision::Response)
    );
    // Never wrote: nothing may be sent, not even by a person.
    assert_eq!(
        ReplyWindow::new(None).decide(last, Sender::HumanAgent),
        Err(WindowClosed::NoInteraction)
    );
    // The decision is applied to the message.
    let decision = window
        .decide(datetime!(2026-12-03 09:00 UTC), Sender::HumanAgent)
        .unwrap();
    let message = decision.apply(SendMessage::text(PSID, "Sorry for the wait"));
    assert_eq!(body(message)["tag"], "HUMAN_AGENT");
}

#[test]
fn conversations_and_messages_read_meta_shapes() {
    let conversation: Conversation = serde_json::from_value(json!({
        "id": "t_10161225367741234",
        "updated_time": "2026-11-30T18:21:53+0000",
        "participants": {"data": [
            {"name": "Jasper's Market", "email": "1061234567@facebook.com", "id": "1061234567"},
            {"name": "Sheena Nelson", "email": "6254119754622003@facebook.com", "id": PSID}
        ]},
        "message_count": 12,
        "link": "/jaspersmarket/inbox/"
    }))
    .unwrap();
    assert_eq!(
        conversation.updated_time.unwrap().unix_timestamp(),
        datetime!(2026-11-30 18:21:53 UTC).unix_timestamp()
    );
    let users: Vec<_> = conversation.counterparts("1061234567").collect();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].id, PSID);
    assert_eq!(conversation.extra["link"], "/jaspersmarket/inbox/");

    let message: ConversationMessage = serde_json::from_value(json!({
        "id": "m_sAJm8-Zn1V8Rk1DDqgsh5SEJ_jLc8RCeI7W4aGBCwXB9J",
        "created_time": "2026-11-30T18:21:53+0000",
        "from": {"name": "Sheena Nelson", "email": "6254119754622003@facebook.com", "id": PSID},
        "to": {"data": [{"name": "Jasper's Market", "id": "1061234567"}]},
        "message": "",
        "attachments": {"data": [{
            "id": "971234",
            "mime_type": "image/jpeg",
            "name": "image-971234.jpg",
            "size": 53271,
            "image_data": {"width": 720, "height": 960, "max_width": 720, "max_height": 960,
                           "url": "https://scontent.xx.fbcdn.net/v/t1.15752-9/1.jpg",
                           "preview_url": "https://scontent.xx.fbcdn.net/v/t1.15752-9/p.jpg"}
        }]},
        "sticker": "https://scontent.xx.fbcdn.net/v/t39.1997-6/s.png"
    }))
    .unwrap();
    assert_eq!(message.text(), None);
    assert_eq!(message.attachment_list().len(), 1);
    assert_eq!(
        message.attachment_list()[0]
            .image_data
            .as_ref()
            .unwrap()
            .width,
        Some(720)
    );
    assert!(message.extra.contains_key("sticker"));
}
