//! Parsing /metrics as the server's exporter (metrics-exporter-prometheus) writes it,
//! and estimating tick-time quantiles from its histogram buckets.

// Helpers outside #[test] functions may panic too: a broken fixture is a failed test.
#![allow(clippy::expect_used)]

use loadgen::{Histogram, Scrape};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};

const BUCKETS: &[f64] = &[0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1];

/// Renders what the real exporter prints after recording `ticks` tick times (seconds)
/// and a few other metrics of the server's shape.
fn exporter_text(ticks: &[f64], overruns: u64) -> String {
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full("game_tick_duration_seconds".into()), BUCKETS)
        .expect("valid buckets")
        .build_recorder();
    let handle = recorder.handle();
    metrics::with_local_recorder(&recorder, || {
        for &t in ticks {
            metrics::histogram!("game_tick_duration_seconds").record(t);
        }
        metrics::counter!("game_tick_overruns_total").increment(overruns);
        metrics::gauge!("game_connections").set(42.0);
        metrics::counter!("game_messages_total", "type" => "input").increment(7);
        metrics::counter!("game_messages_total", "type" => "chat").increment(3);
    });
    handle.render()
}

#[test]
fn parses_the_real_exporters_output() {
    let ticks: Vec<f64> = (0..1000).map(|i| 0.000505 + i as f64 * 0.00001).collect();
    let text = exporter_text(&ticks, 4);
    let scrape = Scrape::parse(&text).expect("exporter output parses");
    assert_eq!(scrape.total("game_tick_overruns_total"), Some(4.0));
    assert_eq!(scrape.total("game_connections"), Some(42.0));
    // Labelled counters are summed over their label sets.
    assert_eq!(scrape.total("game_messages_total"), Some(10.0));
    assert_eq!(scrape.total("no_such_metric"), None);

    let h = scrape
        .histogram("game_tick_duration_seconds")
        .expect("tick histogram present");
    assert_eq!(h.count, 1000.0);
    let expected_sum: f64 = ticks.iter().sum();
    assert!(
        (h.sum - expected_sum).abs() < 1e-6,
        "{} vs {expected_sum}",
        h.sum
    );
    // 0.505..=10.495 ms in 1000 even steps, none on a bucket bound: 50 ticks ≤ 1 ms,
    // 150 ≤ 2 ms, 450 ≤ 5 ms, 950 ≤ 10 ms, all ≤ 25 ms.
    let counts: Vec<f64> = h.buckets.iter().map(|b| b.1).collect();
    assert_eq!(
        counts,
        vec![50.0, 150.0, 450.0, 950.0, 1000.0, 1000.0, 1000.0, 1000.0]
    );
    assert!(h.buckets.last().is_some_and(|b| b.0.is_infinite()));
}

#[test]
fn quantiles_interpolate_within_buckets_like_promql() {
    let ticks: Vec<f64> = (0..1000).map(|i| 0.000505 + i as f64 * 0.00001).collect();
    let h = Scrape::parse(&exporter_text(&ticks, 0))
        .expect("parses")
        .histogram("game_tick_duration_seconds")
        .expect("histogram");
    // p50: rank 500 lies in (5 ms, 10 ms] holding ranks 451..=950:
    // 5 + 5·(500−450)/500 = 5.5 ms; the true median of the data is 5.5 ms too.
    let p50 = h.quantile(0.5).expect("p50");
    assert!((p50 - 0.0055).abs() < 1e-9, "p50 {p50}");
    // p99: rank 990 in (10 ms, 25 ms] holding 50 ticks: 10 + 15·40/50 = 22 ms
    // (the bucket is wide, so the estimate is well above the true 10.4 ms).
    let p99 = h.quantile(0.99).expect("p99");
    assert!((p99 - 0.022).abs() < 1e-9, "p99 {p99}");
    assert_eq!(h.max_bound(), Some(0.025));
    assert!(h.quantile(1.5).is_none());
}

#[test]
fn a_window_between_two_scrapes_holds_only_the_new_ticks() {
    let early: Vec<f64> = vec![0.0015; 100];
    let mut all = early.clone();
    all.extend(vec![0.03; 10]);
    let first = Scrape::parse(&exporter_text(&early, 0))
        .expect("parses")
        .histogram("game_tick_duration_seconds")
        .expect("histogram");
    let second = Scrape::parse(&exporter_text(&all, 2))
        .expect("parses")
        .histogram("game_tick_duration_seconds")
        .expect("histogram");
    let window = second.since(&first);
    assert_eq!(window.count, 10.0);
    assert!((window.sum - 0.3).abs() < 1e-9);
    // Every tick of the window is in (25 ms, 50 ms].
    let p50 = window.quantile(0.5).expect("p50");
    assert!((0.025..=0.05).contains(&p50), "{p50}");
    assert_eq!(window.max_bound(), Some(0.05));
    // A restarted server (counts went down) is not subtracted into negatives.
    assert_eq!(first.since(&second), first);
}

#[test]
fn overflow_beyond_the_last_finite_bucket_reports_that_bound() {
    let h = Histogram {
        buckets: vec![(0.005, 0.0), (0.01, 0.0), (f64::INFINITY, 4.0)],
        sum: 1.0,
        count: 4.0,
    };
    assert_eq!(h.quantile(0.99), Some(0.01));
    assert_eq!(h.max_bound(), Some(f64::INFINITY));
    assert_eq!(Histogram::default().quantile(0.5), None);
    assert_eq!(Histogram::default().mean(), None);
}

#[test]
fn summaries_and_odd_lines_parse() {
    let text = "# HELP x a summary\n# TYPE x summary\n\
                x{quantile=\"0.5\"} 0.001\nx{quantile=\"0.99\"} 0.004\nx_sum 1\nx_count 9\n\
                esc{path=\"a\\\"b\\\\c\",k=\"v\"} +Inf 1700000000000\n\n";
    let s = Scrape::parse(text).expect("parses");
    assert_eq!(s.summary_quantile("x", 0.99), Some(0.004));
    assert_eq!(s.summary_quantile("x", 0.9), None);
    let esc = s.samples.iter().find(|s| s.name == "esc").expect("esc");
    assert_eq!(esc.label("path"), Some("a\"b\\c"));
    assert_eq!(esc.label("k"), Some("v"));
    assert!(esc.value.is_infinite());
}

#[test]
fn malformed_lines_are_errors_naming_the_line() {
    for (text, needle) in [
        ("ok 1\nbroken\n", "line 2"),
        ("m{a=\"1 3\n", "not closed"),
        ("m{a=1} 3\n", "not quoted"),
        ("m{a} 3\n", "without '='"),
        ("m abc\n", "bad value"),
        ("bad-name 1\n", "bad metric name"),
    ] {
        let err = Scrape::parse(text).expect_err(text).to_string();
        assert!(err.contains(needle), "{text:?}: {err}");
    }
}
