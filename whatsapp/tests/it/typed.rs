//! The typed payload: what a user reads when the normalized events are not enough.

use metabiz_whatsapp::webhook::{
    ChangeField, ChangeValue, Interactive, MessageContent, MessageStatus, MessagesValue,
    PricingCategory, PricingModel, PricingType, SystemMessageType, WebhookPayload,
};
use metabiz_whatsapp::{Bsuid, MediaId, PhoneNumberId, WaId, WabaId, Wamid};
use serde_json::json;

use crate::support::payload;

fn messages_value(payload: &WebhookPayload, entry: usize, change: usize) -> &MessagesValue {
    match &payload.entry[entry].changes[change].value {
        ChangeValue::Messages(value) => value,
        other => panic!("expected a messages value, got {other:?}"),
    }
}

fn only_content(name: &str) -> MessageContent {
    let payload = payload(name);
    let value = messages_value(&payload, 0, 0);
    assert_eq!(value.messages.len(), 1);
    value.messages[0].content.clone()
}

#[test]
fn text_message_envelope() {
    let payload = payload("text.json");
    assert_eq!(payload.entry.len(), 1);
    assert_eq!(payload.entry[0].id, WabaId::new("102290129340398"));
    assert_eq!(payload.entry[0].time, None);
    let change = &payload.entry[0].changes[0];
    assert_eq!(change.field, ChangeField::Messages);
    let value = messages_value(&payload, 0, 0);
    assert_eq!(value.messaging_product.as_deref(), Some("whatsapp"));
    let metadata = value.metadata.as_ref().unwrap();
    assert_eq!(
        metadata.phone_number_id,
        PhoneNumberId::new("106540352242922")
    );
    assert_eq!(
        metadata.display_phone_number.as_deref(),
        Some("15550783881")
    );
    let contact = &value.contacts[0];
    assert_eq!(contact.wa_id, Some(WaId::new("16505551234")));
    assert_eq!(
        contact.profile.as_ref().unwrap().name.as_deref(),
        Some("Sheena Nelson")
    );
    let message = &value.messages[0];
    assert_eq!(message.from, Some(WaId::new("16505551234")));
    assert_eq!(
        message.id,
        Wamid::new("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")
    );
    assert_eq!(
        message.timestamp.as_ref().unwrap().unix_seconds(),
        Some(1_749_416_383)
    );
    assert_eq!(message.content.message_type(), "text");
    let MessageContent::Text(text) = &message.content else {
        panic!("{:?}", message.content)
    };
    assert_eq!(text.body, "Does it come in another color?");
    assert!(value.statuses.is_empty() && value.errors.is_empty());
}

#[test]
fn media_details() {
    let MessageContent::Audio(audio) = only_content("audio_voice.json") else {
        panic!("not audio")
    };
    assert_eq!(audio.voice, Some(true));
    assert_eq!(audio.mime_type.as_deref(), Some("audio/ogg; codecs=opus"));
    assert_eq!(audio.id, Some(MediaId::new("1046389117291834")));

    let MessageContent::Sticker(sticker) = only_content("sticker.json") else {
        panic!("not a sticker")
    };
    assert_eq!(sticker.animated, Some(false));

    let MessageContent::Document(document) = only_content("document.json") else {
        panic!("not a document")
    };
    assert_eq!(document.filename.as_deref(), Some("receipt-0042.pdf"));
    assert_eq!(document.caption.as_deref(), Some("My receipt"));
    assert_eq!(
        document.sha256.as_deref(),
        Some("KMLy8mj0tRxLKCGqrfRwXUNH7AQ8V7b1kAb6Ce5n1bw=")
    );
}

