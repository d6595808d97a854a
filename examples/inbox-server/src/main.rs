//! `inbox-server`: run the reference server, or administer its database.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use inbox_server::auth::{hash_token, new_api_token};
use inbox_server::crypto::Cipher;
use inbox_server::store::Store;
use inbox_server::{AppState, MetaApp, app};
use meta_graph::{AppId, AppSecret, GraphClient};
use metabiz_webhook_verify::VerifyToken;

/// jemalloc for every allocation of the process, SQLite's included: under the aggregator's
/// bursts glibc's arenas kept the freed memory and the server's RSS grew run after run.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(version, about = "The metabiz reference inbox server")]
struct Cli {
    /// `sqlite:PATH` (the default, an embedded file) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite:inbox.db",
        hide_env_values = true
    )]
    database_url: String,
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the webhooks (the default).
    Serve,
    /// Run the whole system against a local Graph sandbox, with no Meta account: a fresh
    /// SQLite file, an ephemeral key, one account per platform, simulated customers.
    Demo {
        /// Where the server listens.
        #[arg(long, default_value = "127.0.0.1:8000")]
        listen: SocketAddr,
    },
    /// Reprocess every webhook body that is pending, failed or dead-lettered (after a fix),
    /// then list what still fails.
    Replay,
    /// List the webhook bodies processing failed on (dead-lettered, or failed and waiting
    /// for their next attempt), with their errors.
    DeadLetters,
    /// Run only the background jobs, the sync scheduler and the analytics aggregator (for a
    /// deployment that separates roles).
    Sync,
    /// Recompute the daily analytics of a range of UTC days (default: every day with a
    /// message).
    Aggregate {
        /// The first day, `YYYY-MM-DD`.
        #[arg(long)]
        from: Option<String>,
        /// The last day, `YYYY-MM-DD`.
        #[arg(long)]
        to: Option<String>,
    },
    /// Manage API users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print a new random key for `ENCRYPTION_KEY`.
    GenKey {
        /// The key's id, stored in every value it seals.
        #[arg(long, default_value = "k1")]
        id: String,
    },
    /// Re-seal every stored token with the first key of `ENCRYPTION_KEY` (list the old key
    /// after it, comma-separated, until this has run).
    RotateKey,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user and print their API token, once.
    Create {
        /// The user's name.
        #[arg(long)]
        name: String,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Where to listen.
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8000")]
    listen_addr: SocketAddr,
    /// The Meta app id (the OAuth `client_id`).
    #[arg(long, env = "META_APP_ID")]
    app_id: Option<String>,
    /// The Meta app secret that signs webhooks.
    #[arg(long, env = "META_APP_SECRET", hide_env_values = true)]
    app_secret: Option<String>,
    /// The OAuth callback URL registered for the app, ending in `/api/platforms/callback`.
    #[arg(long, env = "META_REDIRECT_URI")]
    redirect_uri: Option<String>,
    /// The Graph API version, such as `v23.0`.
    #[arg(long, env = "META_API_VERSION")]
    api_version: Option<String>,
    /// Another Graph API base URL (a local sandbox, a proxy).
    #[arg(long, env = "META_GRAPH_BASE_URL")]
    graph_base_url: Option<String>,
    /// Another base URL for the Facebook Login dialog.
    #[arg(long, env = "META_DIALOG_BASE_URL")]
    dialog_base_url: Option<String>,
    /// Another origin for Instagram Login's hosts (`graph.instagram.com` and
    /// `api.instagram.com`).
    #[arg(long, env = "META_INSTAGRAM_BASE_URL")]
    instagram_base_url: Option<String>,
    /// The token Meta's subscription handshake presents.
    #[arg(long, env = "WEBHOOK_VERIFY_TOKEN", hide_env_values = true)]
    verify_token: Option<String>,
    /// The key(s) that seal platform tokens: `id:base64url(32 bytes)`, from `gen-key`.
    #[arg(long, env = "ENCRYPTION_KEY", hide_env_values = true)]
    encryption_key: Option<String>,
    /// A WhatsApp number to connect at start (with the two settings below), for the user
    /// named by --whatsapp-owner.
    #[arg(long, env = "WHATSAPP_PHONE_NUMBER_ID")]
    whatsapp_phone_number_id: Option<String>,
    /// The WhatsApp Business Account of that number.
    #[arg(long, env = "WHATSAPP_BUSINESS_ACCOUNT_ID")]
    whatsapp_business_account_id: Option<String>,
    /// A system user token with `whatsapp_business_messaging`.
    #[arg(long, env = "WHATSAPP_ACCESS_TOKEN", hide_env_values = true)]
    whatsapp_access_token: Option<String>,
    /// The user id the WhatsApp number above is connected for (default: the first user).
    #[arg(long, env = "WHATSAPP_OWNER")]
    whatsapp_owner: Option<i64>,
    /// Seconds between two syncs of an account.
    #[arg(long, env = "SYNC_INTERVAL_SECS", default_value_t = 300)]
    sync_interval_secs: u64,
    /// Seconds between two analytics runs.
    #[arg(long, env = "AGGREGATE_INTERVAL_SECS", default_value_t = 3600)]
    aggregate_interval_secs: u64,
    /// Serve without the background jobs (run `inbox-server sync` elsewhere).
    #[arg(long, env = "NO_SCHEDULER")]
    no_scheduler: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("inbox-server: {message}");
            ExitCode::from(2)
        }
    }
}

