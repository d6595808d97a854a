//! `webhook-inspect`: verify a Meta webhook body's signature and print its normalized events,
//! one JSON object per line, in the contract of [`messaging_core::WebhookEvent`].
//!
//! ```text
//! webhook-inspect                                   # the bundled sample, signed and verified
//! webhook-inspect body.json --signature 'sha256=…'  # the app secret comes from $APP_SECRET
//! webhook-inspect - --no-verify < body.json         # parse without checking a signature
//! ```
//!
//! The app secret is read from an environment variable, never from the command line, where
//! other users of the machine could see it in the process list.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use messaging_core::{PlatformKind, WebhookEvent};
use metabiz_webhook_verify::{AppSecret, SignatureVerifier};

/// The sample batch printed when no file is given.
const SAMPLE_BODY: &[u8] = include_bytes!("../samples/whatsapp.json");

/// The secret the bundled sample is signed with, so the whole path runs without a Meta app.
const SAMPLE_SECRET: &str = "webhook-inspect-demo-secret";

#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The raw webhook body, exactly as received; `-` reads standard input. Without it the
    /// bundled WhatsApp sample is used.
    file: Option<PathBuf>,

    /// The `X-Hub-Signature-256` header value that came with the body.
    #[arg(long)]
    signature: Option<String>,

    /// The environment variable holding the app secret (rotation: several secrets separated
    /// by commas).
    #[arg(long, default_value = "APP_SECRET")]
    app_secret_env: String,

    /// Parse without checking a signature.
    #[arg(long, conflicts_with = "signature")]
    no_verify: bool,

    /// Pretty-print each event instead of one per line.
    #[arg(long)]
    pretty: bool,
}

/// Why an inspection failed; each maps to its own exit code.
#[derive(Debug, thiserror::Error)]
enum InspectError {
    #[error("{0}")]
    Usage(String),
    #[error("could not read the body")]
    Io(#[from] io::Error),
    #[error("signature check failed")]
    Signature(#[source] metabiz_webhook_verify::Error),
    #[error("the body is not a webhook this tool understands")]
    Payload(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl InspectError {
    fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) | Self::Io(_) => 1,
            Self::Signature(_) => 2,
            Self::Payload(_) => 3,
        }
    }
}

/// How the body's signature is to be checked.
enum Check<'a> {
    /// Verify `header` with these secrets.
    Signature {
        header: &'a str,
        secrets: &'a [AppSecret],
    },
    /// Trust the body as it is.
    Skip,
}

/// Which platform sent a body, from its top-level `object`.
fn detect_platform(body: &[u8]) -> Result<PlatformKind, InspectError> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        object: Option<String>,
    }
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|e| InspectError::Payload(Box::new(e)))?;
    match envelope.object.as_deref() {
        Some("whatsapp_business_account") => Ok(PlatformKind::WhatsApp),
        Some("page") => Ok(PlatformKind::Messenger),
        Some("instagram") => Ok(PlatformKind::Instagram),
        Some(other) => Err(InspectError::Payload(
            format!("unknown webhook object {other:?}").into(),
        )),
        None => Err(InspectError::Payload(
            "the body has no string `object` field".into(),
        )),
    }
}

/// Verifies `body` as `check` says, then normalizes it.
fn inspect(body: &[u8], check: &Check<'_>) -> Result<Vec<WebhookEvent>, InspectError> {
    if let Check::Signature { header, secrets } = check {
        SignatureVerifier::from_secrets(secrets.iter())
            .verify(Some(header.as_bytes()), None, body)
            .map_err(InspectError::Signature)?;
    }
    match detect_platform(body)? {
        PlatformKind::WhatsApp => metabiz_whatsapp::webhook::parse_events(body)
            .map_err(|e| InspectError::Payload(Box::new(e))),
        other => Err(InspectError::Payload(
            format!("normalizing {other} webhooks is not available in this build yet").into(),
        )),
    }
}

fn secrets_from_env(var: &str) -> Result<Vec<AppSecret>, InspectError> {
    let value = std::env::var(var).map_err(|_| {
        InspectError::Usage(format!(
            "--signature needs the app secret in the environment variable {var}"
        ))
    })?;
    let secrets: Vec<AppSecret> = value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(AppSecret::new)
        .collect();
    if secrets.is_empty() {
        return Err(InspectError::Usage(format!("{var} is empty")));
    }
    Ok(secrets)
}

