//! The queue from a world's tick thread to one connection: bounded, one sender, one
//! receiver, filled with `try_send` (the tick never waits) and drained by the
//! connection's task.
//!
//! It does what a bounded `tokio::sync::mpsc` channel does for this one pair, in a
//! fraction of the memory: tokio's channel costs ~1.8 KiB a connection (a cache-padded
//! channel of ~0.5 KiB and two 32-slot blocks kept for reuse), this one ~0.1 KiB (one
//! allocation with a lock, the receiver's waker and a ring buffer as long as the queue
//! has needed to be, given back after a backlog). The lock is held only to push, pop
//! or swap the waker; wakers are woken after it is released.

use std::collections::VecDeque;
use std::future::poll_fn;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

/// A ring buffer longer than this is given back once emptied: a backlog after a stall
/// should not size the connection for the rest of its life.
const KEPT_CAPACITY: usize = 8;

struct Shared<T> {
    state: Mutex<State<T>>,
    capacity: usize,
}

struct State<T> {
    items: VecDeque<T>,
    /// The receiver waiting for an item, woken by the next push or by the sender
    /// going away.
    waiting: Option<Waker>,
    sender_alive: bool,
    receiver_alive: bool,
}

impl<T> Shared<T> {
    /// The state, even if a thread panicked while holding the lock: every update of
    /// it is a single push, pop or flag, so it is never left half-done.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Pops the next item (see [`Receiver::try_recv`]).
    fn take(&self) -> Result<T, TryRecvError> {
        Self::pop(&mut self.lock())
    }

    fn pop(s: &mut State<T>) -> Result<T, TryRecvError> {
        match s.items.pop_front() {
            Some(item) => {
                if s.items.is_empty() && s.items.capacity() > KEPT_CAPACITY {
                    s.items.shrink_to(KEPT_CAPACITY);
                }
                Ok(item)
            }
            None if s.sender_alive => Err(TryRecvError::Empty),
            None => Err(TryRecvError::Disconnected),
        }
    }
}

/// A queue holding at most `capacity` items (at least 1).
pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            items: VecDeque::new(),
            waiting: None,
            sender_alive: true,
            receiver_alive: true,
        }),
        capacity: capacity.max(1),
    });
    (
        Sender {
            shared: shared.clone(),
        },
        Receiver { shared },
    )
}

/// Why [`Sender::try_send`] did not queue an item; the item comes back.
#[derive(Debug, PartialEq, Eq)]
pub enum TrySendError<T> {
    /// The queue holds `capacity` items: the receiver is not keeping up.
    Full(T),
    /// The receiver is gone.
    Closed(T),
}

/// Why [`Receiver::try_recv`] returned nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryRecvError {
    /// Nothing is queued now.
    Empty,
    /// Nothing is queued and the sender is gone.
    Disconnected,
}

/// The tick thread's end. Dropping it closes the queue: the receiver gets what is
/// queued, then `None`.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// How [`Sender::try_send_merging`] took an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Queued as an item of its own.
    Queued,
    /// Folded into the newest queued item.
    Merged,
}

impl<T> Sender<T> {
    /// Queues `item` without waiting.
    pub fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        self.try_send_merging(item, |_, item| Err(item)).map(|_| ())
    }

    /// Like [`Sender::try_send`], but first offers `item` to the newest queued item:
    /// `merge(queued, item)` either folds it in and returns what that displaced
    /// (dropped once the lock is released), or hands `item` back to be queued after it.
    /// A merged item takes no room, so a connection that falls behind keeps fewer items
    /// (and the frames they hold) alive. One lock either way.
    pub fn try_send_merging(
        &self,
        item: T,
        merge: impl FnOnce(&mut T, T) -> Result<T, T>,
    ) -> Result<Sent, TrySendError<T>> {
        let waiting = {
            let mut s = self.shared.lock();
            if !s.receiver_alive {
                return Err(TrySendError::Closed(item));
            }
            let item = match s.items.back_mut() {
                Some(queued) => match merge(queued, item) {
                    Ok(displaced) => {
                        drop(s);
                        drop(displaced);
                        return Ok(Sent::Merged);
                    }
                    Err(item) => item,
                },
                None => item,
            };
            if s.items.len() >= self.shared.capacity {
                return Err(TrySendError::Full(item));
            }
            s.items.push_back(item);
            s.waiting.take()
        };
        if let Some(w) = waiting {
            w.wake();
        }
        Ok(Sent::Queued)
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waiting = {
            let mut s = self.shared.lock();
            s.sender_alive = false;
            s.waiting.take()
        };
        if let Some(w) = waiting {
            w.wake();
        }
    }
}

impl<T> std::fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("outbox::Sender").finish_non_exhaustive()
    }
}

