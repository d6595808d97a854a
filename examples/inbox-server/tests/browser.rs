//! The web inbox in headless Chromium, driven through chromedriver: with the demo running, a
//! simulated WhatsApp message appears in the list without a reload (its `<script>` shown as
//! text); a reply typed in the page shows as sent, then delivered, then read as the sandbox's
//! statuses arrive. Screenshots are saved under the target directory.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
//! test says so and passes, unless `INBOX_BROWSER_TEST=required` (as in `.ci/run`).

#![allow(clippy::too_many_lines)] // one browser scenario, read top to bottom

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use inbox_server::demo::{DemoOptions, start};
use metabiz_sandbox::Platform;
use serde_json::json;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| std::path::Path::new(dir).join(program))
        .find(|path| path.is_file())
}

async fn start_driver() -> Option<(Driver, u16)> {
    let Some(driver) = find("chromedriver") else {
        assert!(
            std::env::var("INBOX_BROWSER_TEST").as_deref() != Ok("required"),
            "INBOX_BROWSER_TEST=required but chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        eprintln!("chromedriver is not installed: the browser test is skipped");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Some((driver, port))
}

async fn browser(port: u16) -> Client {
    let mut caps = serde_json::Map::new();
    let mut options = json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]});
    if let Some(chromium) = find("chromium") {
        options["binary"] = json!(chromium);
    }
    caps.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session")
}

/// Polls `check` every 50 ms until it gives `Some`, for up to 10 s.
async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn artifacts() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_shows_live_messages_and_reply_statuses() {
    let Some((_driver, port)) = start_driver().await else {
        return;
    };
    let demo = start(DemoOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        chatter: None,
    })
    .await
    .unwrap();
    let client = browser(port).await;
    client.goto(&demo.inbox_url()).await.unwrap();
    eventually("the live feed", || async {
        let status = client
            .find(Locator::Id("live-status"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        (status.trim() == "live").then_some(())
    })
    .await;
    // The token left the address bar.
    assert!(
        !client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("token=")
    );

    // A customer writes on WhatsApp: it appears without a reload, its markup as text.
    let text = "Browser test <script>window.pwned=1</script> — do you deliver?";
    demo.sandbox
        .customer_writes(Platform::WhatsApp, Some("4915112345678"), text);
    let item = eventually("the new conversation", || async {
        for item in client
            .find_all(Locator::Css("#conversations [data-conversation-id]"))
            .await
            .ok()?
        {
            if item
                .text()
                .await
                .ok()?
                .contains("<script>window.pwned=1</script>")
            {
                return Some(item);
            }
        }
        None
    })
    .await;
    let pwned = client
        .execute("return window.pwned === undefined;", vec![])
        .await
        .unwrap();
    assert_eq!(pwned, json!(true), "the message's script did not run");
    item.click().await.unwrap();
    eventually("the thread", || async {
        let thread = client
            .find(Locator::Id("thread"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        thread.contains("do you deliver?").then_some(())
    })
    .await;

    // A reply: sent, then delivered, then read as the sandbox's statuses arrive.
    let reply = client.find(Locator::Id("reply-text")).await.unwrap();
    reply.send_keys("Yes, every day until 6 pm.").await.unwrap();
    client
        .find(Locator::Id("reply-send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let mut seen: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen.last().map(String::as_str) != Some("read") {
        assert!(
            Instant::now() < deadline,
            "the reply never showed as read: {seen:?}"
        );
        if let Ok(statuses) = client
            .find_all(Locator::Css("#thread .outbound .status"))
            .await
            && let Some(last) = statuses.last()
            && let Ok(text) = last.text().await
        {
            let text = text.trim().to_owned();
            if seen.last() != Some(&text) {
                seen.push(text);
            }
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let order: Vec<&str> = seen
        .iter()
        .map(String::as_str)
        .filter(|s| ["sent", "delivered", "read"].contains(s))
        .collect();
    assert_eq!(
        order,
        ["sent", "delivered", "read"],
        "statuses as seen: {seen:?}"
    );
    // One message went out (the other request is the read receipt of opening the thread).
    let sends = demo.sandbox.sends();
    let messages: Vec<_> = sends.iter().filter(|s| s.message_id.is_some()).collect();
    assert_eq!(
        messages.len(),
        1,
        "one message reached the sandbox: {sends:?}"
    );
    assert!(
        sends.iter().any(|s| s.body["status"] == "read"),
        "opening the thread marked it read"
    );

    let dir = artifacts();
    std::fs::write(dir.join("inbox.png"), client.screenshot().await.unwrap()).unwrap();
    // Readable at phone width: the list and the thread both still render.
    client.set_window_size(390, 844).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    std::fs::write(
        dir.join("inbox-phone.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    eprintln!("screenshots in {}", dir.display());
    client.close().await.unwrap();
    demo.shutdown().await;
}
