//! `inbox-server demo`: the whole system on one machine with no Meta account.
//!
//! A fresh SQLite file and an ephemeral encryption key; the local Graph sandbox
//! ([`metabiz_sandbox`]) as Meta; one account per platform connected through the server's
//! real connect paths (Facebook Login for Messenger and Instagram, the checked token connect
//! for WhatsApp); simulated customers writing on all three platforms; the scheduler and a
//! fast aggregator running. Open the printed URL to see the web inbox.

use std::net::SocketAddr;
use std::time::Duration;

use meta_graph::oauth::InstagramLogin;
use meta_graph::{AppId, AppSecret, GraphClient};
use metabiz_sandbox::{Platform, Sandbox, SandboxConfig};
use metabiz_webhook_verify::VerifyToken;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use crate::auth::{hash_token, new_api_token, random_token};
use crate::crypto::Cipher;
use crate::store::Store;
use crate::{AppState, MetaApp, app};

/// How to run the demo.
#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// Where the server listens (port 0 picks one).
    pub listen: SocketAddr,
    /// How often a simulated customer writes; `None` for never (tests drive them).
    pub chatter: Option<Duration>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8000)),
            chatter: Some(Duration::from_secs(5)),
        }
    }
}

/// A running demo. Dropping it stops the sandbox; [`Demo::shutdown`] stops the server too.
/// Its `Debug` leaves the API token out.
pub struct Demo {
    /// The server's address.
    pub addr: SocketAddr,
    /// The API token of the demo user.
    pub token: String,
    /// The sandbox standing in for Meta.
    pub sandbox: Sandbox,
    /// The server's state.
    pub state: AppState,
    /// Where the SQLite file lives (removed by [`Demo::shutdown`]).
    pub dir: std::path::PathBuf,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Demo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Demo")
            .field("addr", &self.addr)
            .field("token", &"<redacted>")
            .field("sandbox", &self.sandbox)
            .field("state", &self.state)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Demo {
    /// The web inbox, logged in.
    pub fn inbox_url(&self) -> String {
        format!("http://{}/?token={}", self.addr, self.token)
    }

    /// Stops the server, the jobs and the sandbox, and removes the database.
    pub async fn shutdown(self) {
        for task in &self.tasks {
            task.abort();
        }
        for task in self.tasks {
            let _ = task.await;
        }
        drop(self.sandbox);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn fail(what: &str) -> impl Fn(String) -> String + '_ {
    move |error| format!("demo: {what}: {error}")
}

/// Starts everything; the accounts are connected when this returns.
///
/// # Errors
///
/// A message naming the step that failed.
pub async fn start(options: DemoOptions) -> Result<Demo, String> {
    let dir = std::env::temp_dir().join(format!(
        "inbox-demo-{}-{}",
        std::process::id(),
        random_token(4)
    ));
    std::fs::create_dir_all(&dir).map_err(|e| fail("a temporary directory")(e.to_string()))?;
    let store = Store::connect(&format!("sqlite:{}", dir.join("inbox.db").display()))
        .await
        .map_err(|e| fail("the database")(e.to_string()))?;
    let sandbox = Sandbox::start(SandboxConfig {
        app_secret: format!("demo-{}", random_token(16)),
        ..SandboxConfig::default()
    })
    .await
    .map_err(|e| fail("the sandbox")(e.to_string()))?;
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| fail(&format!("listening on {}", options.listen))(e.to_string()))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base = format!("http://{addr}");

    let app_secret = AppSecret::new(sandbox.app_secret());
    let graph = GraphClient::builder()
        .base_url(sandbox.url())
        .dialog_base_url(sandbox.url())
        .app_secret(app_secret.clone())
        .retry_policy(crate::graph_retry_policy())
        .build()
        .map_err(|e| fail("the Graph client")(e.to_string()))?;
    let instagram =
        InstagramLogin::with_hosts(&graph, &sandbox.url(), &sandbox.url(), &sandbox.url())
            .map_err(|e| fail("the Instagram client")(e.to_string()))?;
    let meta = MetaApp {
        app_id: Some(AppId::new(sandbox.app_id())),
        app_secret,
        redirect_uri: Some(format!("{base}/api/platforms/callback")),
        graph,
        instagram,
    };
    // An ephemeral key: the sealed tokens die with this process, as the demo's data does.
    let cipher = Cipher::from_config(&Cipher::generate_key("demo")).map_err(|e| e.to_string())?;
    let state = AppState::new(
        store.clone(),
        meta,
        VerifyToken::new(random_token(12)),
        cipher,
    )
    .start()
    .await
    .map_err(|e| fail("the live feed")(e.to_string()))?;
    let token = new_api_token();
    store
        .create_user("demo", &hash_token(&token))
        .await
        .map_err(|e| fail("the demo user")(e.to_string()))?;

    let mut tasks = Vec::new();
    let served = app(state.clone());
    tasks.push(tokio::spawn(async move {
        let _ = axum::serve(listener, served).await;
    }));
    for platform in [Platform::WhatsApp, Platform::Messenger, Platform::Instagram] {
        sandbox.set_webhook(
            platform,
            &format!("{base}/api/webhooks/{}/", platform.as_str()),
        );
    }
    connect_accounts(&base, &token, &sandbox).await?;

    tasks.push(tokio::spawn(crate::jobs::run(
        state.clone(),
        crate::jobs::SyncConfig {
            period: Duration::from_secs(60),
            ..crate::jobs::SyncConfig::default()
        },
    )));
    tasks.push(tokio::spawn(crate::aggregate::run(
        store.clone(),
        Duration::from_secs(10),
        format!("demo-{}", random_token(4)),
    )));
    if let Some(every) = options.chatter {
        for (platform, text) in [
            (Platform::WhatsApp, "Hi! Do you deliver on Sundays?"),
            (Platform::Messenger, "Is the seasonal blend back?"),
            (Platform::Instagram, "Love the new cups! Are they for sale?"),
        ] {
            sandbox.customer_writes(platform, None, text);
        }
        tasks.push(sandbox.chatter(every));
    }
    Ok(Demo {
        addr,
        token,
        sandbox,
        state,
        dir,
        tasks,
    })
}

/// Connects the sandbox's accounts through the server's own endpoints, as a user would.
async fn connect_accounts(base: &str, token: &str, sandbox: &Sandbox) -> Result<(), String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let api = |method: reqwest::Method, path: &str| {
        http.request(method, format!("{base}{path}"))
            .bearer_auth(token)
    };
    for platform in ["messenger", "instagram"] {
        let connect: Value = api(
            reqwest::Method::GET,
            &format!("/api/platforms/{platform}/connect"),
        )
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| fail("starting the connect flow")(e.to_string()))?
        .json()
        .await
        .map_err(|e| e.to_string())?;
        let auth_url = connect["auth_url"].as_str().ok_or("demo: no auth_url")?;
        // The sandbox's login dialog approves at once and sends the browser back.
        let dialog = http
            .get(auth_url)
            .send()
            .await
            .map_err(|e| fail("the login dialog")(e.to_string()))?;
        let callback = dialog
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or("demo: the login dialog did not redirect")?
            .to_owned();
        // A server-side client has no browser cookie: it completes the flow with the user's
        // own token instead.
        let connected = http
            .get(&callback)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !connected.status().is_success() {
            let body = connected.text().await.unwrap_or_default();
            return Err(format!("demo: connecting {platform} failed: {body}"));
        }
    }
    let accounts = sandbox.accounts();
    let whatsapp = api(reqwest::Method::POST, "/api/platforms/whatsapp/connect")
        .json(&json!({
            "business_account_id": accounts.waba_id,
            "phone_number_id": accounts.phone_number_id,
            "access_token": accounts.whatsapp_token,
        }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !whatsapp.status().is_success() {
        let body = whatsapp.text().await.unwrap_or_default();
        return Err(format!("demo: connecting WhatsApp failed: {body}"));
    }
    Ok(())
}
