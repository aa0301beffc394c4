//! The report's arithmetic over a timeline and bot outcomes: steady window, bandwidth
//! per client, RSS per connection, CPU, tick percentiles; and the files it writes.

use loadgen::counters::Counters;
use loadgen::report::RunInfo;
use loadgen::{BotOutcome, Histogram, Point, Report};

fn hist(counts: [f64; 4]) -> Histogram {
    // Cumulative over bounds 1 ms, 2 ms, 5 ms, +Inf.
    Histogram {
        buckets: vec![
            (0.001, counts[0]),
            (0.002, counts[1]),
            (0.005, counts[2]),
            (f64::INFINITY, counts[3]),
        ],
        sum: counts[3] * 0.0015,
        count: counts[3],
    }
}

fn point(t: f64, connected: u64, bytes_in: u64, tick: [f64; 4], cpu: f64, rss_mib: u64) -> Point {
    Point {
        t,
        connected,
        msgs_in: (t * 100.0) as u64,
        bytes_in,
        tick: Some(hist(tick)),
        overruns: Some(t.floor()),
        cpu_seconds: Some(cpu),
        rss_bytes: Some(rss_mib << 20),
        // The world grows by 1,000 entities a second; the frames kept peak at 3.5 s.
        entities: Some(4000.0 + 1000.0 * t),
        replication_frames: Some(if t == 3.5 { 9.0 } else { 4.0 }),
        replication_frame_bytes: Some(t * 1048576.0),
        ..Point::default()
    }
}

fn outcome(index: usize, secs: f64, bytes_in: u64) -> BotOutcome {
    BotOutcome {
        index,
        sessions: 1,
        connected_secs: secs,
        bytes_in,
        bytes_out: 1000,
        rtt_ms: vec![1.0, 2.0, 3.0],
        ..BotOutcome::default()
    }
}

fn report() -> Report {
    // Ramp to 100 bots in 2 s, then steady until 5 s. Ticks before the window are all
    // fast (≤ 1 ms); inside the window 20 ticks land in (2, 5] ms.
    let timeline = vec![
        point(0.0, 0, 0, [0.0, 0.0, 0.0, 0.0], 0.0, 100),
        point(1.0, 50, 1000, [20.0, 20.0, 20.0, 20.0], 0.2, 104),
        point(2.0, 100, 2000, [40.0, 40.0, 40.0, 40.0], 0.5, 108),
        point(3.5, 100, 3000, [40.0, 40.0, 60.0, 60.0], 1.1, 110),
        point(5.0, 100, 4000, [40.0, 40.0, 60.0, 60.0], 1.7, 110),
    ];
    let outcomes = vec![
        outcome(0, 4.0, 4000),
        outcome(1, 2.0, 4000),
        outcome(2, 0.5, 99_999), // too short to rate
        BotOutcome {
            index: 3,
            failures: 4,
            ..BotOutcome::default()
        },
    ];
    Report::build(
        RunInfo {
            label: "unit".into(),
            command: "loadgen --bots 4".into(),
            bots: 4,
            duration_s: 5.0,
            ramp_s: 2.0,
            churn: 0.0,
            pvp: "grudges".into(),
        },
        &outcomes,
        &Counters::default(),
        timeline,
    )
}

#[test]
fn bots_and_bandwidth() {
    let r = report();
    assert_eq!(
        (r.bots.connected, r.bots.failed, r.bots.connect_failures),
        (3, 1, 4)
    );
    assert_eq!(r.bots.peak_connected, 100);
    // Per-bot rates 1000 B/s and 2000 B/s; the 0.5 s bot is left out.
    let inbound = r.bytes_per_client_per_s.inbound.expect("rates");
    assert_eq!(
        (inbound.count, inbound.p50, inbound.max),
        (2, 1000.0, 2000.0)
    );
    let rtt = r.rtt_ms.expect("rtt");
    assert_eq!((rtt.count, rtt.p50, rtt.p99), (9, 2.0, 3.0));
}

#[test]
fn server_figures_cover_the_steady_window_only() {
    let r = report();
    assert_eq!(r.window_s, (2.0, 5.0));
    let s = r.server;
    assert_eq!(s.ticks, Some(20.0));
    // All 20 window ticks are in (2, 5] ms: p50 interpolates to 3.5 ms.
    assert!((s.tick_p50_ms.expect("p50") - 3.5).abs() < 1e-9);
    assert_eq!(s.tick_max_ms, Some(5.0));
    assert!(!s.tick_max_overflow);
    assert_eq!(s.overruns, Some(3.0));
    // 1.2 CPU seconds over 3 s.
    assert!((s.cpu_cores_mean.expect("cpu") - 0.4).abs() < 1e-9);
    assert!((s.cpu_cores_max.expect("cpu max") - 0.4).abs() < 1e-9);
    // The last of the busiest points (settled memory): 100 bots at 110 MiB over a
    // 100 MiB baseline → 102.4 KiB each.
    let per = s.rss_per_connection_bytes.expect("rss per connection");
    assert!((per - 10.0 * 1048576.0 / 100.0).abs() < 1e-6, "{per}");
    // The first point with 100 bots: 108 MiB → 81.92 KiB each.
    let arrived = s.rss_per_connection_arrived_bytes.expect("rss on arrival");
    assert!(
        (arrived - 8.0 * 1048576.0 / 100.0).abs() < 1e-6,
        "{arrived}"
    );
    // The world at the same two samples, and the frames kept.
    assert_eq!(
        (s.entities_arrived, s.entities_end),
        (Some(6000.0), Some(9000.0))
    );
    assert_eq!(s.replication_frames_peak, Some(9.0));
    assert_eq!(s.replication_frame_bytes_end, Some(5.0 * 1048576.0));
    // Window rates: 2000 bytes over 3 s among 100 bots.
    assert!((r.messages_per_s.inbound - 100.0).abs() < 1e-9);
}

#[test]
fn writes_json_markdown_and_chart() {
    let r = report();
    let dir = std::env::temp_dir().join(format!("loadgen-report-{}", std::process::id()));
    r.write(&dir).expect("writes");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(json["bots"]["connected"], 3);
    let md = std::fs::read_to_string(dir.join("report.md")).expect("markdown");
    assert!(md.contains("![tick time and bandwidth](chart.svg)"), "{md}");
    assert!(md.contains("| server tick p99 (ms) | ≤ 5 |"), "{md}");
    assert!(md.contains("churn 0.00, pvp grudges)"), "{md}");
    assert_eq!(json["pvp"], "grudges");
    assert!(
        md.contains("| world entities when they had just arrived / at the end | 6000 / 9000 |"),
        "{md}"
    );
    assert!(
        md.contains("| replication frames kept (peak) / their MiB at the end | 9 / 5.0 |"),
        "{md}"
    );
    let svg = std::fs::read_to_string(dir.join("chart.svg")).expect("svg");
    assert!(
        svg.starts_with("<svg") && svg.contains("server tick time"),
        "{}",
        &svg[..200.min(svg.len())]
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
