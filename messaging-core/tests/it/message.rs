use messaging_core::{
    Attachment, AttachmentKind, DeliveryStatus, Direction, EventKind, Message, MessageId,
    PlatformKind, WebhookEvent,
};

use crate::fixture;

const PAGE_ID: &str = "1234567890";
const PSID: &str = "6789012345678901";

#[test]
fn an_inbound_whatsapp_message_keeps_everything_the_event_had() {
    let event: WebhookEvent =
        serde_json::from_str(&fixture("event_whatsapp_image_reply.json")).unwrap();
    let message = Message::from_event(&event).unwrap();

    assert_eq!(message.platform, PlatformKind::WhatsApp);
    assert_eq!(message.direction, Direction::Inbound);
    assert_eq!(
        message.id,
        "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTJBRDY3RjY5MDk0MTkxMDM4MQA="
    );
    assert_eq!(message.account_id, "106540352242922");
    assert_eq!(message.sender, "16505551234");
    assert_eq!(message.recipient, "106540352242922");
    assert_eq!(message.counterpart(), "16505551234");
    assert_eq!(message.timestamp_ms, 1_700_000_000_000);
    assert_eq!(
        message.text.as_deref(),
        Some("Is this one in stock? ¿Hay stock? 👟")
    );
    assert_eq!(
        message.attachments,
        [Attachment::new(AttachmentKind::Image).with_media_id("1104480873777230")],
    );
    assert_eq!(
        message.reply_to.as_ref().map(MessageId::as_str),
        Some("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1RjQ0QzM3NjM5RDA4MjQ3RjUA"),
    );
    assert_eq!(message.conversation_id, None);
    assert_eq!(message.status, None);
}

fn messenger_echo() -> WebhookEvent {
    let mut echo = WebhookEvent::new(PlatformKind::Messenger, EventKind::Echo);
    echo.account_id = Some(PAGE_ID.into());
    echo.sender_id = Some(PAGE_ID.into());
    echo.recipient_id = Some(PSID.into());
    echo.message_id = Some("mid.1457764197618:41d102a3e1ae206a88".into());
    echo.timestamp_ms = Some(1_457_764_197_627);
    echo.text = Some("hello, world!".into());
    echo
}

#[test]
fn an_echo_is_an_outbound_message_meta_accepted() {
    let message = Message::from_event(&messenger_echo()).unwrap();
    assert_eq!(message.direction, Direction::Outbound);
    assert_eq!(message.sender, PAGE_ID);
    assert_eq!(message.recipient, PSID);
    assert_eq!(message.counterpart(), PSID);
    assert_eq!(message.status, Some(DeliveryStatus::Sent));
    assert_eq!(message.text.as_deref(), Some("hello, world!"));
}

#[test]
fn the_business_side_is_filled_in_when_the_event_names_it_once() {
    let mut echo = messenger_echo();
    echo.sender_id = None;
    let message = Message::from_event(&echo).unwrap();
    assert_eq!(message.sender, PAGE_ID);

    let mut echo = messenger_echo();
    echo.account_id = None;
    let message = Message::from_event(&echo).unwrap();
    assert_eq!(message.account_id, PAGE_ID);

    let mut echo = messenger_echo();
    echo.account_id = None;
    echo.sender_id = None;
    assert_eq!(Message::from_event(&echo), None);
}

#[test]
fn events_that_are_not_messages_give_none() {
    for kind in [
        EventKind::Status,
        EventKind::Read,
        EventKind::Delivery,
        EventKind::Reaction,
        EventKind::Postback,
        EventKind::Other,
    ] {
        let mut event = messenger_echo();
        event.kind = kind;
        assert_eq!(Message::from_event(&event), None, "{kind:?}");
    }
}

#[test]
fn incomplete_message_events_give_none() {
    let mut no_id = messenger_echo();
    no_id.message_id = None;
    assert_eq!(Message::from_event(&no_id), None);

    let mut no_time = messenger_echo();
    no_time.timestamp_ms = None;
    assert_eq!(Message::from_event(&no_time), None);

    let mut no_person = messenger_echo();
    no_person.recipient_id = None;
    assert_eq!(Message::from_event(&no_person), None);
}

#[test]
fn statuses_applied_in_any_order_end_the_same() {
    let sent = Message::from_event(&messenger_echo()).unwrap();
    let mut a = sent.clone();
    for status in [DeliveryStatus::Failed, DeliveryStatus::Delivered] {
        a.apply_status(status);
    }
    let mut b = sent;
    for status in [DeliveryStatus::Delivered, DeliveryStatus::Failed] {
        b.apply_status(status);
    }
    assert_eq!(a.status, Some(DeliveryStatus::Delivered));
    assert_eq!(a, b);
}
