//! `webhook-inspect`: check a Meta webhook body's signature and print its normalized events,
//! one JSON object per line, in the contract of [`messaging_core::WebhookEvent`].
//!
//! ```text
//! webhook-inspect --sample                                   # the bundled sample, signed and verified
//! webhook-inspect --platform whatsapp body.json              # parse without checking a signature
//! webhook-inspect samples/messenger.json                     # the platform from the body's `object`
//! APP_SECRET=… webhook-inspect body.json --signature 'sha256=…'
//! curl … | webhook-inspect -                                 # the body from standard input
//! ```
//!
//! Everything is decided before anything is printed: on invalid input (not JSON, not a
//! webhook, another platform's webhook, a bad signature) no event is printed, one line on
//! standard error says why, and the exit status is 2.
//!
//! The logic lives in [`run`], which takes the arguments, the environment and the three
//! standard streams as parameters, so the tests drive it without spawning a process.

use std::borrow::Cow;
use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use messaging_core::WebhookEvent;
use metabiz_webhook_verify::test_util::sign_body;
use metabiz_webhook_verify::{AppSecret, SignatureVerifier};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// The WhatsApp batch `--sample` inspects.
const SAMPLE_BODY: &[u8] = include_bytes!("../samples/whatsapp.json");

/// The secret `--sample` signs the bundled body with, so that the whole path, signature check
/// included, runs without a Meta app.
const SAMPLE_SECRET: &str = "webhook-inspect-demo-secret";

/// The environment variable that may hold the app secret(s).
const APP_SECRET_VAR: &str = "APP_SECRET";

/// Bodies larger than this are refused: Meta's largest, WhatsApp's, reach about 3 MB.
const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Reasons are cut to this many characters, so that a huge value quoted by a parser error
/// still makes a readable line.
const MAX_REASON_CHARS: usize = 400;

/// Exit status: the events were printed.
const EXIT_OK: u8 = 0;
/// Exit status: the events could not be written to standard output.
const EXIT_OUTPUT_FAILED: u8 = 1;
/// Exit status: invalid input, a usage error, or a platform this build cannot normalize.
const EXIT_INVALID: u8 = 2;

const AFTER_HELP: &str = "\
The app secret can also come from the APP_SECRET environment variable (comma-separated for
rotation). Prefer it to --app-secret: unlike a command-line argument, it does not show in the
process list.

Without --signature the body is parsed without being verified, and standard error says so.

Each event is printed as one line of JSON, in the order of the body. On invalid input nothing
is printed to standard output and one line on standard error says why.

Exit status: 0 the events were printed; 2 invalid input (not JSON, not a webhook, another
platform's webhook, a bad signature) or a usage error; 1 the events could not be written.

Platforms: WhatsApp (\"object\": \"whatsapp_business_account\"), Messenger (\"object\":
\"page\") and Instagram (\"object\": \"instagram\") are normalized.

Examples:
  webhook-inspect --sample
  webhook-inspect --platform whatsapp body.json
  webhook-inspect --platform messenger page-body.json
  webhook-inspect --platform instagram instagram-body.json
  APP_SECRET=... webhook-inspect body.json --signature 'sha256=...'";

/// Checks a Meta webhook body's signature and prints its normalized events as JSON lines.
#[derive(Parser)]
#[command(version, about, after_help = AFTER_HELP)]
struct Args {
    /// The raw webhook body, exactly as received; `-` or nothing reads standard input.
    #[arg(conflicts_with = "sample")]
    file: Option<PathBuf>,

    /// The platform the body comes from. Detected from the body's `object` when omitted;
    /// when given, the body's `object` must match it.
    #[arg(long, value_enum)]
    platform: Option<Platform>,

    /// The `X-Hub-Signature-256` header that came with the body (`sha256=` and 64 hex digits),
    /// checked before anything is parsed.
    #[arg(long, value_name = "HEADER", conflicts_with = "sample")]
    signature: Option<String>,

    /// The app secret to check --signature with; several, comma-separated, while rotating.
    /// Prefer the `APP_SECRET` environment variable, which the process list does not show.
    #[arg(
        long,
        value_name = "SECRETS",
        requires = "signature",
        value_parser = parse_secrets,
    )]
    app_secret: Option<Secrets>,

    /// Inspect the bundled WhatsApp sample, signed with a built-in demo secret and verified.
    #[arg(long)]
    sample: bool,
}

/// A platform whose webhooks Meta sends, named as on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Platform {
    /// WhatsApp Cloud API (`"object": "whatsapp_business_account"`).
    #[value(name = "whatsapp")]
    WhatsApp,
    /// Messenger Platform (`"object": "page"`).
    Messenger,
    /// Instagram Messaging (`"object": "instagram"`).
    Instagram,
}

impl Platform {
    const ALL: [Self; 3] = [Self::WhatsApp, Self::Messenger, Self::Instagram];

