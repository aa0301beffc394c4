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

    /// Whether the signal has come, without waiting (nor registering a waiter): for a
    /// loop that looks now and then. A closed channel counts as shutdown, as in
    /// [`Shutdown::recv`].
    pub fn signalled(&mut self) -> bool {
        if !self.done {
            use broadcast::error::TryRecvError;
            self.done = !matches!(self.notify.try_recv(), Err(TryRecvError::Empty));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signalled_sees_the_signal_or_a_closed_channel_without_waiting() {
        let (tx, rx) = broadcast::channel(1);
        let mut s = Shutdown::new(rx);
        assert!(!s.signalled());
        tx.send(()).unwrap();
        assert!(s.signalled());
        assert!(s.is_shutdown() && s.signalled(), "it stays signalled");

        let (tx, rx) = broadcast::channel::<()>(1);
        let mut s = Shutdown::new(rx);
        drop(tx);
        assert!(s.signalled());
    }
}
