//! `inbox-server`: run the reference server, or reprocess failed webhook bodies.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use inbox_server::store::Store;
use inbox_server::{AppState, app};
use metabiz_webhook_verify::{AppSecret, SignatureVerifier, VerifyToken};

#[derive(Parser)]
#[command(version, about = "The metabiz reference inbox server")]
struct Cli {
    /// `sqlite:PATH` (the default, an embedded file) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite:inbox.db")]
    database_url: String,
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the webhooks (the default).
    Serve,
    /// Reprocess every webhook body that failed or was dead-lettered.
    Replay,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Where to listen.
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8000")]
    listen_addr: SocketAddr,
    /// The Meta app secret that signs webhooks.
    #[arg(long, env = "META_APP_SECRET", hide_env_values = true)]
    app_secret: Option<String>,
    /// The token Meta's subscription handshake presents.
    #[arg(long, env = "WEBHOOK_VERIFY_TOKEN", hide_env_values = true)]
    verify_token: Option<String>,
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

async fn run(cli: Cli) -> Result<(), String> {
    let store = Store::connect(&cli.database_url)
        .await
        .map_err(|e| format!("cannot open the database (DATABASE_URL): {e}"))?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Replay => {
            let count = store.replay().await.map_err(|e| e.to_string())?;
            println!("reprocessed {count} webhook bodies");
            Ok(())
        }
        Command::Serve => serve(store, cli.serve).await,
    }
}

async fn serve(store: Store, args: ServeArgs) -> Result<(), String> {
    let secret = args
        .app_secret
        .filter(|s| !s.is_empty())
        .ok_or("META_APP_SECRET (or --app-secret) is required")?;
    let token = args
        .verify_token
        .filter(|s| !s.is_empty())
        .ok_or("WEBHOOK_VERIFY_TOKEN (or --verify-token) is required")?;
    let addr = args.listen_addr;
    // Bodies logged but not processed before a stop are processed now.
    let recovered = store.replay().await.map_err(|e| e.to_string())?;
    if recovered > 0 {
        tracing::info!(recovered, "reprocessed webhook bodies left from before");
    }
    let state = AppState {
        store,
        verifier: SignatureVerifier::new(&AppSecret::new(secret)),
        verify_token: VerifyToken::new(token),
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr} (LISTEN_ADDR): {e}"))?;
    tracing::info!(%addr, "inbox-server listening");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
