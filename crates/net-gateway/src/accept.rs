//! Accepting TCP connections, shared by the HTTP and WebSocket listeners.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};

use crate::GatewayError;

/// Accepts the next connection with Nagle's algorithm off. Failures such as running out
/// of file descriptors are transient: they are retried with a doubling backoff, and only
/// one that persists past ~5 s is returned as an error (`addr` names the listener in it).
pub(crate) async fn accept_retrying(
    listener: &TcpListener,
    addr: &str,
    what: &str,
) -> Result<(TcpStream, SocketAddr), GatewayError> {
    let mut backoff = Duration::from_millis(10);
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                return Ok((stream, peer));
            }
            Err(e) if backoff < Duration::from_secs(5) => {
                tracing::warn!(error = %e, "{what} accept failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff *= 2;
            }
            Err(source) => {
                return Err(GatewayError::Accept {
                    addr: addr.to_owned(),
                    source,
                });
            }
        }
    }
}
