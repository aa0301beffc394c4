//! What one bot measured over the whole run, handed back when it stops.

use serde::{Deserialize, Serialize};

/// One bot's own numbers, measured client-side.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BotOutcome {
    /// The bot's index in the swarm.
    pub index: usize,
    /// Completed handshakes (1 + reconnects).
    pub sessions: u32,
    /// Connections that closed without the bot asking.
    pub drops: u32,
    /// Failed attempts to authenticate, connect or handshake.
    pub failures: u32,
    /// Seconds spent connected (handshake done) over all sessions.
    pub connected_secs: f64,
    /// WebSocket payload bytes received.
    pub bytes_in: u64,
    /// WebSocket payload bytes sent.
    pub bytes_out: u64,
    /// Messages received.
    pub msgs_in: u64,
    /// Messages sent.
    pub msgs_out: u64,
    /// How far the bot's entity moved, in world units, as the server reported it.
    pub distance: f64,
    /// Ping round-trip times in milliseconds.
    pub rtt_ms: Vec<f64>,
    /// The last error, if the bot saw one.
    pub last_error: Option<String>,
}

impl BotOutcome {
    /// Bytes received per connected second, if it was connected long enough to tell
    /// (at least one second).
    pub fn in_rate(&self) -> Option<f64> {
        (self.connected_secs >= 1.0).then(|| self.bytes_in as f64 / self.connected_secs)
    }

    /// Bytes sent per connected second (see [`BotOutcome::in_rate`]).
    pub fn out_rate(&self) -> Option<f64> {
        (self.connected_secs >= 1.0).then(|| self.bytes_out as f64 / self.connected_secs)
    }
}