fn required(value: Option<String>, name: &str, flag: &str) -> Result<String, String> {
    value
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| format!("{name} (or --{flag}) is required"))
}

fn cipher(value: Option<String>) -> Result<Cipher, String> {
    let value = value.filter(|s| !s.trim().is_empty()).ok_or(
        "ENCRYPTION_KEY (or --encryption-key) is required: it seals the platform tokens. \
         Make one with `inbox-server gen-key` and keep it safe",
    )?;
    Cipher::from_config(&value).map_err(|e| e.to_string())
}

async fn run(cli: Cli) -> Result<(), String> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::GenKey { id } = &command {
        println!("{}", Cipher::generate_key(id));
        return Ok(());
    }
    if let Command::Demo { listen } = command {
        return demo(listen).await;
    }
    let store = Store::connect(&cli.database_url)
        .await
        .map_err(|e| format!("cannot open the database (DATABASE_URL): {e}"))?;
    match command {
        Command::GenKey { .. } | Command::Demo { .. } => Ok(()),
        Command::Replay => {
            let count = store.replay().await.map_err(|e| e.to_string())?;
            println!("reprocessed {count} webhook bodies");
            print_dead_letters(&store).await
        }
        Command::DeadLetters => print_dead_letters(&store).await,
        Command::User {
            command: UserCommand::Create { name },
        } => {
            let token = new_api_token();
            let user = store
                .create_user(&name, &hash_token(&token))
                .await
                .map_err(|e| e.to_string())?;
            println!("created user {} ({})", user.id, user.name);
            println!("API token (shown once, keep it): {token}");
            Ok(())
        }
        Command::RotateKey => {
            let cipher = cipher(cli.serve.encryption_key)?;
            let resealed = inbox_server::rotate_key(&store, &cipher)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "re-sealed {resealed} tokens with key {:?}",
                cipher.current_key_id()
            );
            Ok(())
        }
        Command::Aggregate { from, to } => aggregate(&store, from, to).await,
        Command::Serve => serve(store, cli.serve, true).await,
        Command::Sync => serve(store, cli.serve, false).await,
    }
}

