//! The accept loop in mini-redis's shape: a semaphore permit per connection, a broadcast
//! that tells every connection to finish, and a wait until all of them have.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, broadcast, mpsc};

use crate::GatewayError;
use crate::accept::accept_retrying;
use crate::shutdown::Shutdown;

/// Connection-level limits of an HTTP listener.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// Most connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// Buffer for the request line and headers (hyper's minimum is 8 KiB); larger
    /// headers are answered with 431.
    pub max_header_bytes: usize,
    /// Time a client has to send its request headers.
    pub header_timeout: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            max_header_bytes: 16 * 1024,
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// Serves HTTP/1 on `listener` with `handle` until `shutdown` completes, then lets every
/// open connection finish its request and returns.
pub async fn serve<H, F>(
    listener: TcpListener,
    limits: HttpLimits,
    shutdown: impl Future,
    handle: H,
) -> Result<(), GatewayError>
where
    H: Fn(Request<Incoming>, SocketAddr) -> F + Send + Sync + 'static,
    F: Future<Output = Response<Full<Bytes>>> + Send + 'static,
{
    let handle = Arc::new(handle);
    let (notify_shutdown, _) = broadcast::channel::<()>(1);
    // Every connection task holds a clone; recv() returns None once all are dropped.
    let (done_tx, mut done_rx) = mpsc::channel::<()>(1);
    let limit = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let addr = listener
        .local_addr()
        .map_err(GatewayError::LocalAddr)?
        .to_string();

    let accept_loop = async {
        loop {
            let Ok(permit) = limit.clone().acquire_owned().await else {
                return Ok(());
            };
            let (stream, peer) = accept_retrying(&listener, &addr, "http").await?;
            let handle = handle.clone();
            let mut shutdown = Shutdown::new(notify_shutdown.subscribe());
            let done = done_tx.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let fut = handle(req, peer);
                    async move { Ok::<_, Infallible>(fut.await) }
                });
                let conn = http1::Builder::new()
                    .max_buf_size(limits.max_header_bytes.max(8192))
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.header_timeout)
                    .serve_connection(TokioIo::new(stream), service);
                let mut conn = std::pin::pin!(conn);
                tokio::select! {
                    res = conn.as_mut() => {
                        if let Err(e) = res {
                            tracing::debug!(%peer, error = %e, "http connection ended with an error");
                        }
                    }
                    _ = shutdown.recv() => {
                        conn.as_mut().graceful_shutdown();
                        let _ = conn.await;
                    }
                }
                drop(permit);
                drop(done);
            });
        }
    };

    let result = tokio::select! {
        res = accept_loop => res,
        _ = shutdown => Ok(()),
    };
    drop(notify_shutdown);
    drop(done_tx);
    let _ = done_rx.recv().await;
    result
}
