//! The real `inbox-server` binary as a child process, for the fault tests that kill it or cut
//! its database off (`tests/crash.rs`, `tests/outage.rs`).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The encryption key the child servers run with.
pub const KEY: &str = "test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

/// Whether the slow fault tests run (`INBOX_FAULT_TESTS=1`); says why `test` is skipped
/// otherwise.
pub fn fault_tests_enabled(test: &str, what: &str) -> bool {
    if std::env::var("INBOX_FAULT_TESTS").is_ok_and(|v| v == "1") {
        return true;
    }
    eprintln!("{test}: skipped, set INBOX_FAULT_TESTS=1 to run it ({what})");
    false
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running server process, killed with SIGKILL when dropped (a failing test leaves none
/// behind).
pub struct Server(pub Child);

impl Server {
    /// SIGKILL, and wait until it is gone.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The binary serving `database` on `port`, scheduler off; its log appended to `log`.
pub fn spawn(database: &str, port: u16, log: &Path) -> Server {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_inbox-server"))
        .arg("serve")
        .env("DATABASE_URL", database)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("META_APP_SECRET", super::SECRET)
        .env("WEBHOOK_VERIFY_TOKEN", super::VERIFY_TOKEN)
        .env("ENCRYPTION_KEY", KEY)
        .env("NO_SCHEDULER", "true")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(file))
        .spawn()
        .map(Server)
        .expect("the inbox-server binary starts")
}

/// Waits until `/healthz` answers 200 (the listener is up and the database answers).
pub async fn ready(http: &reqwest::Client, port: u16, server: &mut Server, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("the server exited with {status}:\n{}", tail(log));
        }
        if let Ok(response) = http
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .timeout(Duration::from_secs(1))
            .send()
            .await
            && response.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the server did not get ready in 20 s:\n{}", tail(log));
}

/// The last 40 lines of `log`.
pub fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
