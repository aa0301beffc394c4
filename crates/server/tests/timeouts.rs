//! Timers of a connection: the handshake must arrive in time, and a client that stops
//! answering pings is closed with a reason.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

mod common;

use std::time::{Duration, Instant};

use common::{GameClient, TestDb, TestServer, test_settings};
use protocol::{Auth, DisconnectReason, ErrorCode, ServerMessage};
use server::settings::Seconds;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_connection_gets_a_handshake_timeout() {
    let db = TestDb::sqlite("hs_timeout");
    let mut settings = test_settings(&db);
    settings.network.handshake_timeout = Seconds(Duration::from_millis(300));
    let srv = TestServer::start(settings, &db).await;
    let ws = GameClient::connect_raw(srv.ws, "").await;
    let mut c = GameClient {
        ws,
        json: false,
        view: protocol::ClientView::new(4),
        player: 0,
        resume_token: String::new(),
        session_id: String::new(),
        seq: 0,
        log: vec![],
    };
    let Some(ServerMessage::Error(e)) = c.recv().await else {
        panic!("{:?}", c.log)
    };
    assert_eq!(e.code, ErrorCode::HandshakeTimeout);
    let Some(ServerMessage::Disconnect(d)) = c.recv().await else {
        panic!("{:?}", c.log)
    };
    assert_eq!(d.reason, DisconnectReason::Timeout);
    assert!(c.recv().await.is_none());
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_does_not_answer_pings_is_closed() {
    let db = TestDb::sqlite("pong_timeout");
    let mut settings = test_settings(&db);
    settings.network.ping_interval = Seconds::secs(1);
    settings.network.pong_timeout = Seconds::secs(1);
    settings.network.inactivity_timeout = Seconds::secs(60);
    let srv = TestServer::start(settings, &db).await;
    let mut c = GameClient::join(srv.ws, Auth::Guest { name: None }, None, false).await;
    // The behaviour under test is a client that stops reading (so tungstenite never
    // answers the server's pings): it idles past ping_interval + pong_timeout.
    let started = Instant::now();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let mut reason = None;
    while let Some(m) = c.recv().await {
        if let ServerMessage::Disconnect(d) = m {
            reason = Some(d.reason);
        }
    }
    // The goodbye frame can be lost when the client's queued pong hits the closed
    // socket first; the close itself and its reason in the metrics are not.
    assert!(
        reason.is_none() || reason == Some(DisconnectReason::Timeout),
        "{reason:?} after {:?}",
        started.elapsed()
    );
    let metrics = common::http(srv.metrics, "GET", "/metrics", None, "")
        .await
        .body;
    assert!(
        metrics.contains(r#"game_disconnects_total{reason="timeout"} 1"#),
        "{metrics}"
    );
    srv.stop().await;
}
