//! The run's report: numbers computed from the bots' outcomes and the sampler's
//! timeline, written as `report.json`, `report.md` and `chart.svg`.

mod chart;
mod markdown;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::LoadgenError;
use crate::counters::Counters;
use crate::outcome::BotOutcome;
use crate::percentile::Summary;
use crate::sampler::{Point, Rates};

pub use chart::write_chart;
pub use markdown::render_markdown;

/// Everything the report says, as written to `report.json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Report {
    /// The run's label (`--label`).
    pub label: String,
    /// The command line that produced it.
    pub command: String,
    /// Bots asked for.
    pub bots_requested: usize,
    /// Run length in seconds, as asked.
    pub duration_s: f64,
    /// Ramp in seconds.
    pub ramp_s: f64,
    /// Churn fraction.
    pub churn: f64,
    /// How the bots fought each other (`--pvp`).
    #[serde(default)]
    pub pvp: String,
    /// The steady-state window (after the ramp) that the rates and tick figures cover.
    pub window_s: (f64, f64),
    /// Connection outcomes.
    pub bots: BotTotals,
    /// Errors seen.
    pub errors: ErrorTotals,
    /// What the bots did and saw, over the whole run.
    pub activity: Activity,
    /// Message rates of the whole swarm in the window.
    pub messages_per_s: InOut,
    /// Bytes per second per client, measured by each bot over its connected time.
    pub bytes_per_client_per_s: InOutSummary,
    /// Ping round trips in milliseconds, all bots together.
    pub rtt_ms: Option<Summary>,
    /// The server as seen through /metrics and /proc.
    pub server: ServerFigures,
    /// Whether the server's /health answered 200 after the run.
    pub server_healthy_after: Option<bool>,
    /// Per-second samples of the run.
    pub timeline: Vec<Point>,
}

/// How the bots fared.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct BotTotals {
    /// Bots that completed at least one handshake.
    pub connected: usize,
    /// Bots that never got in.
    pub failed: usize,
    /// Unexpected disconnects (all bots, all sessions).
    pub dropped: u64,
    /// Bots that saw at least one unexpected disconnect.
    pub bots_dropped: usize,
    /// Handshakes in total (first connections + reconnects).
    pub sessions: u64,
    /// Deliberate leaves by churning bots.
    pub churn_leaves: u64,
    /// Failed connection attempts (retried).
    pub connect_failures: u64,
    /// Most bots connected at once (from the timeline).
    pub peak_connected: u64,
}

/// Errors, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ErrorTotals {
    /// Undecodable frames or messages out of protocol.
    pub protocol: u64,
    /// Error messages from the server.
    pub server: u64,
    /// Game rejections (expected while playing; informative only).
    pub rejections: u64,
}

/// Game activity, from the bots' inputs and the events the server sent them.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Activity {
    /// Full snapshots received.
    pub snapshots: u64,
    /// Deltas received.
    pub deltas: u64,
    /// Private-state updates received.
    pub private_updates: u64,
    /// Chat lines sent.
    pub chats_sent: u64,
    /// Chat lines heard (one line reaches every bot in range).
    pub chat_heard: u64,
    /// Crafts requested.
    pub crafts_requested: u64,
    /// Crafts the game started.
    pub crafts_started: u64,
    /// Crafts finished.
    pub crafted: u64,
    /// Structures the bots tried to place.
    pub builds_requested: u64,
    /// Gathering events.
    pub gathered: u64,
    /// Hits the bots dealt.
    pub hits_dealt: u64,
    /// Deaths seen.
    pub deaths_seen: u64,
    /// The bots' own deaths.
    #[serde(default)]
    pub own_deaths: u64,
    /// Those of them dealt by a player.
    #[serde(default)]
    pub own_deaths_by_players: u64,
    /// Median distance a bot's entity moved over the run, in world units.
    pub median_distance: f64,
    /// Received payload bytes in snapshots and deltas, whole run.
    #[serde(default)]
    pub bytes_world: u64,
    /// Received payload bytes in event messages, whole run.
    #[serde(default)]
    pub bytes_events: u64,
    /// Received payload bytes in private-state messages, whole run.
    #[serde(default)]
    pub bytes_private: u64,
    /// All received payload bytes, whole run.
    #[serde(default)]
    pub bytes_in: u64,
}