async fn serve(store: Store, args: ServeArgs, http: bool) -> Result<(), String> {
    let secret = required(args.app_secret, "META_APP_SECRET", "app-secret")?;
    let verify_token = required(args.verify_token, "WEBHOOK_VERIFY_TOKEN", "verify-token")?;
    let cipher = cipher(args.encryption_key)?;
    if let Some(uri) = &args.redirect_uri {
        url::Url::parse(uri).map_err(|e| format!("META_REDIRECT_URI is not a URL ({e}): {uri}"))?;
    }
    let app_secret = AppSecret::new(secret);
    let mut graph = GraphClient::builder()
        .app_secret(app_secret.clone())
        .retry_policy(inbox_server::graph_retry_policy());
    if let Some(version) = args.api_version {
        if !version.starts_with('v') || version[1..].parse::<f32>().is_err() {
            return Err(format!(
                "META_API_VERSION must look like v23.0, not {version:?}"
            ));
        }
        graph = graph.api_version(version);
    }
    if let Some(url) = args.graph_base_url {
        graph = graph.base_url(url);
    }
    if let Some(url) = args.dialog_base_url {
        graph = graph.dialog_base_url(url);
    }
    let graph = graph
        .build()
        .map_err(|e| format!("the Graph settings (META_GRAPH_BASE_URL, …) are invalid: {e}"))?;
    let instagram = match &args.instagram_base_url {
        Some(url) => meta_graph::oauth::InstagramLogin::with_hosts(&graph, url, url, url),
        None => meta_graph::oauth::InstagramLogin::new(&graph),
    }
    .map_err(|e| format!("META_INSTAGRAM_BASE_URL is invalid: {e}"))?;
    let meta = MetaApp {
        app_id: args.app_id.map(AppId::new),
        app_secret,
        redirect_uri: args.redirect_uri,
        graph,
        instagram,
    };
    // Bodies logged but not processed before a stop are processed now, behind the
    // listener: a long backlog must not keep Meta's deliveries waiting.
    let recovering = store.clone();
    tokio::spawn(async move {
        match recovering.replay().await {
            Ok(0) => {}
            Ok(recovered) => {
                tracing::info!(recovered, "reprocessed webhook bodies left from before");
            }
            Err(error) => tracing::warn!(%error, "reprocessing bodies left from before failed"),
        }
    });
    inbox_server::metrics::init();
    tokio::spawn(inbox_server::metrics::upkeep(
        inbox_server::metrics::UPKEEP_PERIOD,
    ));
    let state = AppState::new(store, meta, VerifyToken::new(verify_token), cipher)
        .start()
        .await
        .map_err(|e| format!("cannot start the live feed: {e}"))?;
    connect_configured_whatsapp(
        &state,
        args.whatsapp_phone_number_id,
        args.whatsapp_business_account_id,
        args.whatsapp_access_token,
        args.whatsapp_owner,
    )
    .await?;
    let sync = inbox_server::jobs::SyncConfig {
        period: std::time::Duration::from_secs(args.sync_interval_secs.max(1)),
        ..inbox_server::jobs::SyncConfig::default()
    };
    let aggregate = std::time::Duration::from_secs(args.aggregate_interval_secs.max(1));
    if !http || !args.no_scheduler {
        tokio::spawn(inbox_server::aggregate::run(
            state.store.clone(),
            aggregate,
            sync.holder.clone(),
        ));
    }
    if !http {
        tracing::info!("inbox-server sync: running the background jobs only");
        tokio::select! {
            () = inbox_server::jobs::run(state, sync) => {}
            () = shutdown_signal() => {}
        }
        return Ok(());
    }
    if !args.no_scheduler {
        tokio::spawn(inbox_server::jobs::run(state.clone(), sync));
    }
    let addr = args.listen_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr} (LISTEN_ADDR): {e}"))?;
    tracing::info!(%addr, "inbox-server listening");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

