//! The human-readable report.

use std::fmt::Write;

use super::Report;
use crate::percentile::Summary;

/// The targets of issue #8, checked in every report so a run says plainly whether it
/// met them: (what, limit, measured value, lower is better).
fn targets(r: &Report) -> Vec<(&'static str, String, Option<f64>, f64)> {
    vec![
        (
            "server tick p99 (ms)",
            "≤ 5".into(),
            r.server.tick_p99_ms,
            5.0,
        ),
        (
            "unexpected disconnects",
            "0".into(),
            Some(r.bots.dropped as f64),
            0.0,
        ),
        (
            "server CPU, mean (cores)",
            "≤ 1".into(),
            r.server.cpu_cores_mean,
            1.0,
        ),
        (
            "bytes/s per client in, median (KiB/s)",
            "≤ 6".into(),
            r.bytes_per_client_per_s.inbound.map(|s| s.p50 / 1024.0),
            6.0,
        ),
        (
            "RSS per connection (KiB)",
            "≤ 16".into(),
            r.server.rss_per_connection_bytes.map(|b| b / 1024.0),
            16.0,
        ),
    ]
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.digits$}"))
}

fn summary_row(out: &mut String, name: &str, s: Option<Summary>, scale: f64, digits: usize) {
    let _ = match s {
        Some(s) => writeln!(
            out,
            "| {name} | {:.digits$} | {:.digits$} | {:.digits$} | {:.digits$} | {:.digits$} | {} |",
            s.p50 / scale,
            s.p95 / scale,
            s.p99 / scale,
            s.max / scale,
            s.mean / scale,
            s.count
        ),
        None => writeln!(out, "| {name} | n/a | n/a | n/a | n/a | n/a | 0 |"),
    };
}

