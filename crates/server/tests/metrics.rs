//! `/metrics` on a live server: the seed's names with sane values. In a test binary of
//! its own because the metrics recorder is process-wide.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

mod common;

use common::{GameClient, TestDb, TestServer, http, test_settings};
use protocol::{Auth, Input, ServerMessage};

/// The value of an unlabelled sample `name` in Prometheus text.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_expose_the_seeds_names_with_sane_values() {
    let db = TestDb::sqlite("metrics");
    let srv = TestServer::start(test_settings(&db), &db).await;
    let mut c = GameClient::join(srv.ws, Auth::Guest { name: None }, None, false).await;
    for _ in 0..5 {
        c.input(Input {
            move_x: 50,
            ..Input::default()
        })
        .await;
        c.until(|m| matches!(m, ServerMessage::Snapshot(_) | ServerMessage::Delta(_)))
            .await;
    }
    assert_eq!(
        http(srv.http, "GET", "/api/v1/nothing-here", None, "")
            .await
            .status,
        404
    );

    let text = http(srv.metrics, "GET", "/metrics", None, "").await.body;
    for name in [
        "game_players_online",
        "game_tick_duration_seconds_bucket",
        "game_tick_duration_seconds_count",
        "game_network_bytes_received",
        "game_network_bytes_sent",
        "game_connections",
        "game_messages_total",
        "game_rate_limited_total",
        "game_tick_overruns_total",
        "game_entities",
        "game_db_save_failures_total",
    ] {
        assert!(text.contains(name), "{name} missing from /metrics:\n{text}");
    }
    assert!(
        text.contains("# HELP game_tick_duration_seconds Wall time of one simulation tick"),
        "{text}"
    );
    assert_eq!(sample(&text, "game_players_online"), Some(1.0), "{text}");
    assert_eq!(sample(&text, "game_connections"), Some(1.0), "{text}");
    assert!(sample(&text, "game_tick_duration_seconds_count").unwrap() >= 5.0);
    let sum = sample(&text, "game_tick_duration_seconds_sum").unwrap();
    let count = sample(&text, "game_tick_duration_seconds_count").unwrap();
    assert!(
        sum / count < 0.05,
        "mean tick {} s is longer than the 50 ms interval",
        sum / count
    );
    assert!(sample(&text, "game_network_bytes_received").unwrap() > 0.0);
    assert!(
        sample(&text, "game_network_bytes_sent").unwrap()
            > sample(&text, "game_network_bytes_received").unwrap()
    );
    assert!(
        text.contains(r#"game_messages_total{type="in_input"}"#),
        "{text}"
    );
    assert!(
        text.contains(r#"game_http_requests_total{status="4xx"}"#),
        "{text}"
    );
    assert_eq!(sample(&text, "game_db_save_failures_total"), Some(0.0));
    drop(c);
    srv.stop().await;
}
