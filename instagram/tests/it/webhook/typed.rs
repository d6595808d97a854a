//! The typed payload: what a user reads when the normalized events are not enough.

use metabiz_instagram::webhook::{
    AttachmentType, ChangeField, Messaging, MessagingEvent, ReactionAction, ReactionKind,
    Timestamp, WebhookPayload,
};
use metabiz_instagram::{InstagramAccountId, Mid};
use serde_json::json;

use super::support::{ACCOUNT, IGSID, T, cdn, item, mid, payload};

fn items(payload: &WebhookPayload) -> Vec<&Messaging> {
    payload
        .entry
        .iter()
        .flat_map(|entry| entry.messaging.iter().chain(&entry.standby))
        .collect()
}

fn events(name: &str) -> Vec<MessagingEvent> {
    items(&payload(name))
        .into_iter()
        .map(|item| item.event.clone())
        .collect()
}

#[test]
fn envelope_sender_recipient_and_timestamps() {
    let payload = payload("text.json");
    assert_eq!(payload.entry.len(), 1);
    let entry = &payload.entry[0];
    assert_eq!(entry.id, InstagramAccountId::new(ACCOUNT));
    assert_eq!(
        entry.time.as_ref().and_then(Timestamp::unix_millis),
        Some(T + 431)
    );
    assert!(entry.standby.is_empty() && entry.changes.is_empty());
    let item = &entry.messaging[1];
    assert_eq!(item.sender.as_ref().unwrap().id.as_deref(), Some(IGSID));
    assert_eq!(
        item.recipient.as_ref().unwrap().id.as_deref(),
        Some(ACCOUNT)
    );
    assert_eq!(
        item.timestamp.as_ref().unwrap().to_string(),
        "1749416392152"
    );
    assert_eq!(item.raw(), None, "messages do not keep a second copy");
    assert_eq!(item.event.key(), Some("message"));
    let MessagingEvent::Message(message) = &item.event else {
        panic!("{:?}", item.event)
    };
    assert_eq!(message.mid, Some(Mid::new(mid(2))));
    assert_eq!(
        message.quick_reply.as_ref().unwrap().payload.as_deref(),
        Some("SHIP_EXPRESS")
    );
    assert!(!message.is_echo && !message.is_deleted && !message.is_unsupported);
    assert!(message.attachments.is_empty() && message.reply_to.is_none());
}

#[test]
fn a_story_reply_keeps_the_story() {
    let [MessagingEvent::Message(message)] = &events("story_reply.json")[..] else {
        panic!()
    };
    let reply_to = message.reply_to.as_ref().unwrap();
    assert_eq!(reply_to.mid, None);
    let story = reply_to.story.as_ref().unwrap();
    assert_eq!(story.id.as_deref(), Some("18034445566778899"));
    assert_eq!(
        story.url.as_deref(),
        Some(cdn("18300011122233345").as_str())
    );

    let [MessagingEvent::Message(inline)] = &events("reply_to.json")[..] else {
        panic!()
    };
    let reply_to = inline.reply_to.as_ref().unwrap();
    assert_eq!(reply_to.mid, Some(Mid::new(mid(900))));
    assert!(reply_to.story.is_none());
}

#[test]
fn shares_keep_media_ids_titles_and_unknown_payload_keys() {
    let events = events("shares.json");
    let MessagingEvent::Message(old) = &events[0] else {
        panic!()
    };
    let share = &old.attachments[0];
    assert_eq!(share.kind, AttachmentType::Share);
    assert_eq!(share.ig_post_media_id(), Some("18139494541428835"));
    assert_eq!(
        share.payload.as_ref().unwrap().title.as_deref(),
        Some("New drop: the linen collection ☀️")
    );

    let MessagingEvent::Message(pair) = &events[1] else {
        panic!()
    };
    let kinds: Vec<_> = pair.attachments.iter().map(|a| a.kind.clone()).collect();
    assert_eq!(kinds, [AttachmentType::Share, AttachmentType::IgPost]);

    let MessagingEvent::Message(reel) = &events[2] else {
        panic!()
    };
    let payload = reel.attachments[0].payload.as_ref().unwrap();
    assert_eq!(reel.attachments[0].kind, AttachmentType::IgReel);
    assert_eq!(payload.other["reel_video_id"], "17906265141506851");
    assert_eq!(
        payload.url.as_deref(),
        Some("https://www.instagram.com/reel/C8xYz12AbCd/")
    );
}

#[test]
fn unknown_attachment_types_keep_their_name_and_payload() {
    let events = events("unknown_attachment.json");
    let MessagingEvent::Message(ephemeral) = &events[0] else {
        panic!()
    };
    assert_eq!(ephemeral.attachments[0].kind, AttachmentType::Ephemeral);
    assert!(ephemeral.attachments[0].payload.is_none());

    let MessagingEvent::Message(story) = &events[1] else {
        panic!()
    };
    let attachment = &story.attachments[0];
    assert_eq!(
        attachment.kind,
        AttachmentType::Unknown("ig_story".to_owned())
    );
    assert_eq!(attachment.kind.as_str(), "ig_story");
    assert_eq!(attachment.url(), None);
    assert_eq!(
        attachment.payload.as_ref().unwrap().other["story_media_url"],
        cdn("18055566677788899")
    );
}

