//! Snapshots of the normalized output of every fixture, the JSON contract as a whole: a change
//! to any event of any fixture shows up in review as a diff of `snapshots/*.snap`.

use super::support::events_json;

const FIXTURES: [&str; 21] = [
    "batch.json",
    "changes.json",
    "deleted.json",
    "drifted.json",
    "echo.json",
    "escaped_text.json",
    "handover.json",
    "media.json",
    "postback.json",
    "reactions.json",
    "read.json",
    "referral.json",
    "reply_to.json",
    "shares.json",
    "standby.json",
    "story_mention.json",
    "story_reply.json",
    "text.json",
    "unknown_attachment.json",
    "unknown_item.json",
    "unsupported.json",
];

#[test]
fn every_fixture_s_normalized_events() {
    for name in FIXTURES {
        let snapshot = name.trim_end_matches(".json");
        insta::assert_json_snapshot!(snapshot, events_json(name));
    }
}

#[test]
fn every_fixture_but_the_wrong_object_is_snapshotted() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "wrong_object.json")
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|name| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
}
