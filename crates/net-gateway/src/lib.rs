//! Kindling's network edge: hyper HTTP (health, readiness, the REST API, the browser
//! client) and tokio-tungstenite WebSocket sessions with bounded queues to the
//! simulation.
//!
//! Only this crate knows HTTP and WebSocket. It talks to the rest of the server through
//! the [`AuthApi`] (accounts, sessions, worlds) and [`GameApi`] (game sessions) traits,
//! which the server implements.
//!
//! # Layout
//! - `accept`: accepting TCP connections with retry of transient errors.
//! - `api`: the [`AuthApi`] trait and the types crossing it.
//! - `error`: [`ApiError`] (the one JSON error shape) and [`GatewayError`].
//! - [`http`]: the HTTP listener (`run_http`, `run_metrics`).
//! - [`metrics`]: every metric name of the server, with its help text.
//! - [`ws`]: the WebSocket listener (`run_ws`) and the [`GameApi`] the server implements.
//! - `shutdown`: the broadcast shutdown signal each connection listens to.

mod accept;
mod api;
mod error;
pub mod http;
pub mod metrics;
mod shutdown;
pub mod ws;

pub use api::{
    AccountView, AuthApi, AuthGrant, ClientInfo, Credentials, GuestRequest, Identity,
    LeaderboardEntry, LeaderboardKind, Readiness, WorldInfo,
};
pub use error::{ApiError, GatewayError};
pub use http::{HttpConfig, HttpLimits, StaticFiles, run_http, run_metrics};
pub use shutdown::Shutdown;
pub use ws::{
    CloseReason, GameApi, GameSession, Outgoing, SessionLink, ViewUpdate, WsConfig, outbox, run_ws,
};
