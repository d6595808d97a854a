//! Snapshots of the normalized output of every webhook fixture, the JSON contract as a whole:
//! a change to any event of any fixture shows up in review as a diff of `snapshots/*.snap`.

use crate::support::events_json;

const FIXTURES: [&str; 31] = [
    "account_update.json",
    "audio_voice.json",
    "batch.json",
    "business_scoped_user_id.json",
    "button.json",
    "contacts.json",
    "document.json",
    "escaped_text.json",
    "image.json",
    "interactive_replies.json",
    "location.json",
    "order.json",
    "reactions.json",
    "referral.json",
    "smb_message_echoes.json",
    "status_contact_wa_id_only.json",
    "status_failed.json",
    "status_other_values.json",
    "statuses_sent_delivered_read.json",
    "sticker.json",
    "system.json",
    "template_category_update.json",
    "template_quality_update.json",
    "template_status_update.json",
    "text.json",
    "text_reply_forwarded.json",
    "unknown_field_calls.json",
    "unknown_type.json",
    "unsupported.json",
    "value_errors.json",
    "video.json",
];

#[test]
fn every_fixture_s_normalized_events() {
    for name in FIXTURES {
        let snapshot = name.trim_end_matches(".json");
        insta::assert_json_snapshot!(snapshot, events_json(name));
    }
}

#[test]
fn every_webhook_fixture_is_snapshotted() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|name| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
}
