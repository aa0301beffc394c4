//! The saver: takes progress and checkpoints from the tick threads and writes them with
//! persistence's `SaveQueue`, which keeps and retries them while the database is down.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use metrics::{counter, histogram};
use net_gateway::metrics as m;
use persistence::{AccountId, Database, FlushOutcome, SaveQueue};
use sim_core::WorldCheckpoint;
use tokio::sync::{mpsc, watch};

use crate::game::{FinalState, SaveJob};

/// Records a save attempt in the metrics and the log.
pub fn record(result: &persistence::Result<FlushOutcome>) {
    match result {
        Ok(o) => {
            if o.saved > 0 {
                histogram!(m::DB_SAVE_SECONDS).record(o.duration.as_secs_f64());
                tracing::debug!(
                    saved = o.saved,
                    took_ms = o.duration.as_millis() as u64,
                    "progress saved"
                );
            }
            if !o.unknown_accounts.is_empty() {
                tracing::warn!(accounts = ?o.unknown_accounts, "progress for deleted accounts was dropped");
            }
        }
        Err(e) => {
            counter!(m::DB_SAVE_FAILURES_TOTAL).increment(1);
            tracing::warn!(error = %e, "saving progress failed; kept for retry");
        }
    }
}

/// Runs until `jobs` closes or `stop` turns true: marks progress dirty and flushes it,
/// saves checkpoints (keeping the newest per world until one succeeds).
pub async fn run(
    db: Database,
    queue: Arc<SaveQueue>,
    mut jobs: mpsc::UnboundedReceiver<SaveJob>,
    mut stop: watch::Receiver<bool>,
) {
    let mut pending: BTreeMap<String, WorldCheckpoint> = BTreeMap::new();
    let mut retry = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            job = jobs.recv() => {
                let Some(job) = job else { return };
                let mut players = false;
                apply(job, &queue, &mut pending, &mut players);
                // Coalesce whatever else is already waiting into one flush.
                while let Ok(job) = jobs.try_recv() {
                    apply(job, &queue, &mut pending, &mut players);
                }
                if players {
                    record(&queue.flush().await);
                }
                save_checkpoints(&db, &mut pending).await;
            }
            _ = retry.tick() => {
                if !queue.is_empty() {
                    record(&queue.flush().await);
                }
                save_checkpoints(&db, &mut pending).await;
            }
            _ = stop.changed() => return,
        }
    }
}

fn apply(
    job: SaveJob,
    queue: &SaveQueue,
    pending: &mut BTreeMap<String, WorldCheckpoint>,
    players: &mut bool,
) {
    match job {
        SaveJob::Players(batch) => {
            *players |= !batch.is_empty();
            for (account, progress) in batch {
                queue.mark_dirty(AccountId(account), progress);
            }
        }
        SaveJob::Checkpoint { world, checkpoint } => {
            pending.insert(world, checkpoint);
        }
    }
}

async fn save_checkpoints(db: &Database, pending: &mut BTreeMap<String, WorldCheckpoint>) {
    let worlds: Vec<String> = pending.keys().cloned().collect();
    for world in worlds {
        let Some(cp) = pending.get(&world) else {
            continue;
        };
        let started = Instant::now();
        match db.worlds().save(&world, cp).await {
            Ok(()) => {
                histogram!(m::DB_SAVE_SECONDS).record(started.elapsed().as_secs_f64());
                pending.remove(&world);
            }
            Err(e) => {
                counter!(m::DB_SAVE_FAILURES_TOTAL).increment(1);
                tracing::warn!(world, error = %e, "checkpoint failed; kept for retry");
            }
        }
    }
}

/// Saves everything a shutdown handed back, retrying until `deadline`. Returns whether
/// everything was written.
pub async fn save_final(
    db: &Database,
    queue: &SaveQueue,
    finals: Vec<(String, FinalState)>,
    deadline: Instant,
) -> bool {
    let mut pending = BTreeMap::new();
    for (world, state) in finals {
        for (account, progress) in state.players {
            queue.mark_dirty(AccountId(account), progress);
        }
        pending.insert(world, state.checkpoint);
    }
    let result = queue.flush_with_retry(Some(deadline)).await;
    record(&result);
    while !pending.is_empty() && Instant::now() < deadline {
        save_checkpoints(db, &mut pending).await;
        if !pending.is_empty() {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    result.is_ok() && queue.is_empty() && pending.is_empty()
}
