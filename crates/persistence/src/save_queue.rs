//! The autosave buffer between the game and the database: the tick thread marks players
//! dirty (cheap, never blocks on I/O), and a task flushes them in batched upserts: one on
//! PostgreSQL, one per [`crate::SQLITE_ROWS_PER_STATEMENT`] players on SQLite.
//! While the database is down everything stays queued and flushing retries with
//! exponential backoff; nothing is dropped until the database has confirmed it.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use sim_core::PlayerProgress;

use crate::accounts::AccountId;
use crate::database::Database;
use crate::error::Result;
use crate::progress::{ProgressStore, SaveReport};

/// How often and how patiently a failed flush is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Wait after the first failure.
    pub initial_backoff: Duration,
    /// Longest wait between attempts; the wait doubles up to this.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
        }
    }
}

/// What a successful flush did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushOutcome {
    /// Rows written.
    pub saved: usize,
    /// Players skipped because their progress equals what this queue last saved for them.
    pub unchanged: usize,
    /// Accounts whose progress was dropped because the account no longer exists.
    pub unknown_accounts: Vec<AccountId>,
    /// Attempts it took (1 if the database was up).
    pub attempts: u32,
    /// Time spent in the successful attempt (for the `game_db_save_seconds` metric).
    pub duration: Duration,
}

/// A queued save: the newest progress of one player and the mark that put it there.
/// Shared, so a flush takes the queue's records without copying them.
struct Entry {
    generation: u64,
    progress: Arc<PlayerProgress>,
}

#[derive(Default)]
struct Pending {
    next_generation: u64,
    by_account: BTreeMap<AccountId, Entry>,
}

/// Dirty player progress waiting for the database. Share it in an `Arc`.
pub struct SaveQueue {
    store: ProgressStore,
    policy: RetryPolicy,
    pending: Mutex<Pending>,
    /// One flush at a time, so two flushes never race to write older data last.
    flushing: tokio::sync::Mutex<()>,
    /// Fingerprint of the progress last saved per account (16 bytes per account saved
    /// since start), to skip saving what has not changed.
    saved: Mutex<HashMap<AccountId, u64>>,
}

/// A 64-bit fingerprint of a progress record (SipHash of its JSON form), or `None` if it
/// cannot be encoded (then it is always saved).
fn fingerprint(progress: &PlayerProgress) -> Option<u64> {
    let bytes = serde_json::to_vec(progress).ok()?;
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    Some(hasher.finish())
}

impl std::fmt::Debug for SaveQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SaveQueue")
            .field("pending", &self.len())
            .field("policy", &self.policy)
            .finish()
    }
}

