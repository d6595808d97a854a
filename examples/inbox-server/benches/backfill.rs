//! Sync backfill in constant memory: a Messenger Page whose history holds `BENCH_MESSAGES`
//! messages (default 100,000) in 1,000 conversations, fetched page by page through the
//! Conversations API of the sandbox (in a child process, so that its own memory is not
//! counted) by one scheduler round, and stored. Prints the time and this process' peak RSS.
//!
//! ```sh
//! BENCH_MESSAGES=10000 cargo bench -p inbox-server --bench backfill
//! BENCH_MESSAGES=100000 cargo bench -p inbox-server --bench backfill
//! ```

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use inbox_server::crypto::{Cipher, token_context};
use inbox_server::store::{NewAccount, Store};
use inbox_server::{AppState, MetaApp};
use meta_graph::oauth::InstagramLogin;
use meta_graph::{AppId, AppSecret, GraphClient};
use metabiz_sandbox::{Platform, Sandbox, SandboxConfig};
use metabiz_webhook_verify::VerifyToken;
use serde_json::json;

const CONVERSATIONS: usize = 1_000;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

async fn sandbox_child(messages: usize) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sandbox.seed_history(Platform::Messenger, CONVERSATIONS, messages / CONVERSATIONS);
    println!(
        "{} {} {}",
        sandbox.url(),
        sandbox.accounts().page_id,
        sandbox.app_secret()
    );
    // Until the parent closes our stdin.
    let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_line(&mut String::new())).await;
}

#[tokio::main]
#[allow(clippy::cast_precision_loss)] // figures for people
async fn main() {
    let messages: usize = std::env::var("BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    if std::env::var_os("BACKFILL_SANDBOX").is_some() {
        sandbox_child(messages).await;
        return;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env("BACKFILL_SANDBOX", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let mut parts = line.split_whitespace();
    let (url, page, secret) = (
        parts.next().unwrap().to_owned(),
        parts.next().unwrap().to_owned(),
        parts.next().unwrap().to_owned(),
    );

    let dir = std::env::temp_dir().join(format!("inbox-backfill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::connect(&format!("sqlite:{}", dir.join("inbox.db").display()))
        .await
        .unwrap();
    let cipher = Cipher::from_config(&Cipher::generate_key("bench")).unwrap();
    let user = store.create_user("bench", "hash").await.unwrap();
    store
        .upsert_account(&NewAccount {
            user_id: user.id,
            platform: "messenger".into(),
            external_id: page.clone(),
            name: None,
            sealed_token: cipher
                .seal("EAAsandboxPAGEtoken", &token_context("messenger", &page))
                .unwrap(),
            token_expires_at: None,
            metadata: json!({}),
        })
        .await
        .unwrap();
    let graph = GraphClient::builder()
        .base_url(url)
        .app_secret(AppSecret::new(secret.clone()))
        .build()
        .unwrap();
    let meta = MetaApp {
        app_id: Some(AppId::new("1234567890123456")),
        app_secret: AppSecret::new(secret),
        redirect_uri: None,
        instagram: InstagramLogin::new(&graph).unwrap(),
        graph,
    };
    let state = AppState::new(store.clone(), meta, VerifyToken::new("v"), cipher)
        .start()
        .await
        .unwrap();
    let before = peak_rss_kib();
    let start = Instant::now();
    let report = inbox_server::jobs::run_once(&state, &inbox_server::jobs::SyncConfig::default())
        .await
        .unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    let peak = peak_rss_kib();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
        .fetch_one(store.pool())
        .await
        .unwrap();
    drop(child.stdin.take());
    let _ = child.wait();
    let rate = report.new_messages as f64 / elapsed;
    println!(
        "backfill: {messages} messages in {CONVERSATIONS} conversations: {} new stored ({stored} in the table) in {elapsed:.1} s \
         ({rate:.0}/s); peak RSS {:.1} MiB (before the sync {:.1} MiB)",
        report.new_messages,
        peak as f64 / 1024.0,
        before as f64 / 1024.0,
    );
    let _ = std::fs::remove_dir_all(&dir);
}
