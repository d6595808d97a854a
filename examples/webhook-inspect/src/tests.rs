//! [`run`] driven in-process: arguments, environment and streams are all supplied here.

use std::io::{self, Read, Write};

use metabiz_webhook_verify::AppSecret;
use metabiz_webhook_verify::test_util::sign_body;
use serde_json::Value;

use super::{Environment, MAX_BODY_BYTES, SAMPLE_BODY, run};

/// Every key of the event contract, in the order the contract lists them.
const CONTRACT_KEYS: [&str; 13] = [
    "platform",
    "kind",
    "account_id",
    "sender_id",
    "recipient_id",
    "message_id",
    "timestamp_ms",
    "text",
    "attachments",
    "reply_to",
    "status",
    "reaction",
    "raw",
];

/// Five megabytes, the size of the pathological bodies below.
const FIVE_MB: usize = 5 * 1024 * 1024;

struct Outcome {
    status: u8,
    stdout: String,
    stderr: String,
}

fn quiet() -> Environment {
    Environment {
        app_secret: None,
        stdin_is_terminal: false,
    }
}

fn inspect_with(args: &[&str], env: &Environment, stdin: impl Read) -> Outcome {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let command_line = std::iter::once("webhook-inspect").chain(args.iter().copied());
    let status = run(command_line, env, stdin, &mut stdout, &mut stderr);
    Outcome {
        status,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

fn inspect(args: &[&str], stdin: &[u8]) -> Outcome {
    inspect_with(args, &quiet(), stdin)
}

/// A failure as the contract puts it: status 2, no event, one line that gives the reason.
fn assert_refused(outcome: &Outcome, reason: &str) {
    assert_eq!(outcome.status, 2, "stderr: {}", outcome.stderr);
    assert_eq!(outcome.stdout, "", "no event may be printed");
    assert_eq!(
        outcome.stderr.matches('\n').count(),
        1,
        "one line: {:?}",
        outcome.stderr
    );
    assert!(outcome.stderr.ends_with('\n'));
    assert!(
        outcome.stderr.contains(reason),
        "{reason:?} not in {:?}",
        outcome.stderr
    );
}

fn events(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON event"))
        .collect()
}

/// A reader that fails the test if anything reads it.
struct MustNotRead;

impl Read for MustNotRead {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        panic!("standard input was read")
    }
}

#[test]
fn the_sample_is_verified_and_every_event_printed_in_order() {
    let outcome = inspect(&["--sample"], b"");
    assert_eq!(outcome.status, 0, "stderr: {}", outcome.stderr);
    let events = events(&outcome.stdout);
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    // The sample: text, image, button reply, reaction; sent, delivered, read; a
    // user_preferences change.
    assert_eq!(
        kinds,
        [
            "message", "message", "message", "reaction", "status", "status", "status", "other"
        ]
    );
    let statuses: Vec<&Value> = events[4..7].iter().map(|e| &e["status"]).collect();
    assert_eq!(statuses, ["sent", "delivered", "read"]);
    for event in &events {
        let keys: Vec<&str> = event
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), CONTRACT_KEYS.len(), "{event}");
        assert!(
            CONTRACT_KEYS.iter().all(|key| keys.contains(key)),
            "{event}"
        );
        assert_eq!(event["platform"], "whatsapp");
    }
    assert!(
        outcome.stderr.contains("signature ok"),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("8 events"), "{}", outcome.stderr);
}

#[test]
fn the_printed_lines_are_the_crates_normalized_events() {
    let expected: String = metabiz_whatsapp::webhook::parse_events(SAMPLE_BODY)
        .unwrap()
        .iter()
        .map(|event| serde_json::to_string(event).unwrap() + "\n")
        .collect();
    assert_eq!(inspect(&["--sample"], b"").stdout, expected);
}

#[test]
fn a_file_or_standard_input_is_parsed_unverified_and_the_tool_says_so() {
    let sample = inspect(&["--sample"], b"").stdout;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/whatsapp.json");
    for outcome in [
        inspect(&["--platform", "whatsapp", path], b""),
        inspect(&[path], b""),
        inspect(&["-"], SAMPLE_BODY),
        inspect(&[], SAMPLE_BODY),
    ] {
        assert_eq!(outcome.status, 0, "stderr: {}", outcome.stderr);
        assert_eq!(outcome.stdout, sample);
        assert!(
            outcome.stderr.contains("NOT verified"),
            "{}",
            outcome.stderr
        );
    }
}