impl SaveQueue {
    /// A queue saving into `db`.
    pub fn new(db: &Database, policy: RetryPolicy) -> Self {
        Self {
            store: db.progress(),
            policy,
            pending: Mutex::new(Pending::default()),
            flushing: tokio::sync::Mutex::new(()),
            saved: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Pending> {
        // The map stays consistent even if a holder panicked: every critical section is
        // a single insert, clone or remove.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues the newest progress of a player, replacing any older queued one. Cheap and
    /// synchronous: call it from the tick thread.
    pub fn mark_dirty(&self, account: AccountId, progress: PlayerProgress) {
        let mut pending = self.lock();
        pending.next_generation += 1;
        let generation = pending.next_generation;
        pending.by_account.insert(
            account,
            Entry {
                generation,
                progress: Arc::new(progress),
            },
        );
    }

    /// Players waiting to be saved.
    pub fn len(&self) -> usize {
        self.lock().by_account.len()
    }

    /// Whether nothing waits to be saved.
    pub fn is_empty(&self) -> bool {
        self.lock().by_account.is_empty()
    }

    /// The queued progress of a player, if any (e.g. to rejoin before the save landed).
    pub fn queued(&self, account: AccountId) -> Option<PlayerProgress> {
        self.lock()
            .by_account
            .get(&account)
            .map(|e| PlayerProgress::clone(&e.progress))
    }

    /// One attempt to save everything queued, in batches of as many players as one upsert
    /// statement takes ([`crate::ProgressStore::rows_per_statement`]: 10,000 on
    /// PostgreSQL, 100 on SQLite, where a statement compiles to about 1.5 KiB per row),
    /// each converted and written before the next is, so a crowded world's autosave
    /// does not hold every player's rows at once. Players whose progress is unchanged
    /// since this queue last saved it are skipped. On failure what was not yet
    /// committed stays queued.
    /// Cancel-safe: entries leave the queue only after the database has committed them,
    /// and only if they were not marked again meanwhile.
    pub async fn flush(&self) -> Result<FlushOutcome> {
        let _one_at_a_time = self.flushing.lock().await;
        let queued: Vec<(AccountId, u64, Arc<PlayerProgress>)> = self
            .lock()
            .by_account
            .iter()
            .map(|(account, e)| (*account, e.generation, e.progress.clone()))
            .collect();
        let mut outcome = FlushOutcome {
            attempts: 1,
            ..FlushOutcome::default()
        };
        for part in queued.chunks(self.store.rows_per_statement().max(1)) {
            let done = self.flush_batch(part).await?;
            outcome.saved += done.saved;
            outcome.unchanged += done.unchanged;
            outcome.unknown_accounts.extend(done.unknown_accounts);
            outcome.duration += done.duration;
        }
        Ok(outcome)
    }

    /// Saves one batch of queued entries in one upsert, then takes them off the queue.
    async fn flush_batch(
        &self,
        queued: &[(AccountId, u64, Arc<PlayerProgress>)],
    ) -> Result<FlushOutcome> {
        // Players whose progress is exactly what was last saved cost no database work
        // (an idle player marked by every autosave, for example).
        let mut batch = Vec::with_capacity(queued.len());
        let mut prints = Vec::with_capacity(queued.len());
        let mut unchanged = 0;
        {
            let saved = self.saved_prints();
            for (account, _, progress) in queued {
                let print = fingerprint(progress);
                if print.is_some() && saved.get(account) == print.as_ref() {
                    unchanged += 1;
                } else {
                    batch.push((*account, progress.clone()));
                    prints.push((*account, print));
                }
            }
        }
        let started = Instant::now();
        let report = if batch.is_empty() {
            SaveReport::default()
        } else {
            self.store.save_many(&batch).await?
        };
        let duration = started.elapsed();
        {
            let mut saved = self.saved_prints();
            for (account, print) in prints {
                match print {
                    Some(p) if !report.unknown_accounts.contains(&account) => {
                        saved.insert(account, p);
                    }
                    _ => {
                        saved.remove(&account);
                    }
                }
            }
        }
        let mut pending = self.lock();
        for (account, generation, _) in queued {
            if pending
                .by_account
                .get(account)
                .is_some_and(|e| e.generation == *generation)
            {
                pending.by_account.remove(account);
            }
        }
        Ok(FlushOutcome {
            saved: report.saved,
            unchanged,
            unknown_accounts: report.unknown_accounts,
            attempts: 1,
            duration,
        })
    }

    fn saved_prints(&self) -> MutexGuard<'_, HashMap<AccountId, u64>> {
        self.saved.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Flushes, retrying every failure with exponential backoff until it succeeds or
    /// `deadline` passes (`None`: no deadline). On giving up it returns the last error and
    /// everything is still queued.
    pub async fn flush_with_retry(&self, deadline: Option<Instant>) -> Result<FlushOutcome> {
        self.retry(deadline, &mut |_| {}).await
    }

    /// [`SaveQueue::flush_with_retry`], telling `observe` about every attempt.
    async fn retry(
        &self,
        deadline: Option<Instant>,
        observe: &mut (dyn FnMut(&Result<FlushOutcome>) + Send),
    ) -> Result<FlushOutcome> {
        let mut backoff = self.policy.initial_backoff;
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let mut result = self.flush().await;
            if let Ok(outcome) = &mut result {
                outcome.attempts = attempts;
            }
            observe(&result);
            match result {
                Ok(outcome) => {
                    if attempts > 1 {
                        tracing::info!(
                            attempts,
                            saved = outcome.saved,
                            "progress saved after retrying"
                        );
                    }
                    return Ok(outcome);
                }
                Err(error) => {
                    let queued = self.len();
                    tracing::warn!(%error, attempts, queued, retry_in = ?backoff, "saving progress failed");
                    if deadline.is_some_and(|d| Instant::now() + backoff >= d) {
                        return Err(error);
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(self.policy.max_backoff);
                }
            }
        }
    }

    /// Flushes every `every` until `shutdown` completes, retrying failures in between
    /// (so a long outage delays saves but loses none). Calls `on_attempt` after every
    /// attempt, failed or not, e.g. for the save-latency and save-failure metrics. Returns at shutdown without a final
    /// flush: call [`SaveQueue::flush_with_retry`] with the shutdown deadline after it.
    pub async fn run_autosave<F>(
        &self,
        every: Duration,
        shutdown: impl Future<Output = ()>,
        mut on_attempt: F,
    ) where
        F: FnMut(&Result<FlushOutcome>) + Send,
    {
        let mut shutdown = std::pin::pin!(shutdown);
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick of an interval fires at once; there is nothing to save yet.
        ticker.tick().await;
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                _ = ticker.tick() => {}
            }
            tokio::select! {
                () = &mut shutdown => return,
                _ = self.retry(None, &mut on_attempt) => {}
            }
        }
    }
}
