//! Counters every bot updates and the sampler reads: plain relaxed atomics, so a bot
//! pays a few nanoseconds per message and never waits on a lock.

use std::sync::atomic::{AtomicU64, Ordering};

/// Swarm-wide counters. Gauges (`connected`) go up and down; everything else only grows.
#[derive(Debug, Default)]
pub struct Counters {
    /// Bots with an open, handshaken WebSocket right now.
    pub connected: AtomicU64,
    /// Bots that completed at least one handshake.
    pub ever_connected: AtomicU64,
    /// Bots that gave up without ever connecting.
    pub never_connected: AtomicU64,
    /// Successful handshakes, first ones and reconnects.
    pub sessions: AtomicU64,
    /// Attempts (auth, connect or handshake) that failed.
    pub connect_failures: AtomicU64,
    /// Connections the server or the network closed while the bot wanted to play.
    pub drops: AtomicU64,
    /// Deliberate leaves by churning bots.
    pub churn_leaves: AtomicU64,
    /// Frames the bot could not decode, or messages that broke the protocol.
    pub protocol_errors: AtomicU64,
    /// `Error` messages the server sent.
    pub server_errors: AtomicU64,
    /// Game-level rejections (e.g. "not enough materials"): expected, counted for colour.
    pub rejections: AtomicU64,
    /// Messages received.
    pub msgs_in: AtomicU64,
    /// Messages sent.
    pub msgs_out: AtomicU64,
    /// WebSocket payload bytes received.
    pub bytes_in: AtomicU64,
    /// WebSocket payload bytes sent.
    pub bytes_out: AtomicU64,
    /// Payload bytes received in snapshots and deltas.
    pub bytes_world: AtomicU64,
    /// Payload bytes received in event messages.
    pub bytes_events: AtomicU64,
    /// Payload bytes received in private-state messages.
    pub bytes_private: AtomicU64,
    /// Full snapshots received.
    pub snapshots: AtomicU64,
    /// Deltas received.
    pub deltas: AtomicU64,
    /// Private-state updates received.
    pub private_updates: AtomicU64,
    /// Resources gathered (events).
    pub gathered: AtomicU64,
    /// Crafts started (events).
    pub crafts_started: AtomicU64,
    /// Crafts finished (events).
    pub crafted: AtomicU64,
    /// Hits the bots dealt (events).
    pub hits_dealt: AtomicU64,
    /// Deaths seen (events; one death is seen by every bot near it).
    pub deaths_seen: AtomicU64,
    /// The bots' own deaths (events).
    pub own_deaths: AtomicU64,
    /// Those of them dealt by a player.
    pub own_deaths_by_players: AtomicU64,
    /// Chat lines heard (events; one line reaches many bots).
    pub chat_heard: AtomicU64,
    /// Chat lines sent.
    pub chats: AtomicU64,
    /// Crafts requested.
    pub crafts: AtomicU64,
    /// Structures placed (requested).
    pub builds: AtomicU64,
}

impl Counters {
    /// Adds `n` to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Decrements a gauge, never below zero.
    pub fn dec(gauge: &AtomicU64) {
        let _ = gauge.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| v.checked_sub(1));
    }

    /// Reads a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
