//! `copydesk serve`: the HTTP API under `/api/v1` (JSON, cursor-paged, described by an
//! OpenAPI 3.1 document generated from the handlers), health and readiness probes and
//! Prometheus metrics. Handlers authenticate and call the service layer; every workflow and
//! authorisation rule lives there, shared with the CLI. Nothing a request needs is kept only
//! in one process's memory: sessions, tokens and rate-limit counts are in the database, so
//! several processes can share one PostgreSQL database.

mod api;
mod auth;
mod error;
mod ops;
mod pool;
mod web;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use copydesk_service::Service;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use auth::{Caller, Credential, Credentials};
pub use error::{ApiError, ErrorBody};
pub use pool::{OpenService, ServicePool};
pub use webhooks::{WebhookConfig, WebhookSender};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Mark the session cookie `Secure` (set when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes (413 beyond).
    pub max_body_bytes: usize,
    /// Database connections (services) kept open.
    pub pool_size: usize,
    /// Sending webhook deliveries from this process; `None` leaves them to another process
    /// sharing the database (they wait in its queue until one sends them).
    pub webhooks: Option<WebhookConfig>,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            secure_cookies: false,
            max_body_bytes: 6 * 1024 * 1024,
            pool_size: 8,
            webhooks: Some(WebhookConfig::default()),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: Arc<ServicePool>,
    pub config: Arc<ServerConfig>,
    pub metrics: Arc<ops::Metrics>,
    /// The OpenAPI document, serialised once.
    pub openapi: axum::body::Bytes,
}

impl AppState {
    pub fn new(open: OpenService, config: ServerConfig) -> Result<AppState, StartError> {
        Ok(AppState {
            pool: Arc::new(ServicePool::new(open, config.pool_size)),
            openapi: axum::body::Bytes::from(openapi().to_pretty_json()?),
            config: Arc::new(config),
            metrics: Arc::new(ops::Metrics::new()?),
        })
    }
}

impl AppState {
    /// Runs `op` for the caller the credentials prove. Checking them and the operation share
    /// one service lease and one trip to a blocking thread.
    pub async fn run_as<T, E, F>(&self, credentials: Credentials, op: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError>,
        F: FnOnce(&mut Service, &Caller) -> Result<T, E> + Send + 'static,
    {
        self.pool
            .run(move |svc| {
                let caller = credentials.authenticate(svc)?;
                op(svc, &caller).map_err(Into::into)
            })
            .await
    }
}

/// The OpenAPI 3.1 document of the API, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::routes().split_for_parts().1
}

/// What can stop the server from being set up.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot set up the metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("cannot write the OpenAPI document: {0}")]
    OpenApi(#[from] serde_json::Error),
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every route the server answers, with its layers.
pub fn router(state: AppState) -> Router {
    let (api, _) = api::routes().split_for_parts();
    let body_limit = state.config.max_body_bytes;
    Router::new()
        .merge(api)
        .merge(ops::routes())
        .merge(web::routes())
        .fallback(ops::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::refuse_oversized,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::record_metrics,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            // requests are logged by method, route and status; never headers or bodies,
            // which carry passwords, cookies and tokens
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_until(listener, state, shutdown_signal()).await
}

/// Serves, and sends webhook deliveries when configured, until `stop` completes; then
/// finishes the requests and delivery attempts in flight.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    state: AppState,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sender = state
        .config
        .webhooks
        .clone()
        .map(|config| WebhookSender::spawn(&state, config));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await;
    if let Some(sender) = sender {
        sender.stop().await;
    }
    served
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
