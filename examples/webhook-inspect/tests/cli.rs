//! The built binary, spawned as a user runs it: exit statuses and what reaches each stream.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn webhook_inspect(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webhook-inspect"))
        .args(args)
        .env_remove("APP_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("piped stdin");
    // The tool may stop reading early (a usage error); a closed pipe is not a failure here.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().expect("the binary ends")
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8 output")
}

#[test]
fn the_sample_prints_json_lines_and_exits_0() {
    let output = webhook_inspect(&["--sample"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let lines: Vec<&str> = text(&output.stdout).lines().collect();
    assert_eq!(lines.len(), 8);
    for line in lines {
        let event: serde_json::Value = serde_json::from_str(line).expect("a JSON event");
        assert_eq!(event["platform"], "whatsapp");
    }
    assert!(text(&output.stderr).contains("signature ok"));
}

#[test]
fn a_messenger_body_prints_json_lines_and_exits_0() {
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/messenger.json"
    ))
    .expect("the Messenger sample");
    let output = webhook_inspect(&["--platform", "messenger"], &body);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let lines: Vec<&str> = text(&output.stdout).lines().collect();
    assert_eq!(lines.len(), 9);
    for line in lines {
        let event: serde_json::Value = serde_json::from_str(line).expect("a JSON event");
        assert_eq!(event["platform"], "messenger");
    }
}

#[test]
fn invalid_input_exits_2_with_one_line_on_stderr_and_nothing_on_stdout() {
    for (args, stdin) in [
        (&["-"][..], &b"{not json"[..]),
        (
            &["--platform", "whatsapp"],
            br#"{"object":"page","entry":[]}"#,
        ),
        (
            &[],
            br#"{"object":"instagram","entry":[{"id":17841400000000000}]}"#,
        ),
        (
            &["--platform", "messenger"],
            br#"{"object":"page","entry":{}}"#,
        ),
        (&[], br#"{"object":"page","entry":["#),
        (
            &["--app-secret", "s3cr3t", "--signature", "sha256=00"],
            br#"{"object":"whatsapp_business_account","entry":[]}"#,
        ),
    ] {
        let output = webhook_inspect(args, stdin);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = text(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr:?}");
        assert!(stderr.starts_with("webhook-inspect: "), "{stderr:?}");
        assert!(!stderr.contains("s3cr3t"));
    }
}

#[test]
fn five_megabytes_of_brackets_exit_2_without_a_panic() {
    let output = webhook_inspect(&[], &vec![b'['; 5 * 1024 * 1024]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn usage_errors_exit_2() {
    let output = webhook_inspect(&["--app-secret", "s"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let output = webhook_inspect(&["--signature", "sha256=00"], b"{}");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stderr).lines().count(), 1);
}
