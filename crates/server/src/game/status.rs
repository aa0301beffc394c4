//! A world's numbers, readable from any thread without asking the tick.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Updated by the tick thread after every tick.
#[derive(Debug, Default)]
pub struct WorldStatus {
    players: AtomicU32,
    tick: AtomicU64,
    last_tick_ms: AtomicU64,
}

impl WorldStatus {
    /// Records a finished tick.
    pub fn record(&self, tick: u64, players: u32) {
        self.tick.store(tick, Ordering::Relaxed);
        self.players.store(players, Ordering::Relaxed);
        self.last_tick_ms.store(now_ms(), Ordering::Relaxed);
    }

    /// Players in the world.
    pub fn players(&self) -> u32 {
        self.players.load(Ordering::Relaxed)
    }

    /// Ticks simulated.
    pub fn tick(&self) -> u64 {
        self.tick.load(Ordering::Relaxed)
    }

    /// Whether the world ticked within `max_age_ms`.
    pub fn ticking(&self, max_age_ms: u64) -> bool {
        let last = self.last_tick_ms.load(Ordering::Relaxed);
        last != 0 && now_ms().saturating_sub(last) <= max_age_ms
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
