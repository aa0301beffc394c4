//! The WebSocket side: the accept loop and one task per connection.
//!
//! # Layout
//! - `frames`: the session's frames, written to the socket without tungstenite's buffer.
//! - `game_api`: the [`GameApi`] trait the server implements, and what flows back.
//! - `session`: one connection (handshake, limits, timers, queues).
//! - `limits`: token buckets for input and chat rates.
//! - `outbox`: the queue from a world's tick thread to one connection.
//! - `wire`: frames ↔ messages in the client's form (binary or JSON text).

mod frames;
mod game_api;
mod limits;
pub mod outbox;
mod session;
mod wire;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use metrics::gauge;
use protocol::Compression;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, broadcast, mpsc};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

pub use game_api::{CloseReason, GameApi, GameSession, Outgoing, SessionLink, ViewUpdate};
pub use limits::TokenBucket;
pub use wire::Form;

use crate::accept::accept_retrying;
use crate::shutdown::Shutdown;
use crate::{GatewayError, metrics as m};

/// Limits and timers of WebSocket connections (server.toml `[network]`).
#[derive(Debug, Clone)]
pub struct WsConfig {
    /// Most simultaneous connections (server.toml `max_connections`).
    pub max_connections: usize,
    /// Largest client message in bytes; larger ones are answered with an error and dropped.
    pub max_message_size: usize,
    /// Time for the WebSocket upgrade and again for the game handshake.
    pub handshake_timeout: Duration,
    /// Interval of server pings.
    pub ping_interval: Duration,
    /// Time to answer a ping.
    pub pong_timeout: Duration,
    /// Silence after which a connection is closed.
    pub inactivity_timeout: Duration,
    /// Longest a single frame write may take before the client counts as gone.
    pub write_timeout: Duration,
    /// Inputs per second.
    pub input_rate: u32,
    /// Inputs in a burst.
    pub input_burst: u32,
    /// Chat lines per 10 s.
    pub chat_per_10s: u32,
    /// Violations answered with an error before disconnecting.
    pub max_violations: u32,
    /// Deflate settings for binary frames.
    pub compression: Compression,
    /// After shutdown begins, how long a connection waits for its world's goodbye.
    pub shutdown_wait: Duration,
}

impl Default for WsConfig {
    fn default() -> Self {
        Self {
            max_connections: 1000,
            max_message_size: protocol::limits::MAX_CLIENT_MESSAGE_BYTES,
            handshake_timeout: Duration::from_secs(5),
            ping_interval: Duration::from_secs(30),
            pong_timeout: Duration::from_secs(10),
            inactivity_timeout: Duration::from_secs(120),
            write_timeout: Duration::from_secs(10),
            input_rate: 60,
            input_burst: 100,
            chat_per_10s: 10,
            max_violations: 10,
            compression: Compression::OFF,
            shutdown_wait: Duration::from_secs(10),
        }
    }
}

/// What tungstenite reads from a socket at once: a client's messages are inputs of tens
/// of bytes, 20 a second; a longer frame grows the buffer to its length.
const READ_BUFFER_BYTES: usize = 256;

impl WsConfig {
    /// tungstenite's buffers sized for thousands of connections: the defaults cost about
    /// 256 KiB per connection; these keep a quiet connection to a few KiB (inputs are
    /// tens of bytes: a 256-byte read buffer, grown only for a bigger frame). The
    /// session writes its messages itself (see `frames`), so tungstenite writes only
    /// pongs and the close handshake, each at once. Frames up to 4× the message limit
    /// are read (and then refused with an error) so an oversized message costs a
    /// warning, not the connection.
    pub fn tungstenite_config(&self) -> WebSocketConfig {
        let hard = (self.max_message_size * 4).max(16 * 1024);
        WebSocketConfig::default()
            .read_buffer_size(READ_BUFFER_BYTES)
            .write_buffer_size(0)
            .max_write_buffer_size(256 * 1024)
            .max_message_size(Some(hard))
            .max_frame_size(Some(hard))
            .accept_unmasked_frames(false)
    }
}

/// Accepts WebSocket connections on `listener` until `shutdown`, then waits for every
/// session to end (each one ends when its world says goodbye, or after
/// [`WsConfig::shutdown_wait`]).
pub async fn run_ws<G: GameApi>(
    listener: TcpListener,
    config: WsConfig,
    api: Arc<G>,
    shutdown: impl Future,
) -> Result<(), GatewayError> {
    let config = Arc::new(config);
    let (notify, _) = broadcast::channel::<()>(1);
    let (done_tx, mut done_rx) = mpsc::channel::<()>(1);
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let addr = listener
        .local_addr()
        .map_err(GatewayError::LocalAddr)?
        .to_string();

    let accept_loop = async {
        loop {
            let Ok(permit) = permits.clone().acquire_owned().await else {
                return Ok(());
            };
            let (stream, peer) = accept_retrying(&listener, &addr, "websocket").await?;
            // Boxed before the task captures it: what a task captures stays in its
            // state for the connection's life.
            let conn = Box::new(session::Connection {
                stream,
                peer,
                cfg: config.clone(),
                api: api.clone(),
                shutdown: Shutdown::new(notify.subscribe()),
            });
            let done = done_tx.clone();
            tokio::spawn(async move {
                gauge!(m::CONNECTIONS).increment(1.0);
                session::run(conn).await;
                gauge!(m::CONNECTIONS).decrement(1.0);
                drop(permit);
                drop(done);
            });
        }
    };
    let result = tokio::select! {
        r = accept_loop => r,
        _ = shutdown => Ok(()),
    };
    // Stop accepting first (the listener is dropped with the loop), then tell sessions.
    let _ = notify.send(());
    drop(notify);
    drop(done_tx);
    let _ = done_rx.recv().await;
    result
}