#[test]
fn location_and_contact_cards() {
    let MessageContent::Location(location) = only_content("location.json") else {
        panic!("not a location")
    };
    assert!((location.latitude - 37.483_307).abs() < 1e-9);
    assert!((location.longitude + 122.148_981).abs() < 1e-9);
    assert_eq!(location.name.as_deref(), Some("Meta Headquarters"));

    let MessageContent::Contacts(cards) = only_content("contacts.json") else {
        panic!("not contacts")
    };
    assert_eq!(cards.len(), 2);
    let first = &cards[0];
    assert_eq!(
        first.name.as_ref().unwrap().formatted_name.as_deref(),
        Some("Barbara J. Johnson")
    );
    assert_eq!(first.phones[0].wa_id, Some(WaId::new("16505551234")));
    assert_eq!(first.phones[0].kind.as_deref(), Some("WORK"));
    assert_eq!(first.addresses[0].zip.as_deref(), Some("94025"));
    assert_eq!(
        first.org.as_ref().unwrap().company.as_deref(),
        Some("Lucky Shrub")
    );
    assert_eq!(first.birthday.as_deref(), Some("1999-01-23"));
    let second = &cards[1];
    assert_eq!(second.phones[0].wa_id, None);
    assert!(second.emails.is_empty() && second.org.is_none());
}

