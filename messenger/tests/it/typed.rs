//! The typed payload: what a user reads when the normalized events are not enough.

use metabiz_messenger::webhook::{
    AttachmentType, Messaging, MessagingEvent, ReactionAction, ReactionKind, Timestamp,
    WebhookPayload,
};
use metabiz_messenger::{AppId, AttachmentId, Mid, PageId};

use crate::support::{PAGE, PSID, T, mid, payload};

fn items(payload: &WebhookPayload) -> Vec<&Messaging> {
    payload
        .entry
        .iter()
        .flat_map(|entry| entry.messaging.iter().chain(&entry.standby))
        .collect()
}

fn only_event(name: &str) -> MessagingEvent {
    let payload = payload(name);
    let items = items(&payload);
    assert_eq!(items.len(), 1, "{name}");
    items[0].event.clone()
}

#[test]
fn envelope_sender_recipient_and_timestamps() {
    let payload = payload("text.json");
    assert_eq!(payload.entry.len(), 1);
    let entry = &payload.entry[0];
    assert_eq!(entry.id, PageId::new(PAGE));
    assert_eq!(
        entry.time.as_ref().and_then(Timestamp::unix_millis),
        Some(T + 431)
    );
    assert!(entry.standby.is_empty() && entry.changes.is_empty());
    let item = &entry.messaging[1];
    assert_eq!(item.sender.as_ref().unwrap().id.as_deref(), Some(PSID));
    assert_eq!(item.recipient.as_ref().unwrap().id.as_deref(), Some(PAGE));
    assert_eq!(item.timestamp.as_ref().unwrap().as_str(), "1749416392152");
    assert_eq!(item.raw(), None, "messages do not keep a second copy");
    let MessagingEvent::Message(message) = &item.event else {
        panic!("{:?}", item.event)
    };
    assert_eq!(item.event.key(), Some("message"));
    assert_eq!(message.mid, Some(Mid::new(mid(2))));
    assert_eq!(
        message.quick_reply.as_ref().unwrap().payload.as_deref(),
        Some("COLOR_RED")
    );
    assert!(!message.is_echo && message.attachments.is_empty());
}

#[test]
fn echo_app_id_sent_as_a_number_and_metadata() {
    let payload = payload("echo.json");
    let items = items(&payload);
    let MessagingEvent::Message(echo) = &items[0].event else {
        panic!()
    };
    assert!(echo.is_echo);
    assert_eq!(echo.app_id, Some(AppId::new("1517776481860111")));
    assert_eq!(echo.metadata.as_deref(), Some("order-42"));
    let MessagingEvent::Message(template) = &items[1].event else {
        panic!()
    };
    let attachment = &template.attachments[0];
    assert_eq!(attachment.kind, AttachmentType::Template);
    let payload = attachment.payload.as_ref().unwrap();
    assert_eq!(payload.other["template_type"], "media");
    assert_eq!(
        payload.other["elements"][0]["attachment_id"],
        2_457_235_337_685_388_u64
    );
}

#[test]
fn stickers_locations_and_fallbacks() {
    let MessagingEvent::Message(message) = &items(&payload("sticker.json"))[0].event.clone() else {
        panic!()
    };
    assert_eq!(message.attachments[0].kind, AttachmentType::Sticker);
    assert_eq!(message.attachments[0].sticker_id(), Some("369239263222822"));
    assert_eq!(message.attachments[1].kind, AttachmentType::Image);

    let MessagingEvent::Message(location) = only_event("location.json") else {
        panic!()
    };
    let attachment = &location.attachments[0];
    assert_eq!(attachment.title.as_deref(), Some("Meta Headquarters"));
    let coordinates = attachment.payload.as_ref().unwrap().coordinates.unwrap();
    assert!((coordinates.lat.unwrap() - 37.483_307).abs() < 1e-9);
    assert!((coordinates.long.unwrap() + 122.148_981).abs() < 1e-9);

    let payload = payload("fallback.json");
    let MessagingEvent::Message(empty) = &items(&payload)[1].event else {
        panic!()
    };
    assert_eq!(empty.attachments[0].kind, AttachmentType::Fallback);
    assert!(empty.attachments[0].payload.is_none());
    assert_eq!(empty.attachments[0].title.as_deref(), Some(""));
}

#[test]
fn unknown_attachment_type_keeps_its_name_and_payload() {
    let MessagingEvent::Message(message) = only_event("unknown_attachment.json") else {
        panic!()
    };
    let hologram = &message.attachments[0];
    assert_eq!(hologram.kind, AttachmentType::Unknown("hologram".into()));
    assert_eq!(hologram.kind.as_str(), "hologram");
    assert_eq!(hologram.payload.as_ref().unwrap().other["frames"], 24);
    assert_eq!(
        message.attachments[1].kind,
        AttachmentType::AppointmentBooking
    );
}

#[test]
fn postback_referral() {
    let payload = payload("postback.json");
    let MessagingEvent::Postback(postback) = &items(&payload)[1].event else {
        panic!()
    };
    assert_eq!(postback.payload.as_deref(), Some("GET_STARTED"));
    let referral = postback.referral.as_ref().unwrap();
    assert_eq!(referral.reference.as_deref(), Some("summer-sale"));
    assert_eq!(referral.source.as_deref(), Some("SHORTLINK"));
    assert_eq!(referral.kind.as_deref(), Some("OPEN_THREAD"));
}