    /// The top-level `object` of this platform's webhooks.
    fn object(self) -> &'static str {
        match self {
            Self::WhatsApp => metabiz_whatsapp::webhook::OBJECT,
            Self::Messenger => metabiz_messenger::webhook::OBJECT,
            Self::Instagram => "instagram",
        }
    }

    fn from_object(object: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|platform| platform.object() == object)
    }

    fn name(self) -> &'static str {
        match self {
            Self::WhatsApp => "whatsapp",
            Self::Messenger => "messenger",
            Self::Instagram => "instagram",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One or more app secrets, tried in turn; `AppSecret` keeps each out of `Debug` output.
#[derive(Clone)]
struct Secrets(Vec<AppSecret>);

/// Splits a comma-separated list of app secrets; empty items are skipped.
fn parse_secrets(list: &str) -> Result<Secrets, String> {
    let secrets: Vec<AppSecret> = list
        .split(',')
        .map(str::trim)
        .filter(|secret| !secret.is_empty())
        .map(AppSecret::new)
        .collect();
    if secrets.is_empty() {
        return Err("the list holds no app secret".to_owned());
    }
    Ok(Secrets(secrets))
}

/// What [`run`] takes from the process besides its arguments and streams.
struct Environment {
    /// The value of `APP_SECRET`, when set.
    app_secret: Option<String>,
    /// Whether standard input is a terminal, where a user may be waiting for a prompt.
    stdin_is_terminal: bool,
}

impl Environment {
    fn of_process() -> Self {
        Self {
            app_secret: std::env::var(APP_SECRET_VAR).ok(),
            stdin_is_terminal: io::stdin().is_terminal(),
        }
    }
}

/// A signature to check: the header value and the secrets that may have produced it.
struct Check {
    header: String,
    secrets: Secrets,
}

/// Runs the tool and returns its exit status.
///
/// The events go to `stdout` only once the whole body is known to be good; every failure is
/// one line on `stderr` (clap's own usage messages excepted).
fn run<I>(
    args: I,
    env: &Environment,
    stdin: impl Read,
    mut stdout: impl Write,
    mut stderr: impl Write,
) -> u8
where
    I: IntoIterator,
    I::Item: Into<OsString> + Clone,
{
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(err) => {
            // `--help` and `--version` are "errors" that go to stdout with status 0.
            let out: &mut dyn Write = if err.use_stderr() {
                &mut stderr
            } else {
                &mut stdout
            };
            // Nothing useful can be done if the terminal is gone.
            let _ = write!(out, "{}", err.render());
            return u8::try_from(err.exit_code()).unwrap_or(EXIT_INVALID);
        }
    };

    let mut notes = Vec::new();
    let result = inspect(&args, env, stdin, &mut stderr, &mut notes).and_then(|events| {
        notes.push(format!("{} events", events.len()));
        to_json_lines(&events)
    });
    match result {
        Ok(lines) => {
            if let Err(err) = stdout.write_all(&lines).and_then(|()| stdout.flush()) {
                let _ = writeln!(
                    stderr,
                    "webhook-inspect: could not write the events: {}",
                    one_line(&err.to_string())
                );
                return EXIT_OUTPUT_FAILED;
            }
            for note in notes {
                let _ = writeln!(stderr, "webhook-inspect: {note}");
            }
            EXIT_OK
        }
        Err(reason) => {
            let _ = writeln!(stderr, "webhook-inspect: {}", one_line(&reason));
            EXIT_INVALID
        }
    }
}

/// Reads, verifies and normalizes the body; the error is the reason to print. `notes` gathers
/// what to say on standard error after a success.
fn inspect(
    args: &Args,
    env: &Environment,
    stdin: impl Read,
    stderr: &mut dyn Write,
    notes: &mut Vec<String>,
) -> Result<Vec<WebhookEvent>, String> {
    let (body, check) = if args.sample {
        let secret = AppSecret::new(SAMPLE_SECRET);
        let header = sign_body(&secret, SAMPLE_BODY);
        notes.push("the bundled WhatsApp sample, signed with the demo secret".to_owned());
        let check = Check {
            header,
            secrets: Secrets(vec![secret]),
        };
        (Cow::Borrowed(SAMPLE_BODY), Some(check))
    } else {
        // Usage errors come before reading, so nobody types a body only to be told off.
        let check = signature_check(args, env)?;
        if args.file.is_none() && env.stdin_is_terminal {
            let _ = writeln!(
                stderr,
                "webhook-inspect: reading the webhook body from standard input (end it with \
                 Ctrl-D); try --sample to see the bundled example"
            );
        }
        (Cow::Owned(read_body(args.file.as_deref(), stdin)?), check)
    };

    match check {
        Some(Check { header, secrets }) => {
            SignatureVerifier::from_secrets(secrets.0.iter())
                .verify(Some(header.as_bytes()), None, &body)
                .map_err(|err| format!("invalid input: {err}"))?;
            notes.push("signature ok".to_owned());
        }
        None => notes.push(
            "the signature was NOT verified (no --signature given): anyone could have sent \
             this body"
                .to_owned(),
        ),
    }

    match platform_of(&body, args.platform)? {
        Platform::WhatsApp => metabiz_whatsapp::webhook::parse_events(&body)
            .map_err(|err| format!("invalid input: {}", error_chain(&err))),
        Platform::Messenger => metabiz_messenger::webhook::parse_events(&body)
            .map_err(|err| format!("invalid input: {}", error_chain(&err))),
        Platform::Instagram => metabiz_instagram::webhook::parse_events(&body)
            .map_err(|err| format!("invalid input: {}", error_chain(&err))),
    }
}

