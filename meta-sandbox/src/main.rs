//! `meta-sandbox`: the local Graph API as a process of its own.
//!
//! ```text
//! meta-sandbox [--listen 127.0.0.1:9999] [--app-id ID] [--app-secret SECRET]
//!              [--webhooks http://127.0.0.1:8000/api/webhooks] [--chatter SECONDS]
//! ```
//!
//! With `--webhooks BASE`, each platform's webhooks go to `BASE/{whatsapp|messenger|instagram}/`.
//! The `/_sandbox/…` endpoints drive it from outside (see the crate's README).

use std::process::ExitCode;
use std::time::Duration;

use metabiz_sandbox::{Platform, Sandbox, SandboxConfig};

fn usage() -> ExitCode {
    eprintln!(
        "usage: meta-sandbox [--listen ADDR] [--app-id ID] [--app-secret SECRET] [--webhooks BASE_URL] [--chatter SECONDS]"
    );
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut config = SandboxConfig {
        listen: ([127, 0, 0, 1], 9999).into(),
        ..SandboxConfig::default()
    };
    let mut webhooks = None;
    let mut chatter = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            return usage();
        };
        match flag.as_str() {
            "--listen" => match value.parse() {
                Ok(addr) => config.listen = addr,
                Err(_) => return usage(),
            },
            "--app-id" => config.app_id = value,
            "--app-secret" => config.app_secret = value,
            "--webhooks" => webhooks = Some(value.trim_end_matches('/').to_owned()),
            "--chatter" => match value.parse::<u64>() {
                Ok(seconds) if seconds > 0 => chatter = Some(Duration::from_secs(seconds)),
                _ => return usage(),
            },
            _ => return usage(),
        }
    }
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("meta-sandbox: cannot listen: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(base) = &webhooks {
        for platform in [Platform::WhatsApp, Platform::Messenger, Platform::Instagram] {
            sandbox.set_webhook(platform, &format!("{base}/{}/", platform.as_str()));
        }
    }
    let accounts = sandbox.accounts();
    println!(
        "meta-sandbox on {} (app id {})",
        sandbox.url(),
        sandbox.app_id()
    );
    println!(
        "  Page {} ({}), Instagram {} (@{})",
        accounts.page_id, accounts.page_name, accounts.instagram_id, accounts.instagram_username
    );
    println!(
        "  WhatsApp Business Account {}, phone number id {}, token {}",
        accounts.waba_id, accounts.phone_number_id, accounts.whatsapp_token
    );
    let _chatter = chatter.map(|every| sandbox.chatter(every));
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