#[test]
fn interactive_answers() {
    let payload = payload("interactive_replies.json");
    let value = messages_value(&payload, 0, 0);
    let answers: Vec<_> = value
        .messages
        .iter()
        .map(|m| match &m.content {
            MessageContent::Interactive(answer) => answer.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    let Interactive::ButtonReply(button) = &answers[0] else {
        panic!("{:?}", answers[0])
    };
    assert_eq!(
        (button.id.as_str(), button.title.as_str()),
        ("change-button", "Change")
    );
    let Interactive::ListReply(row) = &answers[1] else {
        panic!("{:?}", answers[1])
    };
    assert_eq!(row.id, "priority_express");
    assert_eq!(row.description.as_deref(), Some("Next Day to 2 Days"));
    let Interactive::NfmReply(flow) = &answers[2] else {
        panic!("{:?}", answers[2])
    };
    let response: serde_json::Value = serde_json::from_str(&flow.response_json).unwrap();
    assert_eq!(
        response,
        json!({"flow_token": "AQAAAAACS5FpgQ_cAAAAAD0QI3s.", "size": "M"})
    );
}

#[test]
fn button_reactions_and_order() {
    let MessageContent::Button(button) = only_content("button.json") else {
        panic!("not a button")
    };
    assert_eq!(button.payload.as_deref(), Some("unsubscribe-promos"));

    let payload = payload("reactions.json");
    let removed: Vec<_> = messages_value(&payload, 0, 0)
        .messages
        .iter()
        .map(|m| match &m.content {
            MessageContent::Reaction(reaction) => reaction.is_removed(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(removed, [false, true, true]);

    let MessageContent::Order(order) = only_content("order.json") else {
        panic!("not an order")
    };
    assert_eq!(order.catalog_id.as_deref(), Some("194836987003835"));
    let lines: Vec<_> = order
        .product_items
        .iter()
        .map(|item| {
            (
                item.product_retailer_id.as_deref(),
                item.quantity,
                item.item_price,
            )
        })
        .collect();
    // Numbers and numeric strings both read as numbers.
    assert_eq!(
        lines,
        [
            (Some("di9ozbzfi4"), Some(2.0), Some(30.5)),
            (Some("nqryix03ez"), Some(1.0), Some(25.0)),
        ]
    );
}

#[test]
fn context_referral_system_unsupported() {
    let payload = payload("text_reply_forwarded.json");
    let value = messages_value(&payload, 0, 0);
    let reply = value.messages[0].context.as_ref().unwrap();
    assert_eq!(reply.from.as_deref(), Some("15550783881"));
    assert!(!reply.forwarded);
    let forwarded = value.messages[1].context.as_ref().unwrap();
    assert!(forwarded.forwarded && forwarded.frequently_forwarded);
    assert_eq!(forwarded.id, None);

    let payload = self::payload("referral.json");
    let referral = messages_value(&payload, 0, 0).messages[0]
        .referral
        .clone()
        .unwrap();
    assert_eq!(referral.source_type.as_deref(), Some("ad"));
    assert!(referral.ctwa_clid.unwrap().starts_with("Aff-n8ZTODiE"));

    let MessageContent::System(system) = only_content("system.json") else {
        panic!("not a system message")
    };
    assert_eq!(
        system.system_type,
        Some(SystemMessageType::UserChangedNumber)
    );
    assert_eq!(system.wa_id, Some(WaId::new("12195555358")));

    let payload = self::payload("unsupported.json");
    let message = &messages_value(&payload, 0, 0).messages[0];
    let MessageContent::Unsupported(unsupported) = &message.content else {
        panic!("{:?}", message.content)
    };
    assert_eq!(
        unsupported.unsupported_type.as_deref(),
        Some("poll_creation")
    );
    assert_eq!(message.errors[0].code, Some(131_051));
    assert_eq!(
        message.errors[0]
            .error_data
            .as_ref()
            .unwrap()
            .details
            .as_deref(),
        Some("Message type is currently not supported.")
    );
}

#[test]
fn unknown_message_type_keeps_its_type_and_json() {
    let payload = payload("unknown_type.json");
    let value = messages_value(&payload, 0, 0);
    let MessageContent::Unknown { message_type, raw } = &value.messages[0].content else {
        panic!("{:?}", value.messages[0].content)
    };
    assert_eq!(message_type, "hologram");
    assert_eq!(
        raw["hologram"],
        json!({"id": "1425102219048281", "frames": 24})
    );
    assert_eq!(raw["id"], value.messages[0].id.as_str());
    assert_eq!(value.messages[0].content.message_type(), "hologram");
    // A known type whose answer is of an unknown kind is unknown too, with its JSON.
    let MessageContent::Unknown { message_type, raw } = &value.messages[2].content else {
        panic!("{:?}", value.messages[2].content)
    };
    assert_eq!(message_type, "interactive");
    assert_eq!(raw["interactive"]["type"], "call_permission_reply");
}

#[test]
fn statuses_with_pricing_and_conversation() {
    let payload = payload("statuses_sent_delivered_read.json");
    let statuses = &messages_value(&payload, 0, 0).statuses;
    let kinds: Vec<_> = statuses.iter().map(|s| s.status.clone()).collect();
    assert_eq!(
        kinds,
        [
            MessageStatus::Sent,
            MessageStatus::Delivered,
            MessageStatus::Read
        ]
    );
    let sent = &statuses[0];
    assert_eq!(sent.recipient_id.as_deref(), Some("16505551234"));
    let conversation = sent.conversation.as_ref().unwrap();
    assert_eq!(
        conversation.origin.as_ref().unwrap().origin_type,
        Some(PricingCategory::Utility)
    );
    assert_eq!(
        conversation
            .expiration_timestamp
            .as_ref()
            .unwrap()
            .unix_seconds(),
        Some(1_750_350_180)
    );
    let pricing = sent.pricing.as_ref().unwrap();
    assert_eq!(pricing.billable, Some(true));
    assert_eq!(pricing.pricing_model, Some(PricingModel::Pmp));
    assert_eq!(pricing.category, Some(PricingCategory::Utility));
    assert_eq!(pricing.pricing_type, Some(PricingType::Regular));
    assert!(statuses[2].conversation.is_none());
}

#[test]
fn failed_and_unusual_statuses() {
    let payload = payload("status_failed.json");
    let failed = &messages_value(&payload, 0, 0).statuses[0];
    assert_eq!(failed.status, MessageStatus::Failed);
    assert_eq!(failed.errors[0].code, Some(131_047));
    assert_eq!(
        failed.errors[0].title.as_deref(),
        Some("Re-engagement message")
    );

    let payload = self::payload("status_other_values.json");
    let statuses = &messages_value(&payload, 0, 0).statuses;
    assert_eq!(statuses[0].status, MessageStatus::Deleted);
    assert_eq!(statuses[1].status, MessageStatus::Warning);
    assert_eq!(statuses[2].status, MessageStatus::Played);
    let timestamp = statuses[2].timestamp.as_ref().unwrap();
    assert_eq!(timestamp.as_str(), "not-a-number");
    assert_eq!(timestamp.unix_millis(), None);
}

#[test]
fn unknown_enum_values_are_kept() {
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
        {"value":{"metadata":{"phone_number_id":"2"},"statuses":[{"id":"wamid.X","status":"queued",
          "pricing":{"pricing_model":"FUTURE","category":"authentication-international","type":"free_trial"}}]},
         "field":"messages"},
        {"value":{"group_id":"G1"},"field":"group_lifecycle_update"}]}]}"#;
    let payload = WebhookPayload::from_slice(body).unwrap();
    let status = &messages_value(&payload, 0, 0).statuses[0];
    assert_eq!(status.status, MessageStatus::Unknown("queued".to_owned()));
    assert_eq!(status.status.as_str(), "queued");
    let pricing = status.pricing.as_ref().unwrap();
    assert_eq!(
        pricing.pricing_model,
        Some(PricingModel::Unknown("FUTURE".to_owned()))
    );
    assert_eq!(
        pricing.category.as_ref().map(PricingCategory::as_str),
        Some("authentication-international")
    );
    assert_eq!(
        pricing.pricing_type.as_ref().unwrap().to_string(),
        "free_trial"
    );
    let change = &payload.entry[0].changes[1];
    assert_eq!(
        change.field,
        ChangeField::Unknown("group_lifecycle_update".to_owned())
    );
    assert_eq!(change.value, ChangeValue::Other(json!({"group_id": "G1"})));
}

#[test]
fn other_change_fields_keep_their_value() {
    let payload = payload("unknown_field_calls.json");
    let entry = &payload.entry[0];
    assert_eq!(
        entry.time.as_ref().unwrap().unix_seconds(),
        Some(1_750_264_500)
    );
    assert_eq!(entry.changes[0].field, ChangeField::Calls);
    let ChangeValue::Other(calls) = &entry.changes[0].value else {
        panic!("{:?}", entry.changes[0].value)
    };
    assert_eq!(calls["calls"][0]["event"], "connect");
    assert_eq!(
        entry.changes[1].field,
        ChangeField::MessageTemplateStatusUpdate
    );
    // Template status updates are typed now; the exact value stays available as text.
    let ChangeValue::TemplateStatusUpdate(template) = &entry.changes[1].value else {
        panic!("{:?}", entry.changes[1].value)
    };
    assert_eq!(
        template.message_template_id.as_deref(),
        Some("1689556908129832")
    );
    assert!(
        entry.changes[1]
            .value_json()
            .contains("\"message_template_id\":1689556908129832")
            || entry.changes[1]
                .value_json()
                .contains("\"message_template_id\": 1689556908129832")
    );
}

#[test]
fn business_scoped_user_ids() {
    let payload = payload("business_scoped_user_id.json");
    let incoming = messages_value(&payload, 0, 0);
    let contact = &incoming.contacts[0];
    assert_eq!(contact.wa_id, None);
    assert_eq!(contact.user_id, Some(Bsuid::new("US.13491208655302741918")));
    assert_eq!(
        contact.parent_user_id,
        Some(Bsuid::new("US.ENT.11815799212886844830"))
    );
    assert_eq!(
        contact.profile.as_ref().unwrap().username.as_deref(),
        Some("@sheena")
    );
    let message = &incoming.messages[0];
    assert_eq!(message.from, None);
    assert_eq!(
        message.from_user_id,
        Some(Bsuid::new("US.13491208655302741918"))
    );

    let status = &messages_value(&payload, 0, 1).statuses[0];
    assert_eq!(status.recipient_id, None);
    assert_eq!(
        status.recipient_user_id,
        Some(Bsuid::new("US.13491208655302741918"))
    );
    let contact = &messages_value(&payload, 0, 1).contacts[0];
    assert_eq!(contact.profile.as_ref().unwrap().name, None);
}

#[test]
fn status_contact_with_only_wa_id() {
    let payload = payload("status_contact_wa_id_only.json");
    let value = messages_value(&payload, 0, 0);
    assert_eq!(value.contacts[0].profile, None);
    assert_eq!(value.contacts[0].wa_id, Some(WaId::new("16505551234")));
    assert_eq!(
        value.statuses[0].pricing.as_ref().unwrap().pricing_type,
        Some(PricingType::FreeCustomerService)
    );
}

#[test]
fn echoes() {
    let payload = payload("smb_message_echoes.json");
    let change = &payload.entry[0].changes[0];
    assert_eq!(change.field, ChangeField::SmbMessageEchoes);
    let ChangeValue::MessageEchoes(value) = &change.value else {
        panic!("{:?}", change.value)
    };
    let echoes = &value.message_echoes;
    assert_eq!(echoes.len(), 3);
    assert_eq!(echoes[0].from.as_deref(), Some("15550783881"));
    assert_eq!(echoes[0].to.as_deref(), Some("16505551234"));
    assert_eq!(echoes[2].content.message_type(), "revoke");
    let MessageContent::Unknown { raw, .. } = &echoes[2].content else {
        panic!("{:?}", echoes[2].content)
    };
    assert_eq!(raw["to"], "16505551234");
}

#[test]
fn value_json_is_the_exact_original() {
    let payload = payload("escaped_text.json");
    let json = payload.entry[0].changes[0].value_json();
    assert!(json.starts_with(r#"{"messaging_product":"whatsapp""#));
    assert!(json.contains(r"https:\/\/example.com\/k\u00e4se"));
    let MessageContent::Text(text) = &messages_value(&payload, 0, 0).messages[0].content else {
        panic!("not text")
    };
    assert!(text.body.starts_with("Grüße! Ist https://example.com/käse"));
}

#[test]
fn batch_keeps_every_entry_change_and_item() {
    let payload = payload("batch.json");
    let shape: Vec<Vec<(usize, usize)>> = payload
        .entry
        .iter()
        .map(|entry| {
            entry
                .changes
                .iter()
                .map(|change| match &change.value {
                    ChangeValue::Messages(v) => (v.messages.len(), v.statuses.len()),
                    _ => (0, 0),
                })
                .collect()
        })
        .collect();
    assert_eq!(shape, [vec![(3, 2), (2, 0)], vec![(1, 2), (0, 0)]]);
    assert_eq!(payload.entry[1].id, WabaId::new("102290129340399"));
    assert_eq!(
        payload.entry[1].changes[1].field,
        ChangeField::AccountUpdate
    );
}

#[test]
fn field_may_come_before_value_and_type_may_be_missing() {
    let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
        "metadata":{"phone_number_id":"2"},
        "messages":[
          {"from":"3","id":"wamid.A","timestamp":"1","text":{"body":"no type"}},
          {"from":"3","id":"wamid.B","timestamp":"2","type":"request_welcome"}
        ]}}],"id":"1"}],"object":"whatsapp_business_account"}"#;
    let payload = WebhookPayload::from_slice(body).unwrap();
    let messages = &messages_value(&payload, 0, 0).messages;
    let MessageContent::Unknown { message_type, raw } = &messages[0].content else {
        panic!("{:?}", messages[0].content)
    };
    assert_eq!(message_type, "");
    assert_eq!(raw["text"]["body"], "no type");
    assert_eq!(messages[1].content, MessageContent::RequestWelcome);
    let events = payload.to_events();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.raw.is_some()));
    assert_eq!(events[1].raw.as_ref().unwrap()["type"], "request_welcome");
}

#[test]
fn empty_entry_list_is_valid_and_has_no_events() {
    let payload =
        WebhookPayload::from_slice(br#"{"object":"whatsapp_business_account","entry":[]}"#)
            .unwrap();
    assert!(payload.entry.is_empty());
    assert!(payload.to_events().is_empty());
}
