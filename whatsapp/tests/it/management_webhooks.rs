//! The template and account webhook fields: typed for the typed model, `other` events with
//! the value exactly as sent in the normalized one, and never an error when Meta reshapes them.

use metabiz_whatsapp::model::{QualityRating, TemplateCategory};
use metabiz_whatsapp::webhook::{
    AccountUpdateEvent, BanState, ChangeValue, TemplateStatusEvent, WebhookPayload,
};
use serde_json::json;

use crate::support::{event, events_json, payload};

fn values(payload: &WebhookPayload) -> Vec<&ChangeValue> {
    payload
        .entry
        .iter()
        .flat_map(|entry| &entry.changes)
        .map(|change| &change.value)
        .collect()
}

#[test]
fn template_status_updates_are_typed() {
    let payload = payload("template_status_update.json");
    let values = values(&payload);
    let ChangeValue::TemplateStatusUpdate(rejected) = values[0] else {
        panic!("{:?}", values[0]);
    };
    assert_eq!(rejected.event, TemplateStatusEvent::Rejected);
    // Meta sends the id as a number; it is kept exactly, as text.
    assert_eq!(
        rejected.message_template_id.as_deref(),
        Some("1689556908129832")
    );
    assert_eq!(rejected.reason.as_deref(), Some("INVALID_FORMAT"));
    assert_eq!(
        rejected.message_template_category,
        Some(TemplateCategory::Utility)
    );
    assert_eq!(
        rejected.extra["rejection_info"]["recommendation"],
        "Add text before the first variable."
    );
    let ChangeValue::TemplateStatusUpdate(disabled) = values[1] else {
        panic!("{:?}", values[1]);
    };
    assert_eq!(disabled.event, TemplateStatusEvent::Disabled);
    assert_eq!(
        disabled.message_template_name.as_deref(),
        Some("welcome_back_ñandú")
    );
    assert_eq!(disabled.extra["disable_info"]["disable_date"], "1739321024");
}

#[test]
fn template_quality_and_category_updates_are_typed() {
    let quality = payload("template_quality_update.json");
    let ChangeValue::TemplateQualityUpdate(update) = values(&quality)[0] else {
        panic!();
    };
    assert_eq!(update.previous_quality_score, Some(QualityRating::Green));
    assert_eq!(update.new_quality_score, Some(QualityRating::Yellow));
    assert_eq!(
        update.message_template_id.as_deref(),
        Some("806312974732579")
    );

    let category = payload("template_category_update.json");
    let values = values(&category);
    let ChangeValue::TemplateCategoryUpdate(impending) = values[0] else {
        panic!();
    };
    assert!(impending.is_impending());
    assert_eq!(
        impending.correct_category,
        Some(TemplateCategory::Marketing)
    );
    assert_eq!(impending.category_update_timestamp, Some(1_741_910_400));
    let ChangeValue::TemplateCategoryUpdate(done) = values[1] else {
        panic!();
    };
    assert!(!done.is_impending());
    assert_eq!(done.previous_category, Some(TemplateCategory::Utility));
    assert_eq!(done.new_category, Some(TemplateCategory::Marketing));
}

#[test]
fn account_updates_are_typed_and_unknown_events_keep_their_value() {
    let payload = payload("account_update.json");
    let values = values(&payload);
    assert_eq!(values.len(), 6);
    let ChangeValue::AccountUpdate(violation) = values[0] else {
        panic!();
    };
    assert_eq!(violation.event, AccountUpdateEvent::AccountViolation);
    assert_eq!(
        violation
            .violation_info
            .as_ref()
            .and_then(|v| v.violation_type.as_deref()),
        Some("ADULT")
    );
    let ChangeValue::AccountUpdate(ban) = values[1] else {
        panic!();
    };
    let ban_info = ban.ban_info.as_ref().unwrap();
    assert_eq!(ban_info.waba_ban_state, Some(BanState::Reinstate));
    assert_eq!(ban_info.waba_ban_date.as_deref(), Some("April 17, 2025"));
    let ChangeValue::AccountUpdate(partner) = values[2] else {
        panic!();
    };
    let waba = partner.waba_info.as_ref().unwrap();
    assert_eq!(waba.waba_id.as_deref(), Some("980198427658004"));
    assert_eq!(waba.solution_partner_business_ids.len(), 2);
    let ChangeValue::AccountUpdate(tier) = values[3] else {
        panic!();
    };
    assert_eq!(tier.extra["volume_tier_info"]["region"], "INDIA");
    let ChangeValue::AccountUpdate(future) = values[4] else {
        panic!();
    };
    assert_eq!(
        future.event,
        AccountUpdateEvent::Unknown("A_FUTURE_EVENT".into())
    );
    // No `event` at all: a shape this version cannot read stays raw, the body still parses.
    assert_eq!(values[5], &ChangeValue::Other(json!({"country": "IN"})));
}

#[test]
fn management_fields_normalize_to_other_events_with_the_value_as_sent() {
    let events = events_json("template_status_update.json");
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[1],
        event(json!({
            "kind": "other",
            "timestamp_ms": 1_739_321_024_000_i64,
            "raw": {
                "field": "message_template_status_update",
                "value": {
                    "event": "DISABLED",
                    "message_template_id": 806_312_974_732_579_i64,
                    "message_template_name": "welcome_back_ñandú",
                    "message_template_language": "es_AR",
                    "reason": "NONE",
                    "message_template_category": "MARKETING",
                    "disable_info": {"disable_date": "1739321024"}
                }
            }
        }))
    );
    for (name, count) in [
        ("template_quality_update.json", 1),
        ("template_category_update.json", 2),
        ("account_update.json", 6),
    ] {
        let events = events_json(name);
        assert_eq!(events.len(), count, "{name}");
        assert!(events.iter().all(|e| e["kind"] == "other"), "{name}");
    }
}
