//! A TCP proxy in front of the test PostgreSQL that can be "unplugged": while down it
//! accepts and immediately closes connections and cuts every open one, which is what a
//! crashed or restarting database looks like to the pool.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

/// A running proxy; stops when dropped.
pub struct Proxy {
    /// Where clients connect.
    pub addr: SocketAddr,
    up: watch::Sender<bool>,
    refused: Arc<AtomicU64>,
    refused_changed: Arc<Notify>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// Starts forwarding 127.0.0.1:(free port) to `target`.
    pub async fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (up, up_rx) = watch::channel(true);
        let refused = Arc::new(AtomicU64::new(0));
        let refused_changed = Arc::new(Notify::new());
        let (r, n) = (refused.clone(), refused_changed.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                if !*up_rx.borrow() {
                    drop(client);
                    r.fetch_add(1, Ordering::SeqCst);
                    n.notify_waiters();
                    continue;
                }
                let mut up_rx = up_rx.clone();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    let mut client = client;
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = up_rx.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Self {
            addr,
            up,
            refused,
            refused_changed,
            task,
        }
    }

    /// Unplugs (`false`) or plugs back (`true`) the database.
    pub fn set_up(&self, up: bool) {
        self.up.send_replace(up);
    }

    /// Connections refused while down so far.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` connections have been refused.
    pub async fn wait_refused(&self, n: u64) {
        loop {
            let notified = self.refused_changed.notified();
            if self.refused() >= n {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}