/// The signature to check, if `--signature` was given, with the secrets from `--app-secret`
/// or else from `APP_SECRET`.
fn signature_check(args: &Args, env: &Environment) -> Result<Option<Check>, String> {
    let Some(header) = &args.signature else {
        return Ok(None);
    };
    let secrets = match (&args.app_secret, &env.app_secret) {
        (Some(secrets), _) => secrets.clone(),
        (None, Some(list)) => parse_secrets(list)
            .map_err(|_| format!("usage: {APP_SECRET_VAR} holds no app secret"))?,
        (None, None) => {
            return Err(format!(
                "usage: --signature needs the app secret: set {APP_SECRET_VAR} or pass \
                 --app-secret"
            ));
        }
    };
    Ok(Some(Check {
        header: header.clone(),
        secrets,
    }))
}

/// The raw body from `file`, or from `stdin` for `-` or no file.
fn read_body(file: Option<&Path>, stdin: impl Read) -> Result<Vec<u8>, String> {
    let (name, source): (Cow<'_, str>, Box<dyn Read + '_>) = match file {
        Some(path) if path.as_os_str() != "-" => {
            let name = path.to_string_lossy();
            let file = File::open(path).map_err(|err| format!("could not open {name}: {err}"))?;
            (name, Box::new(file))
        }
        _ => (Cow::Borrowed("standard input"), Box::new(stdin)),
    };
    let mut body = Vec::new();
    source
        .take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|err| format!("could not read {name}: {err}"))?;
    if u64::try_from(body.len()).is_ok_and(|len| len > MAX_BODY_BYTES) {
        return Err(format!(
            "invalid input: the body is larger than {} MiB",
            MAX_BODY_BYTES >> 20
        ));
    }
    Ok(body)
}

/// The platform of the body, from its `object`, checked against the one asked for.
fn platform_of(body: &[u8], wanted: Option<Platform>) -> Result<Platform, String> {
    let object = match serde_json::from_slice::<ObjectField>(body) {
        Ok(ObjectField(Some(object))) => object,
        Ok(ObjectField(None)) => {
            return Err("invalid input: the body has no \"object\" string".to_owned());
        }
        Err(err) if err.is_data() => {
            return Err(format!(
                "invalid input: the body is not a webhook object: {}",
                error_chain(&err)
            ));
        }
        Err(err) => {
            return Err(format!("invalid input: the body is not JSON: {err}"));
        }
    };
    match (Platform::from_object(&object), wanted) {
        (Some(found), None) => Ok(found),
        (Some(found), Some(wanted)) if found == wanted => Ok(found),
        (found, Some(wanted)) => Err(format!(
            "invalid input: the body's \"object\" is {}{}, not {wanted}'s {:?}",
            quoted(&object),
            found.map_or_else(String::new, |found| format!(" ({found})")),
            wanted.object(),
        )),
        (None, None) => Err(format!(
            "invalid input: unknown webhook \"object\" {}: expected {}",
            quoted(&object),
            Platform::ALL.map(Platform::object).join(", "),
        )),
    }
}

/// The top-level `object` of a JSON object, every other member skipped without being built
/// (an iterative scan: no depth of nesting can overflow the stack).
struct ObjectField(Option<String>);

impl<'de> Deserialize<'de> for ObjectField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;

        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = ObjectField;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ObjectField, A::Error> {
                let mut object = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key == "object" {
                        if object.is_some() {
                            return Err(de::Error::duplicate_field("object"));
                        }
                        object = Some(map.next_value::<Option<String>>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(ObjectField(object.flatten()))
            }
        }

        deserializer.deserialize_map(ObjectVisitor)
    }
}

/// The events as JSON lines, all keys of the contract present.
fn to_json_lines(events: &[WebhookEvent]) -> Result<Vec<u8>, String> {
    let mut lines = Vec::new();
    for event in events {
        serde_json::to_writer(&mut lines, event)
            .map_err(|err| format!("could not serialize an event: {err}"))?;
        lines.push(b'\n');
    }
    Ok(lines)
}

/// An error and its sources on one line, `a: b: c`.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A value from the body, quoted and escaped, shortened when long.
fn quoted(value: &str) -> String {
    const MAX_CHARS: usize = 60;
    match value.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{:?}…", value.get(..end).unwrap_or_default()),
        None => format!("{value:?}"),
    }
}

/// `text` as one line of bounded length: line breaks become spaces.
fn one_line(text: &str) -> String {
    let mut line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_REASON_CHARS)
        .collect();
    if text.chars().nth(MAX_REASON_CHARS).is_some() {
        line.push('…');
    }
    line
}

fn main() -> ExitCode {
    let status = run(
        std::env::args_os(),
        &Environment::of_process(),
        io::stdin().lock(),
        io::stdout().lock(),
        io::stderr().lock(),
    );
    ExitCode::from(status)
}

#[cfg(test)]
mod tests;