/// A pair of rates.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct InOut {
    /// Toward the bots.
    #[serde(rename = "in")]
    pub inbound: f64,
    /// From the bots.
    #[serde(rename = "out")]
    pub outbound: f64,
}

/// A pair of distributions over bots.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct InOutSummary {
    /// Received by the bots (server → client).
    #[serde(rename = "in")]
    pub inbound: Option<Summary>,
    /// Sent by the bots (client → server).
    #[serde(rename = "out")]
    pub outbound: Option<Summary>,
}

/// Server-side figures.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ServerFigures {
    /// Ticks observed in the window.
    pub ticks: Option<f64>,
    /// Tick time percentiles in milliseconds (bucket-interpolated).
    pub tick_p50_ms: Option<f64>,
    /// 95th percentile.
    pub tick_p95_ms: Option<f64>,
    /// 99th percentile.
    pub tick_p99_ms: Option<f64>,
    /// Upper bound of the highest non-empty bucket: the slowest tick was at most this.
    pub tick_max_ms: Option<f64>,
    /// Some tick took longer than the largest finite bucket (`tick_max_ms` is then a
    /// lower bound).
    pub tick_max_overflow: bool,
    /// Mean tick time.
    pub tick_mean_ms: Option<f64>,
    /// Tick overruns in the window.
    pub overruns: Option<f64>,
    /// Mean CPU use in the window, in cores.
    pub cpu_cores_mean: Option<f64>,
    /// Highest one-second CPU use, in cores.
    pub cpu_cores_max: Option<f64>,
    /// RSS before the first bot.
    pub rss_baseline_bytes: Option<u64>,
    /// Mean CPU use of the load generator itself in the window, in cores.
    pub loadgen_cpu_cores_mean: Option<f64>,
    /// Highest RSS seen.
    pub rss_peak_bytes: Option<u64>,
    /// (RSS with the most bots connected − baseline) / those bots, at the last such
    /// sample: what the connections cost after playing (the world they built included).
    pub rss_per_connection_bytes: Option<f64>,
    /// The same at the first sample with that many bots: what the connections cost as
    /// they arrive, before the bots have changed the world much.
    #[serde(default)]
    pub rss_per_connection_arrived_bytes: Option<f64>,
    /// Connections the server reported at most.
    pub peak_server_connections: Option<f64>,
    /// Entities in the world at the samples of the two RSS figures: when the bots had
    /// just arrived, and at the end. The growth between them is in the RSS too.
    #[serde(default)]
    pub entities_arrived: Option<f64>,
    /// See [`ServerFigures::entities_arrived`].
    #[serde(default)]
    pub entities_end: Option<f64>,
    /// Captured ticks kept for the connections, at most, and the bytes they held at
    /// the end (part of the RSS shared by all connections).
    #[serde(default)]
    pub replication_frames_peak: Option<f64>,
    /// See [`ServerFigures::replication_frames_peak`].
    #[serde(default)]
    pub replication_frame_bytes_end: Option<f64>,
}

/// Inputs of [`Report::build`] besides the measurements.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    /// `--label`.
    pub label: String,
    /// The command line.
    pub command: String,
    /// `--bots`.
    pub bots: usize,
    /// `--duration`.
    pub duration_s: f64,
    /// `--ramp`.
    pub ramp_s: f64,
    /// `--churn`.
    pub churn: f64,
    /// `--pvp`.
    pub pvp: String,
}