/// Renders `report.md`, linking the chart at `chart_file` (relative to the report).
pub fn render_markdown(r: &Report, chart_file: &str) -> String {
    let mut o = String::new();
    let title = if r.label.is_empty() {
        format!("{} bots", r.bots_requested)
    } else {
        r.label.clone()
    };
    let _ = writeln!(o, "# Load test: {title}\n");
    let _ = writeln!(o, "Command: `{}`\n", r.command);
    let _ = writeln!(
        o,
        "{} bots for {:.0} s (ramp {:.0} s, churn {:.2}, pvp {}); steady window {:.0}–{:.0} s.\n",
        r.bots_requested, r.duration_s, r.ramp_s, r.churn, r.pvp, r.window_s.0, r.window_s.1
    );

    let _ = writeln!(
        o,
        "## Targets\n\n| what | target | measured | |\n|---|---|---|---|"
    );
    for (what, target, measured, limit) in targets(r) {
        let verdict = match measured {
            Some(v) if v <= limit => "met".to_owned(),
            Some(v) if limit > 0.0 => format!("missed by {:.0} %", (v / limit - 1.0) * 100.0),
            Some(_) => "missed".to_owned(),
            None => "not measured".to_owned(),
        };
        let _ = writeln!(
            o,
            "| {what} | {target} | {} | {verdict} |",
            opt(measured, 2)
        );
    }

    let b = &r.bots;
    let _ = writeln!(o, "\n## Bots\n\n| | |\n|---|---|");
    let _ = writeln!(
        o,
        "| connected (at least once) | {} of {} |",
        b.connected, r.bots_requested
    );
    let _ = writeln!(o, "| never connected | {} |", b.failed);
    let _ = writeln!(o, "| peak connected at once | {} |", b.peak_connected);
    let _ = writeln!(
        o,
        "| unexpected disconnects | {} ({} bots) |",
        b.dropped, b.bots_dropped
    );
    let _ = writeln!(o, "| sessions (incl. reconnects) | {} |", b.sessions);
    let _ = writeln!(o, "| churn leaves | {} |", b.churn_leaves);
    let _ = writeln!(o, "| failed connection attempts | {} |", b.connect_failures);
    let _ = writeln!(o, "| protocol errors | {} |", r.errors.protocol);
    let _ = writeln!(o, "| server error messages | {} |", r.errors.server);
    let _ = writeln!(
        o,
        "| game rejections (expected) | {} |",
        r.errors.rejections
    );
    let _ = writeln!(
        o,
        "| messages/s in / out (swarm) | {:.0} / {:.0} |",
        r.messages_per_s.inbound, r.messages_per_s.outbound
    );

    let a = &r.activity;
    let _ = writeln!(o, "\n## What the bots did\n\n| | |\n|---|---|");
    for (what, n) in [
        (
            "snapshots / deltas received",
            format!("{} / {}", a.snapshots, a.deltas),
        ),
        ("private-state updates", a.private_updates.to_string()),
        ("bytes in: world / events / private / rest", byte_shares(a)),
        (
            "distance moved per bot, median (u)",
            format!("{:.0}", a.median_distance),
        ),
        ("resources gathered (events)", a.gathered.to_string()),
        ("hits dealt", a.hits_dealt.to_string()),
        (
            "crafts requested / started / finished",
            format!(
                "{} / {} / {}",
                a.crafts_requested, a.crafts_started, a.crafted
            ),
        ),
        (
            "structures placed (requested)",
            a.builds_requested.to_string(),
        ),
        (
            "chat lines sent / heard",
            format!("{} / {}", a.chats_sent, a.chat_heard),
        ),
        ("deaths seen", a.deaths_seen.to_string()),
        (
            "the bots' own deaths / dealt by players",
            format!("{} / {}", a.own_deaths, a.own_deaths_by_players),
        ),
    ] {
        let _ = writeln!(o, "| {what} | {n} |");
    }

    let s = &r.server;
    let _ = writeln!(o, "\n## Server\n\n| | |\n|---|---|");
    let health = match r.server_healthy_after {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "not checked",
    };
    let _ = writeln!(o, "| /health OK after the run | {health} |");
    let _ = writeln!(o, "| ticks in window | {} |", opt(s.ticks, 0));
    let _ = writeln!(
        o,
        "| tick p50 / p95 / p99 (ms) | {} / {} / {} |",
        opt(s.tick_p50_ms, 3),
        opt(s.tick_p95_ms, 3),
        opt(s.tick_p99_ms, 3)
    );
    let _ = writeln!(
        o,
        "| tick max, bucket bound (ms) | {} {} |",
        if s.tick_max_overflow { ">" } else { "≤" },
        opt(s.tick_max_ms, 3)
    );
    let _ = writeln!(o, "| tick mean (ms) | {} |", opt(s.tick_mean_ms, 3));
    let _ = writeln!(o, "| tick overruns | {} |", opt(s.overruns, 0));
    let _ = writeln!(
        o,
        "| CPU mean / max (cores) | {} / {} |",
        opt(s.cpu_cores_mean, 2),
        opt(s.cpu_cores_max, 2)
    );
    let _ = writeln!(
        o,
        "| loadgen's own CPU, mean (cores) | {} |",
        opt(s.loadgen_cpu_cores_mean, 2)
    );
    let mib = |v: Option<u64>| opt(v.map(|b| b as f64 / 1048576.0), 1);
    let _ = writeln!(
        o,
        "| RSS baseline / peak (MiB) | {} / {} |",
        mib(s.rss_baseline_bytes),
        mib(s.rss_peak_bytes)
    );
    let _ = writeln!(
        o,
        "| RSS per connection (KiB) | {} |",
        opt(s.rss_per_connection_bytes.map(|b| b / 1024.0), 1)
    );
    let _ = writeln!(
        o,
        "| RSS per connection when they had just arrived (KiB) | {} |",
        opt(s.rss_per_connection_arrived_bytes.map(|b| b / 1024.0), 1)
    );
    let _ = writeln!(
        o,
        "| world entities when they had just arrived / at the end | {} / {} |",
        opt(s.entities_arrived, 0),
        opt(s.entities_end, 0)
    );
    let _ = writeln!(
        o,
        "| replication frames kept (peak) / their MiB at the end | {} / {} |",
        opt(s.replication_frames_peak, 0),
        opt(s.replication_frame_bytes_end.map(|b| b / 1048576.0), 1)
    );
    let _ = writeln!(
        o,
        "| connections reported by server (peak) | {} |",
        opt(s.peak_server_connections, 0)
    );

    let _ = writeln!(
        o,
        "\n## Per client (measured by each bot)\n\n| | p50 | p95 | p99 | max | mean | n |\n|---|---|---|---|---|---|---|"
    );
    summary_row(
        &mut o,
        "in (KiB/s)",
        r.bytes_per_client_per_s.inbound,
        1024.0,
        2,
    );
    summary_row(
        &mut o,
        "out (KiB/s)",
        r.bytes_per_client_per_s.outbound,
        1024.0,
        2,
    );
    summary_row(&mut o, "ping RTT (ms)", r.rtt_ms, 1.0, 2);

    let _ = writeln!(
        o,
        "\n## Over time\n\n![tick time and bandwidth]({chart_file})"
    );
    o
}

/// Shares of the received bytes by kind of message, e.g. `71 % / 20 % / 6 % / 3 %`.
fn byte_shares(a: &super::Activity) -> String {
    if a.bytes_in == 0 {
        return "n/a".into();
    }
    let pct = |n: u64| 100.0 * n as f64 / a.bytes_in as f64;
    let rest = a
        .bytes_in
        .saturating_sub(a.bytes_world + a.bytes_events + a.bytes_private);
    format!(
        "{:.0} % / {:.0} % / {:.0} % / {:.0} %",
        pct(a.bytes_world),
        pct(a.bytes_events),
        pct(a.bytes_private),
        pct(rest)
    )
}
