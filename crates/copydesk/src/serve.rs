//! `copydesk serve`: the HTTP API over the workspace's database.

use std::sync::Arc;

use anyhow::Result;
use copydesk_server::{AppState, OpenService, ServerConfig, WebhookConfig};

use crate::cli::ServeArgs;
use crate::commands::{open, Globals};
use crate::failure::Failure;

pub fn run(globals: &Globals, args: &ServeArgs) -> Result<()> {
    // open once up front, so a missing or newer database is one clear error before binding
    let first = open(globals)?;
    let workspace = Arc::new(first.workspace);
    let url = workspace.database_url(globals.database_url.as_deref());
    let shown_url = copydesk_store::redact(&url);
    let providers = workspace.providers()?;
    let opener: OpenService = {
        let workspace = Arc::clone(&workspace);
        Arc::new(move || {
            workspace
                .service(&url)
                .map(|s| s.with_providers(providers.clone()))
                .map_err(|f| f.message)
        })
    };
    let config = ServerConfig {
        secure_cookies: args.secure_cookies,
        pool_size: args.pool.max(1),
        webhooks: (!args.no_webhooks).then(WebhookConfig::default),
        ..ServerConfig::default()
    };
    init_logging(args.log_json);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::input(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(async move {
        let state = AppState::new(opener, config).map_err(|e| Failure::input(e.to_string()))?;
        let listener = tokio::net::TcpListener::bind(&args.bind)
            .await
            .map_err(|e| Failure::input(format!("--bind {}: {e}", args.bind)))?;
        let local = listener
            .local_addr()
            .map_err(|e| Failure::input(format!("--bind {}: {e}", args.bind)))?;
        // the one line scripts wait for: where to connect
        eprintln!("copydesk: serving http://{local} (database {shown_url})");
        tracing::info!(%local, database = %shown_url, "serving");
        copydesk_server::serve(listener, state)
            .await
            .map_err(|e| Failure::input(format!("the server stopped: {e}")))?;
        Ok::<(), anyhow::Error>(())
    })
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("COPYDESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.try_init();
    }
}
