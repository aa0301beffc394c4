//! Once a second during the run: read the swarm counters, scrape the server's
//! /metrics and /proc, and keep a [`Point`] for the report and the chart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::counters::Counters;
use crate::prom::{Histogram, Scrape};
use crate::{http, procfs};

/// How often the sampler looks.
pub const INTERVAL: Duration = Duration::from_secs(1);

/// The server's tick-time histogram.
pub const TICK_HISTOGRAM: &str = "game_tick_duration_seconds";
/// The server's count of ticks that took longer than the tick interval.
pub const TICK_OVERRUNS: &[&str] = &["game_tick_overruns_total", "game_tick_overruns"];
/// The server's open connection gauge.
pub const CONNECTIONS: &[&str] = &["game_connections", "game_players_online"];
/// The server's entity gauge (summed over its worlds).
pub const ENTITIES: &str = "game_entities";
/// The captured ticks the server keeps for its connections, and the bytes they hold.
pub const REPLICATION_FRAMES: &str = "game_replication_frames";
/// See [`REPLICATION_FRAMES`].
pub const REPLICATION_FRAME_BYTES: &str = "game_replication_frame_bytes";

/// Everything known at one moment of the run. Counters are cumulative since the
/// start; rates are computed between neighbouring points.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    /// Seconds since the run started.
    pub t: f64,
    /// Bots connected now.
    pub connected: u64,
    /// Messages received by all bots so far.
    pub msgs_in: u64,
    /// Messages sent by all bots so far.
    pub msgs_out: u64,
    /// Bytes received by all bots so far.
    pub bytes_in: u64,
    /// Bytes sent by all bots so far.
    pub bytes_out: u64,
    /// Protocol errors so far.
    pub protocol_errors: u64,
    /// Unexpected disconnects so far.
    pub drops: u64,
    /// The server's tick histogram (cumulative, seconds), if /metrics answered.
    pub tick: Option<Histogram>,
    /// The server's tick overrun counter, if exported.
    pub overruns: Option<f64>,
    /// Connections the server reports.
    pub server_connections: Option<f64>,
    /// Entities in the server's worlds.
    #[serde(default)]
    pub entities: Option<f64>,
    /// Captured ticks the server keeps alive for its connections.
    #[serde(default)]
    pub replication_frames: Option<f64>,
    /// The bytes those ticks hold.
    #[serde(default)]
    pub replication_frame_bytes: Option<f64>,
    /// Server CPU seconds so far, when the pid is known.
    pub cpu_seconds: Option<f64>,
    /// Server resident memory, when the pid is known.
    pub rss_bytes: Option<u64>,
    /// The load generator's own CPU seconds so far (it shares the machine).
    pub loadgen_cpu_seconds: Option<f64>,
    /// Why /metrics could not be read this time, if it could not.
    pub scrape_error: Option<String>,
}

/// Takes one sample.
pub async fn sample(
    start: Instant,
    counters: &Arc<Counters>,
    metrics_url: &str,
    pid: Option<u32>,
) -> Point {
    let mut point = Point {
        t: start.elapsed().as_secs_f64(),
        connected: Counters::get(&counters.connected),
        msgs_in: Counters::get(&counters.msgs_in),
        msgs_out: Counters::get(&counters.msgs_out),
        bytes_in: Counters::get(&counters.bytes_in),
        bytes_out: Counters::get(&counters.bytes_out),
        protocol_errors: Counters::get(&counters.protocol_errors),
        drops: Counters::get(&counters.drops),
        ..Point::default()
    };
    point.loadgen_cpu_seconds = procfs::sample(std::process::id())
        .ok()
        .map(|p| p.cpu_seconds);
    if let Some(pid) = pid {
        match procfs::sample(pid) {
            Ok(p) => {
                point.cpu_seconds = Some(p.cpu_seconds);
                point.rss_bytes = Some(p.rss_bytes);
            }
            Err(e) => point.scrape_error = Some(e.to_string()),
        }
    }
    match scrape(metrics_url).await {
        Ok(s) => {
            point.tick = s.histogram(TICK_HISTOGRAM);
            point.overruns = TICK_OVERRUNS.iter().find_map(|n| s.total(n));
            point.server_connections = CONNECTIONS.iter().find_map(|n| s.total(n));
            point.entities = s.total(ENTITIES);
            point.replication_frames = s.total(REPLICATION_FRAMES);
            point.replication_frame_bytes = s.total(REPLICATION_FRAME_BYTES);
        }
        Err(e) => point.scrape_error = Some(e.to_string()),
    }
    point
}

/// Fetches and parses /metrics.
pub async fn scrape(url: &str) -> Result<Scrape, crate::LoadgenError> {
    let resp = http::get(url).await?;
    if resp.status != 200 {
        return Err(crate::LoadgenError::Http {
            url: url.to_owned(),
            message: format!("status {}", resp.status),
        });
    }
    Scrape::parse(&String::from_utf8_lossy(&resp.body))
}

/// Rates between two points, for the live line and the chart.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rates {
    /// Messages per second received by the swarm.
    pub msgs_in: f64,
    /// Messages per second sent by the swarm.
    pub msgs_out: f64,
    /// Bytes per second per connected bot, received.
    pub bytes_in_per_bot: f64,
    /// Bytes per second per connected bot, sent.
    pub bytes_out_per_bot: f64,
    /// Server tick p50 over the interval, milliseconds.
    pub tick_p50_ms: Option<f64>,
    /// Server tick p99 over the interval, milliseconds.
    pub tick_p99_ms: Option<f64>,
    /// Server CPU use over the interval, in cores.
    pub cpu_cores: Option<f64>,
}

impl Rates {
    /// The rates between `a` and a later `b`.
    pub fn between(a: &Point, b: &Point) -> Rates {
        let dt = (b.t - a.t).max(1e-6);
        let per_s = |x: u64, y: u64| y.saturating_sub(x) as f64 / dt;
        let bots = ((a.connected + b.connected) as f64 / 2.0).max(1.0);
        let window = match (&a.tick, &b.tick) {
            (Some(x), Some(y)) => Some(y.since(x)),
            (None, Some(y)) => Some(y.clone()),
            _ => None,
        };
        let ms = |q: f64| window.as_ref().and_then(|h| h.quantile(q)).map(|s| s * 1e3);
        Rates {
            msgs_in: per_s(a.msgs_in, b.msgs_in),
            msgs_out: per_s(a.msgs_out, b.msgs_out),
            bytes_in_per_bot: per_s(a.bytes_in, b.bytes_in) / bots,
            bytes_out_per_bot: per_s(a.bytes_out, b.bytes_out) / bots,
            tick_p50_ms: ms(0.5),
            tick_p99_ms: ms(0.99),
            cpu_cores: match (a.cpu_seconds, b.cpu_seconds) {
                (Some(x), Some(y)) => Some((y - x) / dt),
                _ => None,
            },
        }
    }
}