#[test]
fn a_signature_is_checked_with_the_secret_from_the_flag_or_the_environment() {
    let header = sign_body(&AppSecret::new("new-secret"), SAMPLE_BODY);
    let from_flag = inspect(
        &["--app-secret", "new-secret", "--signature", &header, "-"],
        SAMPLE_BODY,
    );
    let env = Environment {
        app_secret: Some("new-secret".to_owned()),
        stdin_is_terminal: false,
    };
    let from_env = inspect_with(&["--signature", &header, "-"], &env, SAMPLE_BODY);
    for outcome in [from_flag, from_env] {
        assert_eq!(outcome.status, 0, "stderr: {}", outcome.stderr);
        assert_eq!(events(&outcome.stdout).len(), 8);
        assert!(outcome.stderr.contains("signature ok"));
        assert!(!outcome.stderr.contains("NOT verified"));
    }
}

#[test]
fn secrets_rotate_through_a_comma_separated_list() {
    let header = sign_body(&AppSecret::new("new-secret"), SAMPLE_BODY);
    let outcome = inspect(
        &[
            "--app-secret",
            "old-secret, new-secret",
            "--signature",
            &header,
            "-",
        ],
        SAMPLE_BODY,
    );
    assert_eq!(outcome.status, 0, "stderr: {}", outcome.stderr);
    let env = Environment {
        app_secret: Some("old-secret,,new-secret".to_owned()),
        stdin_is_terminal: false,
    };
    let outcome = inspect_with(&["--signature", &header, "-"], &env, SAMPLE_BODY);
    assert_eq!(outcome.status, 0, "stderr: {}", outcome.stderr);
}

#[test]
fn a_bad_signature_prints_nothing_and_never_shows_the_secret() {
    let header = sign_body(&AppSecret::new("someone-else"), SAMPLE_BODY);
    let outcome = inspect(
        &["--app-secret", "s3cr3t-value", "--signature", &header, "-"],
        SAMPLE_BODY,
    );
    assert_refused(
        &outcome,
        "invalid input: webhook signature does not match the body",
    );
    assert!(!outcome.stderr.contains("s3cr3t-value"));

    // A body changed after signing.
    let mut tampered = SAMPLE_BODY.to_vec();
    tampered[20] ^= 1;
    let header = sign_body(&AppSecret::new("s3cr3t-value"), SAMPLE_BODY);
    let outcome = inspect(
        &["--app-secret", "s3cr3t-value", "--signature", &header, "-"],
        &tampered,
    );
    assert_refused(&outcome, "does not match");

    let outcome = inspect(
        &[
            "--app-secret",
            "s3cr3t-value",
            "--signature",
            "sha256=zz",
            "-",
        ],
        SAMPLE_BODY,
    );
    assert_refused(&outcome, "malformed");
    assert!(!outcome.stderr.contains("s3cr3t-value"));
}

#[test]
fn a_signature_without_a_secret_is_a_usage_error_before_any_reading() {
    let outcome = inspect_with(&["--signature", "sha256=00"], &quiet(), MustNotRead);
    assert_refused(&outcome, "usage: --signature needs the app secret");
    assert!(outcome.stderr.contains("APP_SECRET"));

    let env = Environment {
        app_secret: Some(" , ".to_owned()),
        stdin_is_terminal: false,
    };
    let outcome = inspect_with(&["--signature", "sha256=00"], &env, MustNotRead);
    assert_refused(&outcome, "APP_SECRET holds no app secret");
}

#[test]
fn clap_rejects_contradictory_arguments_with_status_2() {
    for args in [
        &["--app-secret", "s"][..],
        &["--sample", "body.json"],
        &["--sample", "--signature", "sha256=00"],
        &["--platform", "telegram", "-"],
        &["--app-secret", ",", "--signature", "sha256=00"],
        &["--no-such-flag"],
    ] {
        let outcome = inspect_with(args, &quiet(), MustNotRead);
        assert_eq!(outcome.status, 2, "{args:?}");
        assert_eq!(outcome.stdout, "", "{args:?}");
        assert!(
            outcome.stderr.starts_with("error:"),
            "{args:?}: {}",
            outcome.stderr
        );
    }
}

