//! The HTTP side: the accept loop, the routes and their helpers.
//!
//! # Layout
//! - `serve`: the accept loop (connection permits, graceful shutdown).
//! - `routes`: health, readiness, the REST API and static files.
//! - `rate_limit`, `cors`, `static_files`, `respond`: the pieces routes use.

mod cors;
mod rate_limit;
mod respond;
mod routes;
mod serve;
mod static_files;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::net::TcpListener;

pub use cors::Cors;
pub use rate_limit::RateLimiter;
pub use routes::LEADERBOARD_MAX;
pub use serve::{HttpLimits, serve};
pub use static_files::{EmbeddedLookup, StaticFile, StaticFiles};

use crate::GatewayError;
use crate::api::AuthApi;

/// Settings of the HTTP listener.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Connection limits.
    pub limits: HttpLimits,
    /// Allowed origins, methods and headers.
    pub cors_origins: Vec<String>,
    /// Methods announced to preflights.
    pub cors_methods: Vec<String>,
    /// Headers announced to preflights.
    pub cors_headers: Vec<String>,
    /// Window of the per-IP limits.
    pub rate_limit_window: Duration,
    /// API requests per IP per window.
    pub rate_limit_max: u32,
    /// Login/register/guest requests per IP per window.
    pub auth_rate_limit_max: u32,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// The browser client.
    pub static_files: StaticFiles,
    /// The WebSocket listener's port (SERVER_WS_PORT as bound), announced by
    /// `/api/v1/worlds` as `ws_port`; 0 leaves it out.
    pub ws_port: u16,
}

/// Serves health, readiness, the API and the client on `listener` until `shutdown`.
pub async fn run_http<A: AuthApi>(
    listener: TcpListener,
    config: HttpConfig,
    api: A,
    shutdown: impl Future,
) -> Result<(), GatewayError> {
    let state = Arc::new(routes::HttpState {
        api,
        cors: Cors::new(
            &config.cors_origins,
            &config.cors_methods,
            &config.cors_headers,
        ),
        limiter: RateLimiter::new(config.rate_limit_window),
        rate_limit_max: config.rate_limit_max,
        auth_rate_limit_max: config.auth_rate_limit_max,
        max_body_bytes: config.max_body_bytes,
        static_files: config.static_files,
        ws_port: config.ws_port,
    });
    serve(listener, config.limits, shutdown, move |req, peer| {
        routes::handle(state.clone(), req, peer)
    })
    .await
}

/// Serves `GET /metrics` (Prometheus text format from `render`) on `listener`.
pub async fn run_metrics(
    listener: TcpListener,
    render: impl Fn() -> String + Send + Sync + 'static,
    shutdown: impl Future,
) -> Result<(), GatewayError> {
    let render = Arc::new(render);
    let limits = HttpLimits {
        max_connections: 16,
        ..HttpLimits::default()
    };
    serve(listener, limits, shutdown, move |req, _peer| {
        let render = render.clone();
        async move {
            if req.uri().path() == "/metrics" && req.method() == hyper::Method::GET {
                respond::with_body(200, "text/plain; version=0.0.4", Bytes::from(render()))
            } else {
                respond::error(&crate::ApiError::not_found("only /metrics is served here"))
            }
        }
    })
    .await
}