impl Report {
    /// Computes the report. The steady window starts at the first sample taken after
    /// the ramp (or the first sample when the run never leaves the ramp).
    pub fn build(
        info: RunInfo,
        outcomes: &[BotOutcome],
        counters: &Counters,
        timeline: Vec<Point>,
    ) -> Report {
        let first = timeline
            .iter()
            .position(|p| p.t >= info.ramp_s)
            .filter(|&i| i + 1 < timeline.len())
            .unwrap_or(0);
        let window = &timeline[first.min(timeline.len())..];
        let (start, end) = (window.first(), window.last());

        let bots = BotTotals {
            connected: outcomes.iter().filter(|o| o.sessions > 0).count(),
            failed: outcomes.iter().filter(|o| o.sessions == 0).count(),
            dropped: outcomes.iter().map(|o| u64::from(o.drops)).sum(),
            bots_dropped: outcomes.iter().filter(|o| o.drops > 0).count(),
            sessions: outcomes.iter().map(|o| u64::from(o.sessions)).sum(),
            churn_leaves: Counters::get(&counters.churn_leaves),
            connect_failures: outcomes.iter().map(|o| u64::from(o.failures)).sum(),
            peak_connected: timeline.iter().map(|p| p.connected).max().unwrap_or(0),
        };
        let errors = ErrorTotals {
            protocol: Counters::get(&counters.protocol_errors),
            server: Counters::get(&counters.server_errors),
            rejections: Counters::get(&counters.rejections),
        };
        let g = |x: &std::sync::atomic::AtomicU64| Counters::get(x);
        let activity = Activity {
            snapshots: g(&counters.snapshots),
            deltas: g(&counters.deltas),
            bytes_world: g(&counters.bytes_world),
            bytes_events: g(&counters.bytes_events),
            bytes_private: g(&counters.bytes_private),
            bytes_in: g(&counters.bytes_in),
            private_updates: g(&counters.private_updates),
            chats_sent: g(&counters.chats),
            chat_heard: g(&counters.chat_heard),
            crafts_requested: g(&counters.crafts),
            crafts_started: g(&counters.crafts_started),
            crafted: g(&counters.crafted),
            builds_requested: g(&counters.builds),
            gathered: g(&counters.gathered),
            hits_dealt: g(&counters.hits_dealt),
            deaths_seen: g(&counters.deaths_seen),
            own_deaths: g(&counters.own_deaths),
            own_deaths_by_players: g(&counters.own_deaths_by_players),
            median_distance: Summary::of(&outcomes.iter().map(|o| o.distance).collect::<Vec<_>>())
                .map_or(0.0, |s| s.p50),
        };
        let rates = match (start, end) {
            (Some(a), Some(b)) if b.t > a.t => Rates::between(a, b),
            _ => Rates::default(),
        };
        let in_rates: Vec<f64> = outcomes.iter().filter_map(BotOutcome::in_rate).collect();
        let out_rates: Vec<f64> = outcomes.iter().filter_map(BotOutcome::out_rate).collect();
        let rtts: Vec<f64> = outcomes
            .iter()
            .flat_map(|o| o.rtt_ms.iter().copied())
            .collect();

        Report {
            label: info.label,
            command: info.command,
            bots_requested: info.bots,
            duration_s: info.duration_s,
            ramp_s: info.ramp_s,
            churn: info.churn,
            pvp: info.pvp,
            window_s: (start.map_or(0.0, |p| p.t), end.map_or(0.0, |p| p.t)),
            bots,
            errors,
            activity,
            messages_per_s: InOut {
                inbound: rates.msgs_in,
                outbound: rates.msgs_out,
            },
            bytes_per_client_per_s: InOutSummary {
                inbound: Summary::of(&in_rates),
                outbound: Summary::of(&out_rates),
            },
            rtt_ms: Summary::of(&rtts),
            server: server_figures(&timeline, window),
            server_healthy_after: None,
            timeline,
        }
    }