#[test]
fn help_says_where_the_secret_can_come_from() {
    let outcome = inspect_with(&["--help"], &quiet(), MustNotRead);
    assert_eq!(outcome.status, 0);
    assert!(outcome.stdout.contains("APP_SECRET"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("process list"));
    assert!(outcome.stdout.contains("--sample"));
    assert_eq!(outcome.stderr, "");
}

#[test]
fn invalid_bodies_are_refused_with_one_line() {
    let truncated = &SAMPLE_BODY[..SAMPLE_BODY.len() / 2];
    let cases: [(&[u8], &str); 9] = [
        (b"not json", "invalid input: the body is not JSON"),
        (b"", "invalid input: the body is not JSON"),
        (truncated, "invalid input: the body is not JSON"),
        (b"[1, 2]", "invalid input: the body is not a webhook object"),
        (
            br#"{"object": 7}"#,
            "invalid input: the body is not a webhook object",
        ),
        (
            br#"{"entry": []}"#,
            "invalid input: the body has no \"object\" string",
        ),
        (
            br#"{"object": "user", "entry": []}"#,
            "unknown webhook \"object\" \"user\"",
        ),
        (
            br#"{"object": "whatsapp_business_account", "entry": {}}"#,
            "invalid input: webhook body does not match the WhatsApp webhook format",
        ),
        (
            br#"{"object": "whatsapp_business_account", "entry": [{"id": 5}]}"#,
            "does not match the WhatsApp webhook format",
        ),
    ];
    for (body, reason) in cases {
        assert_refused(&inspect(&["-"], body), reason);
    }
}

#[test]
fn the_platform_given_must_be_the_bodys() {
    let page = br#"{"object": "page", "entry": []}"#;
    assert_refused(
        &inspect(&["--platform", "whatsapp", "-"], page),
        r#"the body's "object" is "page" (messenger), not whatsapp's "whatsapp_business_account""#,
    );
    assert_refused(
        &inspect(&["--platform", "instagram", "--sample"], b""),
        r#"not instagram's "instagram""#,
    );
    assert_refused(
        &inspect(&["--platform", "messenger", "-"], br#"{"object": "user"}"#),
        r#"the body's "object" is "user", not messenger's "page""#,
    );
}

/// The Instagram sample: a batch of messages, a story mention, a reaction and a read.
const INSTAGRAM_SAMPLE: &[u8] = include_bytes!("../samples/instagram.json");

#[test]
fn an_instagram_body_prints_its_events_in_order() {
    let expected: String = metabiz_instagram::webhook::parse_events(INSTAGRAM_SAMPLE)
        .unwrap()
        .iter()
        .map(|event| serde_json::to_string(event).unwrap() + "\n")
        .collect();
    assert!(!expected.is_empty());
    for args in [&["-"][..], &["--platform", "instagram", "-"]] {
        let outcome = inspect(args, INSTAGRAM_SAMPLE);
        assert_eq!(outcome.status, 0, "{}", outcome.stderr);
        assert_eq!(outcome.stdout, expected);
        assert!(
            outcome
                .stdout
                .lines()
                .all(|line| line.contains(r#""platform":"instagram""#))
        );
    }
    // An id that must be a string and is not: refused, nothing printed.
    assert_refused(
        &inspect(
            &["-"],
            br#"{"object": "instagram", "entry": [{"id": 17841400000000000, "messaging": []}]}"#,
        ),
        "invalid input",
    );
}

/// The Messenger sample: a text, an image, an echo of the page's reply, a delivery of two
/// `mid`s, a read, a reaction, a postback and a referral.
const MESSENGER_SAMPLE: &[u8] = include_bytes!("../samples/messenger.json");

#[test]
fn a_messenger_body_prints_its_events_in_order() {
    let expected: String = metabiz_messenger::webhook::parse_events(MESSENGER_SAMPLE)
        .unwrap()
        .iter()
        .map(|event| serde_json::to_string(event).unwrap() + "\n")
        .collect();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/messenger.json");
    for outcome in [
        inspect(&["-"], MESSENGER_SAMPLE),
        inspect(&["--platform", "messenger", "-"], MESSENGER_SAMPLE),
        inspect(&[path], b""),
    ] {
        assert_eq!(outcome.status, 0, "stderr: {}", outcome.stderr);
        assert_eq!(outcome.stdout, expected);
        assert!(outcome.stderr.contains("9 events"), "{}", outcome.stderr);
        assert!(
            outcome.stderr.contains("NOT verified"),
            "{}",
            outcome.stderr
        );
    }

    let events = events(&expected);
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "message", "message", "echo", "delivery", "delivery", "read", "reaction", "postback",
            "other"
        ]
    );
    for event in &events {
        assert_eq!(
            event.as_object().unwrap().len(),
            CONTRACT_KEYS.len(),
            "{event}"
        );
        assert!(
            CONTRACT_KEYS.iter().all(|key| event.get(key).is_some()),
            "{event}"
        );
        assert_eq!(event["platform"], "messenger");
        assert_eq!(event["account_id"], "104518592379221");
    }
    assert_eq!(
        events[0]["text"],
        "Hi! Is the blue mug back in stock? Gr\u{fc}\u{df}e aus K\u{f6}ln"
    );
    assert_eq!(events[1]["attachments"][0]["type"], "image");
    assert_eq!(
        events[2]["sender_id"], "104518592379221",
        "an echo is the page's"
    );
    assert_ne!(events[3]["message_id"], events[4]["message_id"]);
    assert_eq!(events[8]["raw"]["referral"]["ref"], "summer-sale");
}

#[test]
fn a_signed_messenger_body_is_verified() {
    let header = sign_body(&AppSecret::new("page-app-secret"), MESSENGER_SAMPLE);
    let outcome = inspect(
        &[
            "--app-secret",
            "page-app-secret",
            "--signature",
            &header,
            "-",
        ],
        MESSENGER_SAMPLE,
    );
    assert_eq!(outcome.status, 0, "stderr: {}", outcome.stderr);
    assert_eq!(events(&outcome.stdout).len(), 9);
    assert!(
        outcome.stderr.contains("signature ok"),
        "{}",
        outcome.stderr
    );
    assert!(!outcome.stderr.contains("NOT verified"));

    // One byte changed after signing.
    let mut tampered = MESSENGER_SAMPLE.to_vec();
    let at = tampered.windows(4).position(|w| w == b"blue").unwrap();
    tampered[at] = b'B';
    let outcome = inspect(
        &[
            "--app-secret",
            "page-app-secret",
            "--signature",
            &header,
            "-",
        ],
        &tampered,
    );
    assert_refused(&outcome, "does not match the body");
}

#[test]
fn bad_messenger_bodies_are_refused_with_one_line() {
    let truncated = &MESSENGER_SAMPLE[..MESSENGER_SAMPLE.len() / 2];
    let cases: [(&[&str], &[u8], &str); 7] = [
        (&["-"], truncated, "invalid input: the body is not JSON"),
        (
            &["--platform", "messenger", "-"],
            b"{\"object\":\"page\",",
            "invalid input: the body is not JSON",
        ),
        (
            &["--platform", "messenger", "-"],
            SAMPLE_BODY,
            r#"the body's "object" is "whatsapp_business_account" (whatsapp), not messenger's "page""#,
        ),
        (
            &["--platform", "whatsapp", "-"],
            MESSENGER_SAMPLE,
            r#"the body's "object" is "page" (messenger), not whatsapp's"#,
        ),
        (
            &["-"],
            br#"{"object":"page","entry":{}}"#,
            "invalid input: webhook body does not match the Messenger Platform webhook format",
        ),
        (
            &["-"],
            br#"{"object":"page","entry":[{"id":104518592379221}]}"#,
            "does not match the Messenger Platform webhook format",
        ),
        (
            &["-"],
            br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":6984522158234812},"read":{"watermark":1}}]}]}"#,
            "`sender.id` is not a string",
        ),
    ];
    for (args, body, reason) in cases {
        assert_refused(&inspect(args, body), reason);
    }
}

#[test]
fn a_reshaped_messenger_item_is_printed_as_other() {
    let body = br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"take_thread_control":{"previous_owner_app_id":{"id":"3"}}},{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":2,"message":{"mid":"m_1","text":"hi"}}]}]}"#;
    let outcome = inspect(&["-"], body);
    assert_eq!(outcome.status, 0, "stderr: {}", outcome.stderr);
    let events = events(&outcome.stdout);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["kind"], "other");
    assert_eq!(
        events[0]["raw"]["take_thread_control"]["previous_owner_app_id"]["id"],
        "3"
    );
    assert_eq!(events[1]["text"], "hi");
}

#[test]
fn hostile_messenger_bodies_never_panic() {
    // Unclosed nesting where an item should be.
    let mut unclosed = br#"{"object":"page","entry":[{"id":"1","messaging":["#.to_vec();
    unclosed.resize(FIVE_MB, b'[');
    // Closed nesting in an item kept as JSON: too deep for a tree.
    let depth = FIVE_MB / 2;
    let mut in_item = br#"{"object":"page","entry":[{"id":"1","messaging":[{"game_play":"#.to_vec();
    in_item.extend(std::iter::repeat_n(b'[', depth));
    in_item.extend(std::iter::repeat_n(b']', depth));
    in_item.extend_from_slice(b"}]}]}");
    for body in [&unclosed, &in_item] {
        for args in [&["-"][..], &["--platform", "messenger", "-"]] {
            assert_refused(&inspect(args, body), "invalid input");
        }
    }

    // The same nesting under a key a message does not read is skipped: the message prints.
    let mut skipped = br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"message":{"mid":"m_1","text":"hi","future":"#.to_vec();
    skipped.extend(std::iter::repeat_n(b'[', depth));
    skipped.extend(std::iter::repeat_n(b']', depth));
    skipped.extend_from_slice(b"}}]}]}");
    let outcome = inspect(&["-"], &skipped);
    assert_eq!(outcome.status, 0, "stderr: {}", outcome.stderr);
    assert_eq!(events(&outcome.stdout).len(), 1);
}

#[test]
fn five_megabytes_of_nesting_are_refused_without_a_panic() {
    let brackets = vec![b'['; FIVE_MB];
    let objects = br#"{"a":"#.repeat(FIVE_MB / 5);
    // Unclosed nesting where the WhatsApp parser expects an array of contacts.
    let mut in_contacts = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"contacts":"#.to_vec();
    in_contacts.resize(FIVE_MB, b'[');
    // Closed, well-formed nesting in the value of a field kept as raw JSON: it reaches a full
    // JSON parse, which must stop at its depth limit rather than overflow the stack.
    let depth = FIVE_MB / 2;
    let mut in_value = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"calls","value":"#.to_vec();
    in_value.extend(std::iter::repeat_n(b'[', depth));
    in_value.extend(std::iter::repeat_n(b']', depth));
    in_value.extend_from_slice(b"}]}]}");

    for body in [&brackets, &objects, &in_contacts, &in_value] {
        for args in [&["-"][..], &["--platform", "whatsapp", "-"]] {
            assert_refused(&inspect(args, body), "invalid input");
        }
    }
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let limit = usize::try_from(MAX_BODY_BYTES).unwrap();
    let outcome = inspect_with(&["-"], &quiet(), io::repeat(b' ').take(MAX_BODY_BYTES + 1));
    assert_refused(&outcome, "larger than 16 MiB");
    // Exactly at the limit it is read, then found not to be JSON.
    let outcome = inspect_with(&["-"], &quiet(), io::repeat(b' ').take(MAX_BODY_BYTES));
    assert_refused(&outcome, "not JSON");
    assert!(limit > 3_000_000, "room for Meta's largest bodies");
}

#[test]
fn a_missing_file_is_refused() {
    let outcome = inspect(&["no/such/body.json"], b"");
    assert_refused(&outcome, "could not open no/such/body.json");
}

#[test]
fn a_terminal_on_standard_input_gets_a_hint() {
    let terminal = Environment {
        app_secret: None,
        stdin_is_terminal: true,
    };
    let outcome = inspect_with(&[], &terminal, SAMPLE_BODY);
    assert_eq!(outcome.status, 0);
    assert!(
        outcome
            .stderr
            .contains("reading the webhook body from standard input"),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("--sample"));

    // A file was named, or the sample asked for: nothing is read from the terminal.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/whatsapp.json");
    for args in [&[path][..], &["--sample"]] {
        let outcome = inspect_with(args, &terminal, MustNotRead);
        assert_eq!(outcome.status, 0);
        assert!(
            !outcome.stderr.contains("standard input"),
            "{}",
            outcome.stderr
        );
    }
}

#[test]
fn an_output_that_cannot_be_written_is_status_1() {
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    let mut stderr = Vec::new();
    let status = run(
        ["webhook-inspect", "--sample"],
        &quiet(),
        MustNotRead,
        Closed,
        &mut stderr,
    );
    assert_eq!(status, 1);
    let stderr = String::from_utf8(stderr).unwrap();
    assert!(stderr.contains("could not write the events"), "{stderr}");
}
