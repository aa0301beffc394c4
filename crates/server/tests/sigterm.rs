//! SIGTERM on the real `server` binary: clients are told, everyone is saved to
//! PostgreSQL, and the process exits 0.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{GameClient, TestDb, register, token_auth};
use persistence::AccountId;
use protocol::{DisconnectReason, Input, ServerMessage};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_tells_clients_saves_everyone_and_exits_zero() {
    let db = TestDb::postgres("sigterm");
    let dir = std::env::temp_dir().join(format!("kindling-sigterm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(&dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("KINDLING_CONFIG_DIR", &dir)
        .env("DATABASE_URL", db.url())
        .env("SERVER_HOST", "127.0.0.1")
        .env("SERVER_PORT", "0")
        .env("SERVER_WS_PORT", "0")
        .env("METRICS_ADDR", "127.0.0.1:0")
        .env("SERVER_ENV", "production")
        .env("JWT_SECRET", common::SECRET)
        .env("LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();

    // The addresses come from the "server ready" log line.
    let stdout = child.stdout.take().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let (http, ws) = loop {
        let line = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .unwrap()
            .expect("server exited early");
        lines.push(line.clone());
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if v["fields"]["message"] == "server ready" {
            let addr = |k: &str| {
                v["fields"][k]
                    .as_str()
                    .unwrap()
                    .parse::<SocketAddr>()
                    .unwrap()
            };
            break (addr("http_addr"), addr("ws_addr"));
        }
    };

    let mut tokens = Vec::new();
    let mut clients = Vec::new();
    for name in ["frank", "grace"] {
        let token = register(http, name).await;
        tokens.push(token.clone());
        let id = common::http(http, "GET", "/api/v1/me", Some(&token), "")
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let mut c = GameClient::join(ws, token_auth(&token), None, false).await;
        for _ in 0..5 {
            c.input(Input {
                move_x: 127,
                ..Input::default()
            })
            .await;
            c.until(|m| matches!(m, ServerMessage::Snapshot(_) | ServerMessage::Delta(_)))
                .await;
        }
        clients.push((id, c));
    }

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for (_, c) in clients.iter_mut() {
        let bye = c.until(|m| matches!(m, ServerMessage::Disconnect(_))).await;
        let ServerMessage::Disconnect(d) = bye else {
            unreachable!()
        };
        assert_eq!(d.reason, DisconnectReason::ServerShutdown);
    }
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "exit status {exit:?}");

    // The log (flushed by now) has the shutdown story and no secrets.
    // The reader thread ends at the child's EOF, which closes the channel.
    while let Some(line) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
    {
        lines.push(line);
    }
    let log = lines.join("\n");
    assert!(log.contains("everyone saved"), "{log}");
    assert!(
        !log.contains(common::SECRET),
        "the JWT secret leaked into the log"
    );
    for t in &tokens {
        assert!(!log.contains(t.as_str()), "a token leaked into the log");
    }

    let database = db.connect().await;
    for (id, _) in &clients {
        let p = database.progress().load(AccountId(*id)).await.unwrap();
        assert!(
            p.and_then(|p| p.position).is_some(),
            "account {id} was not saved"
        );
    }
    database.close();
    let _ = std::fs::remove_dir_all(&dir);
}