#[test]
fn receipts_keep_watermarks_and_optional_mids() {
    let MessagingEvent::Read(read) = only_event("read.json") else {
        panic!()
    };
    assert_eq!(read.watermark.unwrap().unix_millis(), Some(T + 89_000));

    let payload = payload("delivery.json");
    let items = items(&payload);
    let MessagingEvent::Delivery(with_mids) = &items[0].event else {
        panic!()
    };
    assert_eq!(with_mids.mids, [Mid::new(mid(901)), Mid::new(mid(902))]);
    let MessagingEvent::Delivery(without) = &items[1].event else {
        panic!()
    };
    assert!(without.mids.is_empty());
    assert_eq!(
        without.watermark.as_ref().unwrap().unix_millis(),
        Some(T + 101_000)
    );
}

#[test]
fn reactions_are_typed_and_unknown_values_kept() {
    let payload = payload("reactions.json");
    let items = items(&payload);
    let MessagingEvent::Reaction(love) = &items[0].event else {
        panic!()
    };
    assert_eq!(love.reaction, Some(ReactionKind::Love));
    assert_eq!(love.action, Some(ReactionAction::React));
    assert!(!love.is_removed());
    let MessagingEvent::Reaction(removed) = &items[1].event else {
        panic!()
    };
    assert!(removed.is_removed() && removed.emoji.is_none());

    let body = br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"reaction":{"reaction":"laugh","emoji":"x","action":"swap","mid":"m_1"}}]}]}"#;
    let payload = WebhookPayload::from_slice(body).unwrap();
    let MessagingEvent::Reaction(new) = &payload.entry[0].messaging[0].event else {
        panic!()
    };
    assert_eq!(new.reaction, Some(ReactionKind::Unknown("laugh".into())));
    assert_eq!(new.action, Some(ReactionAction::Unknown("swap".into())));
}

#[test]
fn edit_optin_and_handover_events() {
    let MessagingEvent::MessageEdit(edit) = only_event("message_edit.json") else {
        panic!()
    };
    assert_eq!(edit.num_edit, Some(1));
    assert_eq!(
        edit.text.as_deref(),
        Some("Does it come in another colour?")
    );

    let MessagingEvent::Optin(optin) = only_event("optin.json") else {
        panic!()
    };
    assert_eq!(optin.kind.as_deref(), Some("notification_messages"));
    assert_eq!(
        optin.notification_messages_token.as_deref(),
        Some("7180945617835287629")
    );
    assert_eq!(
        optin.token_expiry_timestamp.unwrap().unix_millis(),
        Some(1_781_021_183_000)
    );

    let payload = payload("handover.json");
    let items = items(&payload);
    let MessagingEvent::PassThreadControl(pass) = &items[0].event else {
        panic!()
    };
    assert_eq!(pass.previous_owner_app_id, None, "idle thread");
    assert_eq!(pass.new_owner_app_id, Some(AppId::new("263902037430900")));
    let MessagingEvent::TakeThreadControl(take) = &items[1].event else {
        panic!()
    };
    assert_eq!(take.metadata.as_deref(), Some("bot resumes"));
    let MessagingEvent::RequestThreadControl(request) = &items[2].event else {
        panic!()
    };
    assert_eq!(
        request.requested_owner_app_id,
        Some(AppId::new("263902037430900"))
    );
    let MessagingEvent::AppRoles(roles) = &items[3].event else {
        panic!()
    };
    assert_eq!(roles.roles["263902037430900"], ["primary_receiver"]);
    assert!(items.iter().all(|item| item.raw().is_some()));
}

#[test]
fn unknown_items_keep_the_whole_item() {
    let payload = payload("unknown_item.json");
    let item = &payload.entry[0].messaging[0];
    let MessagingEvent::Unknown(raw) = &item.event else {
        panic!("{:?}", item.event)
    };
    assert_eq!(item.event.key(), None);
    assert_eq!(raw["game_play"]["score"], 120);
    assert_eq!(raw["sender"]["id"], PSID);
    assert_eq!(item.raw(), Some(raw));
    assert_eq!(
        item.timestamp.as_ref().unwrap().unix_millis(),
        Some(T + 170_000)
    );
}

#[test]
fn user_ref_senders_and_string_timestamps() {
    let body = br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"user_ref":"ref-77"},"recipient":{"id":"1"},"timestamp":"1527459824","postback":{"title":"Go"}}]}]}"#;
    let payload = WebhookPayload::from_slice(body).unwrap();
    let item = &payload.entry[0].messaging[0];
    let sender = item.sender.as_ref().unwrap();
    assert_eq!(
        (sender.id.as_deref(), sender.user_ref.as_deref()),
        (None, Some("ref-77"))
    );
    assert_eq!(
        item.timestamp.as_ref().unwrap().unix_millis(),
        Some(1_527_459_824)
    );
    let events = payload.to_events();
    assert_eq!(events[0].sender_id.as_deref(), Some("ref-77"));
    assert_eq!(events[0].message_id, None);
}

#[test]
fn a_timestamp_that_is_no_integer_is_null_not_an_error() {
    let body = br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":"soon","message":{"mid":"m_1","text":"hi"}}]}]}"#;
    let events = metabiz_messenger::webhook::parse_events(body).unwrap();
    assert_eq!(events[0].timestamp_ms, None);
    assert_eq!(events[0].text.as_deref(), Some("hi"));
}

#[test]
fn attachment_ids_are_typed() {
    let body = br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m_1","attachments":[{"type":"image","payload":{"attachment_id":123}}]}}]}]}"#;
    let payload = WebhookPayload::from_slice(body).unwrap();
    let MessagingEvent::Message(message) = &payload.entry[0].messaging[0].event else {
        panic!()
    };
    assert_eq!(
        message.attachments[0]
            .payload
            .as_ref()
            .unwrap()
            .attachment_id,
        Some(AttachmentId::new("123"))
    );
}
