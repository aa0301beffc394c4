//! The command line of `loadgen` (and `cargo xtask bots`).

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::brain::Pvp;

/// Starts a swarm of bots that play Kindling over real WebSockets, watches the server's
/// /metrics and /proc while they play, and writes a report (JSON, Markdown, SVG chart).
#[derive(Debug, Clone, Parser)]
#[command(name = "loadgen", version)]
pub struct Args {
    /// How many bots play at once.
    #[arg(long, default_value_t = 100)]
    pub bots: usize,
    /// How long the run lasts after the first bot starts, in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub duration: f64,
    /// Seconds over which bots are started (evenly spread), so the server is not hit by
    /// every handshake at once. Counts toward --duration.
    #[arg(long, default_value_t = 10.0)]
    pub ramp: f64,
    /// WebSocket address of the server's game endpoint.
    #[arg(long, default_value = "ws://127.0.0.1:8081")]
    pub server: String,
    /// HTTP base address of the server (for /api/v1/auth/* and /health).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub http: String,
    /// The server's Prometheus endpoint; scraped every second during the run.
    #[arg(long, default_value = "http://127.0.0.1:9090/metrics")]
    pub metrics: String,
    /// Fraction (0..=1) of bots that leave at a random moment and come back a few
    /// seconds later, as real players do.
    #[arg(long, default_value_t = 0.0)]
    pub churn: f64,
    /// Fraction (0..=1) of bots that register an account instead of playing as guests.
    #[arg(long, default_value_t = 0.0)]
    pub register: f64,
    /// Skip HTTP auth: play as guests named in the WebSocket handshake. Useful when the
    /// server's per-IP auth rate limit would refuse a thousand sign-ups from one address.
    #[arg(long)]
    pub ws_guest: bool,
    /// PID of a local server process: its CPU time and RSS are read from /proc.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Directory for report.json, report.md and chart.svg.
    #[arg(long, default_value = "target/loadgen")]
    pub out: PathBuf,
    /// Seed for the bots' behaviour, so runs are comparable.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How the bots fight each other: `grudges` (a fight picked every 1–3 minutes, and
    /// fighting back) or `mob` (everyone hunts every seventh player: a world full of
    /// loot bags, the harsher load of the runs before 2026-11-25).
    #[arg(long, value_enum, default_value_t = Pvp::Grudges)]
    pub pvp: Pvp,
    /// Speak the JSON text protocol instead of the binary one.
    #[arg(long)]
    pub json: bool,
    /// A label for this run in the report (e.g. "release, 1000 bots, idle machine").
    #[arg(long, default_value = "")]
    pub label: String,
    /// Exit with status 1 unless every bot connected, there were no protocol errors and
    /// no unexpected disconnects (for CI smoke runs).
    #[arg(long)]
    pub strict: bool,
    /// No live status line (for logs that are not a terminal).
    #[arg(long)]
    pub quiet: bool,
}

impl Args {
    /// Checks ranges that clap cannot express; one clear message per problem.
    pub fn validate(&self) -> Result<(), crate::LoadgenError> {
        let bad = |m: String| Err(crate::LoadgenError::InvalidArgument(m));
        if self.bots == 0 {
            return bad("--bots must be at least 1".into());
        }
        if !(self.duration.is_finite() && self.duration > 0.0) {
            return bad(format!("--duration must be > 0 s, got {}", self.duration));
        }
        if !(self.ramp.is_finite() && self.ramp >= 0.0 && self.ramp <= self.duration) {
            return bad(format!(
                "--ramp must be between 0 and --duration ({} s), got {}",
                self.duration, self.ramp
            ));
        }
        for (flag, v) in [("--churn", self.churn), ("--register", self.register)] {
            if !(0.0..=1.0).contains(&v) {
                return bad(format!("{flag} must be between 0 and 1, got {v}"));
            }
        }
        if !(self.server.starts_with("ws://") || self.server.starts_with("wss://")) {
            return bad(format!(
                "--server must be a ws:// URL, got {:?}",
                self.server
            ));
        }
        for (flag, v) in [("--http", &self.http), ("--metrics", &self.metrics)] {
            if !v.starts_with("http://") {
                return bad(format!("{flag} must be an http:// URL, got {v:?}"));
            }
        }
        Ok(())
    }

    /// The run length.
    pub fn duration(&self) -> Duration {
        Duration::from_secs_f64(self.duration)
    }
}
