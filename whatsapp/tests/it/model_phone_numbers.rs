//! Business phone numbers, as listed for a WhatsApp Business Account and fetched one by one.

use metabiz_whatsapp::PhoneNumberId;
use metabiz_whatsapp::model::{
    AccountMode, BusinessPhoneNumber, CodeVerificationStatus, MessagingLimitTier, NameStatus,
    PhoneNumberStatus, PlatformType, QualityRating, ThroughputLevel,
};

use crate::model_support::{graph, graph_json, graph_list};

#[test]
fn listed_numbers_with_the_default_fields() {
    let numbers: Vec<(BusinessPhoneNumber, _)> = graph_list("phone_numbers.json");
    assert_eq!(numbers.len(), 2);
    let (first, _) = &numbers[0];
    assert_eq!(first.id, PhoneNumberId::new("1906385232743451"));
    assert_eq!(first.verified_name.as_deref(), Some("Jasper's Market"));
    assert_eq!(
        first.display_phone_number.as_deref(),
        Some("+1 631-555-5555")
    );
    assert_eq!(first.quality_rating, Some(QualityRating::Green));
    assert_eq!(first.status, None);
    assert!(!first.is_connected());
    assert_eq!(
        numbers[1].0.quality_rating,
        Some(QualityRating::NotApplicable)
    );
}

#[test]
fn one_number_with_every_field() {
    let number: BusinessPhoneNumber = graph("phone_number.json");
    assert_eq!(number.id, PhoneNumberId::new("1906385232743451"));
    assert_eq!(
        number.code_verification_status,
        Some(CodeVerificationStatus::Verified)
    );
    assert_eq!(number.platform_type, Some(PlatformType::CloudApi));
    assert_eq!(
        number.throughput.as_ref().and_then(|t| t.level.clone()),
        Some(ThroughputLevel::Standard)
    );
    assert_eq!(number.name_status, Some(NameStatus::Approved));
    let tier = number.messaging_limit_tier.as_ref().unwrap();
    assert_eq!(tier, &MessagingLimitTier::Tier1K);
    assert_eq!(tier.max_users(), Some(1_000));
    assert_eq!(number.is_official_business_account, Some(false));
    assert_eq!(number.is_pin_enabled, Some(true));
    assert_eq!(
        number.last_onboarded_time.as_deref(),
        Some("2023-08-22T19:05:41+0000")
    );
    assert_eq!(number.status, Some(PhoneNumberStatus::Connected));
    assert!(number.is_connected());
    assert_eq!(number.account_mode, Some(AccountMode::Live));

    let webhooks = number.webhook_configuration.as_ref().unwrap();
    assert_eq!(
        webhooks.application.as_deref(),
        Some("https://my-production-callback.com/webhook")
    );
    // The number's own override wins over the account's and the app's.
    assert_eq!(
        webhooks.effective_url(),
        Some("https://my-phone-alternate-callback.com/webhook")
    );
}

#[test]
fn default_fields_name_every_field_of_the_type() {
    let raw = graph_json("phone_number.json");
    let number: BusinessPhoneNumber = serde_json::from_value(raw.clone()).unwrap();
    let full = serde_json::to_value(&number).unwrap();
    // Every field of the fixture survives, so every key below is a field of the type.
    assert_eq!(full, raw);
    let requested: Vec<&str> = BusinessPhoneNumber::DEFAULT_FIELDS.split(',').collect();
    for key in full.as_object().unwrap().keys() {
        assert!(requested.contains(&key.as_str()), "{key} is not requested");
    }
    assert!(requested.contains(&"new_name_status"));
}

#[test]
fn values_meta_adds_later_are_kept_and_sent_back_unchanged() {
    let raw = graph_json("phone_number_new_values.json");
    let number: BusinessPhoneNumber = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(
        number.code_verification_status,
        Some(CodeVerificationStatus::Unknown(
            "PENDING_REVERIFICATION".to_owned()
        ))
    );
    assert_eq!(
        number.quality_rating,
        Some(QualityRating::Unknown("ORANGE".to_owned()))
    );
    assert_eq!(
        number.platform_type,
        Some(PlatformType::Unknown("ON_DEVICE".to_owned()))
    );
    assert_eq!(
        number.throughput.as_ref().and_then(|t| t.level.clone()),
        Some(ThroughputLevel::Unknown("PREMIUM".to_owned()))
    );
    assert_eq!(
        number.name_status,
        Some(NameStatus::Unknown("IN_APPEAL".to_owned()))
    );
    let tier = number.messaging_limit_tier.as_ref().unwrap();
    assert_eq!(tier, &MessagingLimitTier::Unknown("TIER_5K".to_owned()));
    assert_eq!(tier.max_users(), None);
    assert_eq!(
        number.status,
        Some(PhoneNumberStatus::Unknown("SUSPENDED".to_owned()))
    );
    assert!(!number.is_connected());
    assert_eq!(
        number.account_mode,
        Some(AccountMode::Unknown("TRIAL".to_owned()))
    );
    assert_eq!(
        number
            .webhook_configuration
            .as_ref()
            .and_then(|w| w.effective_url()),
        Some("https://my-production-callback.com/webhook")
    );
    assert_eq!(serde_json::to_value(&number).unwrap(), raw);
}

#[test]
fn tiers_report_their_documented_sizes() {
    for (tier, users) in [
        ("TIER_50", Some(50)),
        ("TIER_250", Some(250)),
        ("TIER_2K", Some(2_000)),
        ("TIER_10K", Some(10_000)),
        ("TIER_100K", Some(100_000)),
        ("TIER_UNLIMITED", None),
        ("TIER_NOT_SET", None),
    ] {
        let parsed: MessagingLimitTier = serde_json::from_value(tier.into()).unwrap();
        assert!(!matches!(parsed, MessagingLimitTier::Unknown(_)), "{tier}");
        assert_eq!(parsed.max_users(), users, "{tier}");
    }
}