    /// Writes `report.json`, `report.md` and `chart.svg` into `dir` (created if needed).
    pub fn write(&self, dir: &Path) -> Result<(), LoadgenError> {
        let err = |path: &Path, e: &dyn std::fmt::Display| LoadgenError::Report {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(|e| err(dir, &e))?;
        let json_path = dir.join("report.json");
        let json = serde_json::to_string_pretty(self).map_err(|e| err(&json_path, &e))?;
        std::fs::write(&json_path, json).map_err(|e| err(&json_path, &e))?;
        let chart_path = dir.join("chart.svg");
        write_chart(self, &chart_path)?;
        let md_path = dir.join("report.md");
        std::fs::write(&md_path, render_markdown(self, "chart.svg"))
            .map_err(|e| err(&md_path, &e))?;
        Ok(())
    }
}

fn server_figures(timeline: &[Point], window: &[Point]) -> ServerFigures {
    let mut f = ServerFigures::default();
    let (Some(a), Some(b)) = (window.first(), window.last()) else {
        return f;
    };
    if let Some(h) = &b.tick {
        let h = match &a.tick {
            Some(earlier) if b.t > a.t => h.since(earlier),
            _ => h.clone(),
        };
        let ms = |v: Option<f64>| v.map(|s| s * 1e3);
        f.ticks = Some(h.count);
        f.tick_p50_ms = ms(h.quantile(0.50));
        f.tick_p95_ms = ms(h.quantile(0.95));
        f.tick_p99_ms = ms(h.quantile(0.99));
        // A tick slower than the last finite bucket is reported as that bound, flagged.
        f.tick_max_overflow = h.max_bound().is_some_and(f64::is_infinite);
        f.tick_max_ms = ms(h.max_bound().filter(|b| b.is_finite()).or_else(|| {
            h.buckets
                .iter()
                .map(|b| b.0)
                .filter(|b| b.is_finite())
                .max_by(f64::total_cmp)
        }));
        f.tick_mean_ms = ms(h.mean());
    }
    f.overruns = match (a.overruns, b.overruns) {
        (Some(x), Some(y)) if b.t > a.t => Some(y - x),
        (_, y) => y,
    };
    if let (Some(x), Some(y)) = (a.cpu_seconds, b.cpu_seconds)
        && b.t > a.t
    {
        f.cpu_cores_mean = Some((y - x) / (b.t - a.t));
    }
    if let (Some(x), Some(y)) = (a.loadgen_cpu_seconds, b.loadgen_cpu_seconds)
        && b.t > a.t
    {
        f.loadgen_cpu_cores_mean = Some((y - x) / (b.t - a.t));
    }
    f.cpu_cores_max = window
        .windows(2)
        // CPU time is accounted in 10 ms ticks: short intervals exaggerate.
        .filter(|w| w[1].t - w[0].t >= 0.5)
        .filter_map(|w| Rates::between(&w[0], &w[1]).cpu_cores)
        .max_by(f64::total_cmp);
    f.rss_baseline_bytes = timeline.first().and_then(|p| p.rss_bytes);
    f.rss_peak_bytes = timeline.iter().filter_map(|p| p.rss_bytes).max();
    // `max_by_key` keeps the last of equal maxima: the most settled reading at full load.
    let busiest = timeline
        .iter()
        .filter(|p| p.rss_bytes.is_some())
        .max_by_key(|p| p.connected);
    let per_connection = |p: &Point| {
        let (base, rss) = (f.rss_baseline_bytes?, p.rss_bytes?);
        (p.connected > 0).then(|| (rss as f64 - base as f64) / p.connected as f64)
    };
    f.rss_per_connection_bytes = busiest.and_then(per_connection);
    let arrived = busiest.and_then(|most| {
        timeline
            .iter()
            .find(|p| p.rss_bytes.is_some() && p.connected == most.connected)
    });
    f.rss_per_connection_arrived_bytes = arrived.and_then(per_connection);
    f.entities_arrived = arrived.and_then(|p| p.entities);
    f.entities_end = busiest.and_then(|p| p.entities);
    f.replication_frame_bytes_end = busiest.and_then(|p| p.replication_frame_bytes);
    f.replication_frames_peak = timeline
        .iter()
        .filter_map(|p| p.replication_frames)
        .max_by(f64::total_cmp);
    f.peak_server_connections = timeline
        .iter()
        .filter_map(|p| p.server_connections)
        .max_by(f64::total_cmp);
    f
}