#[test]
fn echoes_deletions_and_unsupported_media() {
    let MessagingEvent::Message(echo) = &events("echo.json")[0] else {
        panic!()
    };
    assert!(echo.is_echo);

    let payload = payload("deleted.json");
    let item = &payload.entry[0].messaging[0];
    let MessagingEvent::Message(deleted) = &item.event else {
        panic!()
    };
    assert!(deleted.is_deleted && deleted.text.is_none());
    assert_eq!(
        item.raw(),
        Some(&super::support::item("deleted.json", 0, "messaging", 0))
    );

    let MessagingEvent::Message(unsupported) = &events("unsupported.json")[0] else {
        panic!()
    };
    assert!(unsupported.is_unsupported);
}

#[test]
fn reactions_reads_and_postbacks() {
    let events = events("reactions.json");
    let MessagingEvent::Reaction(love) = &events[0] else {
        panic!()
    };
    assert_eq!(love.reaction, Some(ReactionKind::Love));
    assert_eq!(love.action, Some(ReactionAction::React));
    assert_eq!(love.emoji.as_deref(), Some("❤️"));
    assert!(!love.is_removed());
    let MessagingEvent::Reaction(removed) = &events[1] else {
        panic!()
    };
    assert!(removed.is_removed() && removed.emoji.is_none() && removed.reaction.is_none());
    let MessagingEvent::Reaction(laugh) = &events[2] else {
        panic!()
    };
    assert_eq!(laugh.reaction, Some(ReactionKind::Laugh));

    let [MessagingEvent::Read(read)] = &super::typed::events("read.json")[..] else {
        panic!()
    };
    assert_eq!(read.mid, Some(Mid::new(mid(15))));

    let MessagingEvent::Postback(postback) = &super::typed::events("postback.json")[0] else {
        panic!()
    };
    assert_eq!(postback.payload.as_deref(), Some("ICEBREAKER_HOURS"));
    assert_eq!(postback.mid, Some(Mid::new(mid(18))));
}

#[test]
fn referrals_from_links_ads_and_products() {
    let events = events("referral.json");
    let MessagingEvent::Referral(link) = &events[0] else {
        panic!()
    };
    assert_eq!(link.reference.as_deref(), Some("spring_campaign"));
    assert_eq!(link.kind.as_deref(), Some("OPEN_THREAD"));

    let MessagingEvent::Message(from_ad) = &events[1] else {
        panic!()
    };
    let referral = from_ad.referral.as_ref().unwrap();
    // Meta's sample shows the ad id unquoted.
    assert_eq!(referral.ad_id.as_deref(), Some("23851234567890123"));
    assert_eq!(referral.source.as_deref(), Some("ADS"));
    assert_eq!(
        referral.ads_context_data.as_ref().unwrap()["ad_title"],
        "Linen shirts, made to last"
    );

    let MessagingEvent::Message(from_shop) = &events[2] else {
        panic!()
    };
    let product = from_shop
        .referral
        .as_ref()
        .unwrap()
        .product
        .as_ref()
        .unwrap();
    assert_eq!(product.id.as_deref(), Some("5284973381569512"));
}

#[test]
fn handover_events_name_the_apps() {
    let events = events("handover.json");
    let MessagingEvent::PassThreadControl(pass) = &events[0] else {
        panic!()
    };
    assert_eq!(pass.new_owner_app_id.as_deref(), Some("1517776481860111"));
    assert_eq!(
        pass.metadata.as_deref(),
        Some("customer asked for an agent")
    );
    assert!(matches!(events[1], MessagingEvent::TakeThreadControl(_)));
    let MessagingEvent::RequestThreadControl(request) = &events[2] else {
        panic!()
    };
    assert_eq!(
        request.requested_owner_app_id.as_deref(),
        Some("263902037430900")
    );
    assert_eq!(events[2].key(), Some("request_thread_control"));
}

#[test]
fn unknown_items_are_kept_whole() {
    let events = events("unknown_item.json");
    assert_eq!(
        events[0],
        MessagingEvent::Unknown(item("unknown_item.json", 0, "messaging", 0))
    );
    assert_eq!(
        events[1],
        MessagingEvent::Unknown(item("unknown_item.json", 0, "messaging", 1))
    );
    assert_eq!(events[0].key(), None);
}

#[test]
fn a_drifted_item_keeps_what_still_has_its_shape() {
    let payload = payload("drifted.json");
    let drifted = &payload.entry[0].messaging[2];
    assert!(matches!(drifted.event, MessagingEvent::Unknown(_)));
    assert_eq!(drifted.sender.as_ref().unwrap().id.as_deref(), Some(IGSID));
    assert!(drifted.timestamp.is_none());
    assert!(matches!(
        payload.entry[0].messaging[4].event,
        MessagingEvent::Message(_)
    ));
}

#[test]
fn changes_are_lightly_typed() {
    let payload = payload("changes.json");
    let changes = &payload.entry[0].changes;
    let fields: Vec<_> = changes
        .iter()
        .map(metabiz_instagram::webhook::Change::field)
        .collect();
    assert_eq!(
        fields,
        [
            Some(ChangeField::Comments),
            Some(ChangeField::LiveComments),
            Some(ChangeField::Mentions)
        ]
    );
    assert_eq!(
        changes[0].value().unwrap()["from"]["username"],
        "linen_lover"
    );
    assert_eq!(
        changes[2].json(),
        &json!({"field": "mentions", "value": {"media_id": "17887498072083520", "comment_id": "17858893269000001"}})
    );
    // Seconds here, not milliseconds: kept as sent.
    assert_eq!(
        payload.entry[0].time.as_ref().unwrap().unix_millis(),
        Some(1_749_416_383)
    );
}