/// Ctrl-C, or SIGTERM (how service managers and container runtimes stop a process): the
/// server stops accepting, finishes the requests in flight (every body they log is
/// committed before its answer) and exits.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM; Ctrl-C only");
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        tracing::info!("stopping");
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Connects the number of `WHATSAPP_*`, when all three are set, for its owner.
async fn connect_configured_whatsapp(
    state: &AppState,
    phone: Option<String>,
    waba: Option<String>,
    token: Option<String>,
    owner: Option<i64>,
) -> Result<(), String> {
    let (Some(phone), Some(waba), Some(token)) = (phone, waba, token) else {
        return Ok(());
    };
    let owner = match owner {
        Some(id) => Some(id),
        None => state
            .store
            .first_user_id()
            .await
            .map_err(|e| e.to_string())?,
    };
    let Some(owner) = owner else {
        tracing::warn!(
            "WHATSAPP_* are set but there is no user yet: run `inbox-server user create`"
        );
        return Ok(());
    };
    let account = inbox_server::api::connect_whatsapp_number(state, owner, &waba, &phone, &token)
        .await
        .map_err(|error| {
            format!(
                "WHATSAPP_PHONE_NUMBER_ID / WHATSAPP_BUSINESS_ACCOUNT_ID / WHATSAPP_ACCESS_TOKEN \
                 were refused: {error}"
            )
        })?;
    tracing::info!(account = account.id, "WhatsApp number connected");
    Ok(())
}

async fn aggregate(store: &Store, from: Option<String>, to: Option<String>) -> Result<(), String> {
    use inbox_server::store::{day_key, day_number};
    let parse = |value: Option<String>, name: &str| {
        value
            .map(|v| day_number(&v).ok_or(format!("--{name} must be a date, YYYY-MM-DD")))
            .transpose()
    };
    let (from, to) = (parse(from, "from")?, parse(to, "to")?);
    let Some((first, last)) = store.message_days().await.map_err(|e| e.to_string())? else {
        println!("no messages: nothing to aggregate");
        return Ok(());
    };
    let (from, to) = (from.unwrap_or(first), to.unwrap_or(last));
    if from > to {
        return Err("--from is after --to".to_owned());
    }
    let report = inbox_server::aggregate::run_range(store, from, to)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "recomputed {} days ({} to {}): {} rows",
        report.days.len(),
        day_key(from),
        day_key(to),
        report.rows
    );
    Ok(())
}

/// One line per dead-lettered or failed body: id, state, attempts, parent, error.
async fn print_dead_letters(store: &Store) -> Result<(), String> {
    let rows = store.dead_letters().await.map_err(|e| e.to_string())?;
    if rows.is_empty() {
        println!("no webhook body is failed or dead-lettered");
    }
    for row in rows {
        let parent = row
            .parent_id
            .map_or_else(String::new, |id| format!(" (an update of body {id})"));
        println!(
            "body {}{parent}: {} after {} attempts: {}",
            row.id,
            row.state,
            row.attempts,
            row.last_error.unwrap_or_default()
        );
    }
    Ok(())
}

async fn demo(listen: SocketAddr) -> Result<(), String> {
    println!(
        "inbox-server demo: a local Graph sandbox stands in for Meta; nothing leaves this machine."
    );
    let demo = inbox_server::demo::start(inbox_server::demo::DemoOptions {
        listen,
        ..inbox_server::demo::DemoOptions::default()
    })
    .await?;
    println!(
        "  database: a fresh SQLite file in {} (removed on exit)",
        demo.dir.display()
    );
    println!(
        "  encryption key: ephemeral, generated for this run (tokens sealed with it die with it)"
    );
    println!("  sandbox (the Graph API): {}", demo.sandbox.url());
    println!(
        "  connected: Messenger and Instagram (through Facebook Login), WhatsApp (token connect)"
    );
    println!("  simulated customers write every few seconds on all three platforms");
    println!();
    println!("  web inbox:  {}", demo.inbox_url());
    println!("  API token:  {}", demo.token);
    println!("  API docs:   http://{}/docs", demo.addr);
    println!();
    println!("Ctrl-C stops everything.");
    shutdown_signal().await;
    demo.shutdown().await;
    println!("stopped.");
    Ok(())
}