/// The connection's end. Dropping it drops what is queued and makes every later
/// `try_send` fail with [`TrySendError::Closed`].
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Receiver<T> {
    /// The next item, waiting for one; `None` once the sender is gone and the queue
    /// is empty. Cancel-safe: an item is taken only when it is returned.
    pub async fn recv(&mut self) -> Option<T> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// [`Receiver::recv`] as a poll: the waker is kept, under the same lock as the
    /// look, until a push or the sender's drop wakes it.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut s = self.shared.lock();
        match Shared::pop(&mut s) {
            Ok(item) => Poll::Ready(Some(item)),
            Err(TryRecvError::Disconnected) => Poll::Ready(None),
            Err(TryRecvError::Empty) => {
                match &mut s.waiting {
                    Some(w) => w.clone_from(cx.waker()),
                    None => s.waiting = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
        }
    }

    /// The next item if one is queued.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        self.shared.take()
    }

    /// Whether the sender is gone (items may still be queued).
    pub fn is_closed(&self) -> bool {
        !self.shared.lock().sender_alive
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let items = {
            let mut s = self.shared.lock();
            s.receiver_alive = false;
            s.waiting = None;
            std::mem::take(&mut s.items)
        };
        // Dropped outside the lock: items may hold large shared frames.
        drop(items);
    }
}

impl<T> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("outbox::Receiver").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn items_arrive_in_order_then_none_after_the_sender_is_gone() {
        let (tx, mut rx) = channel(4);
        for i in 0..3 {
            tx.try_send(i).expect("room");
        }
        assert_eq!(rx.recv().await, Some(0));
        assert!(!rx.is_closed());
        drop(tx);
        assert!(rx.is_closed());
        assert_eq!(rx.recv().await, Some(1));
        assert_eq!(rx.try_recv(), Ok(2));
        assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
        assert_eq!(rx.recv().await, None);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_and_a_gone_receiver_closes_it() {
        let (tx, mut rx) = channel(2);
        tx.try_send(1).expect("room");
        tx.try_send(2).expect("room");
        assert_eq!(tx.try_send(3), Err(TrySendError::Full(3)));
        assert_eq!(rx.try_recv(), Ok(1));
        tx.try_send(3).expect("room again");
        assert_eq!(rx.try_recv(), Ok(2));
        assert_eq!(rx.try_recv(), Ok(3));
        assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
        drop(rx);
        assert_eq!(tx.try_send(4), Err(TrySendError::Closed(4)));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_waiting_receiver_is_woken_by_another_thread() {
        let (tx, mut rx) = channel(1024);
        let producer = std::thread::spawn(move || {
            for i in 0..10_000u32 {
                while let Err(TrySendError::Full(_)) = tx.try_send(i) {
                    std::thread::yield_now();
                }
                if i % 1000 == 0 {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        });
        let mut expected = 0;
        while let Some(i) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("woken")
        {
            assert_eq!(i, expected);
            expected += 1;
        }
        assert_eq!(expected, 10_000);
        producer.join().expect("producer");
    }

    #[tokio::test]
    async fn a_backlog_gives_its_memory_back_once_drained() {
        let (tx, mut rx) = channel(1000);
        for i in 0..500 {
            tx.try_send(i).expect("room");
        }
        assert!(rx.shared.lock().items.capacity() >= 500);
        while rx.try_recv().is_ok() {}
        assert!(rx.shared.lock().items.capacity() <= KEPT_CAPACITY);
    }

    /// Sums into the newest item while it is below 10.
    fn add_below_ten(queued: &mut u32, item: u32) -> Result<u32, u32> {
        if *queued < 10 {
            *queued += item;
            Ok(0)
        } else {
            Err(item)
        }
    }

    #[tokio::test]
    async fn merged_items_take_no_room_and_the_rest_queue_in_order() {
        let (tx, mut rx) = channel(2);
        assert_eq!(tx.try_send_merging(4, add_below_ten), Ok(Sent::Queued));
        assert_eq!(tx.try_send_merging(5, add_below_ten), Ok(Sent::Merged));
        assert_eq!(tx.try_send_merging(3, add_below_ten), Ok(Sent::Merged));
        // 12 is no longer below ten: the next item queues behind it.
        assert_eq!(tx.try_send_merging(1, add_below_ten), Ok(Sent::Queued));
        assert_eq!(tx.try_send_merging(2, add_below_ten), Ok(Sent::Merged));
        assert_eq!(tx.try_send_merging(20, add_below_ten), Ok(Sent::Merged));
        assert_eq!(
            tx.try_send_merging(7, add_below_ten),
            Err(TrySendError::Full(7))
        );
        assert_eq!(rx.recv().await, Some(12));
        assert_eq!(rx.recv().await, Some(23));
        assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
        drop(rx);
        assert_eq!(
            tx.try_send_merging(1, add_below_ten),
            Err(TrySendError::Closed(1))
        );
    }

    #[tokio::test]
    async fn a_merge_drops_what_it_displaced() {
        let (tx, mut rx) = channel(4);
        let old = Arc::new(1);
        tx.try_send(old.clone()).expect("room");
        let newer = Arc::new(2);
        let replace = |queued: &mut Arc<i32>, item: Arc<i32>| Ok(std::mem::replace(queued, item));
        assert_eq!(
            tx.try_send_merging(newer.clone(), replace),
            Ok(Sent::Merged)
        );
        assert_eq!(Arc::strong_count(&old), 1, "the displaced item is dropped");
        assert_eq!(rx.recv().await, Some(newer));
        assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    }

    #[tokio::test]
    async fn dropping_the_receiver_drops_what_is_queued() {
        let (tx, rx) = channel(4);
        let item = Arc::new(());
        tx.try_send(item.clone()).expect("room");
        assert_eq!(Arc::strong_count(&item), 2);
        drop(rx);
        assert_eq!(Arc::strong_count(&item), 1);
    }
}