fn read_body(file: &PathBuf) -> io::Result<Vec<u8>> {
    if file.as_os_str() == "-" {
        let mut body = Vec::new();
        io::stdin().lock().read_to_end(&mut body)?;
        Ok(body)
    } else {
        std::fs::read(file)
    }
}

fn run(args: &Args) -> Result<(), InspectError> {
    let events = match &args.file {
        None => {
            let secrets = [AppSecret::new(SAMPLE_SECRET)];
            let header = metabiz_webhook_verify::test_util::sign_body(&secrets[0], SAMPLE_BODY);
            eprintln!("webhook-inspect: the bundled WhatsApp sample, signed with a demo secret");
            let events = inspect(
                SAMPLE_BODY,
                &Check::Signature {
                    header: &header,
                    secrets: &secrets,
                },
            )?;
            eprintln!("webhook-inspect: signature ok");
            events
        }
        Some(file) => {
            let body = read_body(file)?;
            match (&args.signature, args.no_verify) {
                (Some(header), _) => {
                    let secrets = secrets_from_env(&args.app_secret_env)?;
                    let events = inspect(
                        &body,
                        &Check::Signature {
                            header,
                            secrets: &secrets,
                        },
                    )?;
                    eprintln!("webhook-inspect: signature ok");
                    events
                }
                (None, true) => inspect(&body, &Check::Skip)?,
                (None, false) => {
                    return Err(InspectError::Usage(
                        "give --signature (and the app secret in the environment) or --no-verify"
                            .to_owned(),
                    ));
                }
            }
        }
    };
    let mut out = io::stdout().lock();
    for event in &events {
        let line = if args.pretty {
            serde_json::to_string_pretty(event)
        } else {
            serde_json::to_string(event)
        }
        .map_err(|e| InspectError::Payload(Box::new(e)))?;
        writeln!(out, "{line}")?;
    }
    eprintln!("webhook-inspect: {} events", events.len());
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let mut message = format!("webhook-inspect: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            eprintln!("{message}");
            ExitCode::from(error.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use messaging_core::EventKind;

    fn sample_check(header: &str, secrets: &[AppSecret]) -> Vec<WebhookEvent> {
        inspect(SAMPLE_BODY, &Check::Signature { header, secrets }).expect("the sample inspects")
    }

    #[test]
    fn the_bundled_sample_verifies_and_normalizes_every_item() {
        let secrets = [AppSecret::new(SAMPLE_SECRET)];
        let header = metabiz_webhook_verify::test_util::sign_body(&secrets[0], SAMPLE_BODY);
        let events = sample_check(&header, &secrets);
        let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
        assert!(kinds.contains(&EventKind::Message));
        assert!(kinds.contains(&EventKind::Reaction));
        assert!(kinds.contains(&EventKind::Status));
        assert!(kinds.contains(&EventKind::Other));
        assert!(events.iter().all(|e| e.platform == PlatformKind::WhatsApp));
    }

    #[test]
    fn a_body_signed_with_another_secret_is_refused_before_parsing() {
        let header = metabiz_webhook_verify::test_util::sign_body(
            &AppSecret::new("someone-else"),
            SAMPLE_BODY,
        );
        let secrets = [AppSecret::new(SAMPLE_SECRET)];
        let error = inspect(
            SAMPLE_BODY,
            &Check::Signature {
                header: &header,
                secrets: &secrets,
            },
        )
        .unwrap_err();
        assert!(matches!(error, InspectError::Signature(_)));
        assert_eq!(error.exit_code(), 2);
    }

    #[test]
    fn a_foreign_object_is_a_payload_error() {
        let error = inspect(br#"{"object":"user","entry":[]}"#, &Check::Skip).unwrap_err();
        assert!(matches!(error, InspectError::Payload(_)));
        assert!(error.to_string().contains("not a webhook"));
    }

    #[test]
    fn secrets_rotate_from_a_comma_separated_variable() {
        let header = metabiz_webhook_verify::test_util::sign_body(
            &AppSecret::new("new-secret"),
            SAMPLE_BODY,
        );
        let secrets = [AppSecret::new("old-secret"), AppSecret::new("new-secret")];
        assert!(!sample_check(&header, &secrets).is_empty());
    }
}
