//! Listening for the shutdown broadcast (mini-redis's `Shutdown`).

use tokio::sync::broadcast;

/// One task's view of the server-wide shutdown signal.
#[derive(Debug)]
pub struct Shutdown {
    done: bool,
    notify: broadcast::Receiver<()>,
}

impl Shutdown {
    /// Wraps a receiver of the shutdown broadcast.
    pub fn new(notify: broadcast::Receiver<()>) -> Self {
        Self {
            done: false,
            notify,
        }
    }

    /// Whether shutdown has been signalled.
    pub fn is_shutdown(&self) -> bool {
        self.done
    }

    /// Waits for the signal (returns at once if already received). A closed channel
    /// means the server is going away, which also counts as shutdown.
    pub async fn recv(&mut self) {
        if self.done {
            return;
        }
        let _ = self.notify.recv().await;
        self.done = true;
    }
}
