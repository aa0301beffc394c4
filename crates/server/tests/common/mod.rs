//! Test fixtures: a database of its own per test (PostgreSQL or SQLite), a server on
//! 127.0.0.1 port 0 running in-process, a raw HTTP client and a WebSocket game client.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use futures_util::{SinkExt, StreamExt};
use persistence::{Database, DatabaseConfig, DatabaseTarget};
use protocol::{
    Auth, ClientMessage, ClientView, DecodeLimits, EncodeOptions, Handshake, Input, ServerMessage,
};
use server::app::{self, Listeners};
use server::settings::{Environment, Secret, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::{Bytes, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The PostgreSQL admin URL for tests (TEST_DATABASE_URL, else the local server).
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "ks_{prefix}_{}_{nanos}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A database for one test, dropped afterwards.
pub enum TestDb {
    /// A fresh PostgreSQL database.
    Postgres { name: String, url: String },
    /// A SQLite file in a fresh directory.
    Sqlite { dir: PathBuf },
}

impl TestDb {
    pub fn postgres(prefix: &str) -> Self {
        let admin = admin_url();
        let name = unique(prefix);
        let mut conn = PgConnection::establish(&admin).unwrap_or_else(|e| {
            panic!("PostgreSQL tests need a server at {admin} (set TEST_DATABASE_URL): {e}")
        });
        conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .unwrap();
        let (scheme, rest) = admin.split_once("://").unwrap();
        let host = rest.split('/').next().unwrap();
        let url = format!("{scheme}://{host}/{name}");
        Self::Postgres { name, url }
    }

    pub fn sqlite(prefix: &str) -> Self {
        let dir = std::env::temp_dir().join(unique(prefix));
        std::fs::create_dir_all(&dir).unwrap();
        Self::Sqlite { dir }
    }

    pub fn url(&self) -> String {
        match self {
            Self::Postgres { url, .. } => url.clone(),
            Self::Sqlite { dir } => format!("sqlite://{}", dir.join("kindling.db").display()),
        }
    }

    pub fn config(&self) -> DatabaseConfig {
        match self {
            Self::Postgres { url, .. } => DatabaseConfig::from_url(url).unwrap(),
            Self::Sqlite { dir } => DatabaseConfig::with_target(DatabaseTarget::Sqlite {
                path: dir.join("kindling.db"),
                create_if_missing: true,
                create_dir: false,
            }),
        }
    }

    pub async fn connect(&self) -> Database {
        Database::connect(&self.config()).await.unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            Self::Postgres { name, .. } => {
                if let Ok(mut c) = PgConnection::establish(&admin_url()) {
                    let _ = c
                        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
                }
            }
            Self::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

/// The JWT secret of test servers.
pub const SECRET: &str = "test-secret-test-secret-test-secret-0123";

/// Settings for a test server: loopback, port 0 everywhere, fast ticks.
pub fn test_settings(db: &TestDb) -> Settings {
    let mut s = Settings::default();
    s.server.host = "127.0.0.1".into();
    s.server.port = 0;
    s.server.ws_port = 0;
    s.server.environment = Environment::Test;
    s.server.client_dir = std::env::temp_dir().join("kindling-no-client");
    s.metrics.address = "127.0.0.1:0".parse().unwrap();
    s.database.url = Some(db.url());
    s.security.jwt_secret = Some(Secret::new(SECRET));
    s.worlds.shutdown_timeout = server::settings::Seconds::secs(10);
    s
}

/// A server running in this process.
pub struct TestServer {
    pub http: SocketAddr,
    pub ws: SocketAddr,
    pub metrics: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl TestServer {
    pub async fn start(settings: Settings, db: &TestDb) -> Self {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_env("TEST_LOG")
                    .unwrap_or_else(|_| "warn".into()),
            )
            .with_test_writer()
            .try_init();
        let problems = settings.problems();
        assert!(problems.is_empty(), "{problems:?}");
        let database = db.connect().await;
        let listeners = Listeners {
            http: TcpListener::bind("127.0.0.1:0").await.unwrap(),
            ws: TcpListener::bind("127.0.0.1:0").await.unwrap(),
            metrics: Some(TcpListener::bind("127.0.0.1:0").await.unwrap()),
        };
        let (http, ws, metrics) = listeners.addrs().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app::serve(settings, listeners, database, async {
            let _ = stopped.await;
        }));
        Self {
            http,
            ws,
            metrics: metrics.unwrap(),
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Graceful shutdown; returns when the server has saved everything.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(30), t)
                .await
                .unwrap()
                .unwrap()
                .unwrap();
        }
    }
}

/// An HTTP answer.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// One HTTP/1.1 request with `Connection: close`.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Answer {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(t) = token {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

/// Registers `name` and returns its token.
pub async fn register(addr: SocketAddr, name: &str) -> String {
    let a = http(
        addr,
        "POST",
        "/api/v1/auth/register",
        None,
        &format!(r#"{{"username":"{name}","password":"correct horse battery"}}"#),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()["token"].as_str().unwrap().to_owned()
}

/// Logs `name` in and returns its token.
pub async fn login(addr: SocketAddr, name: &str) -> String {
    let a = http(
        addr,
        "POST",
        "/api/v1/auth/login",
        None,
        &format!(r#"{{"username":"{name}","password":"correct horse battery"}}"#),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["token"].as_str().unwrap().to_owned()
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A game client speaking binary or JSON frames.
pub struct GameClient {
    pub ws: Ws,
    pub json: bool,
    pub view: ClientView,
    pub player: u32,
    pub resume_token: String,
    /// The ack's session id.
    pub session_id: String,
    pub seq: u32,
    /// Every message received, in order.
    pub log: Vec<ServerMessage>,
}

pub fn handshake(auth: Auth, resume: Option<String>) -> ClientMessage {
    ClientMessage::Handshake(Handshake {
        versions: vec![1],
        client: "kindling-test/0".into(),
        auth,
        resume_token: resume,
    })
}

pub fn token_auth(token: &str) -> Auth {
    Auth::Token {
        token: token.to_owned(),
    }
}

impl GameClient {
    /// Opens the WebSocket (no game handshake yet).
    pub async fn connect_raw(ws_addr: SocketAddr, query: &str) -> Ws {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{ws_addr}/{query}"))
            .await
            .unwrap();
        ws
    }

    /// Connects and handshakes; panics unless the server acknowledges.
    pub async fn join(ws_addr: SocketAddr, auth: Auth, resume: Option<String>, json: bool) -> Self {
        Self::try_join(ws_addr, "", auth, resume, json)
            .await
            .unwrap_or_else(|m| panic!("refused: {m:?}"))
    }

    /// Connects and handshakes; the server's refusal (error message) otherwise.
    pub async fn try_join(
        ws_addr: SocketAddr,
        query: &str,
        auth: Auth,
        resume: Option<String>,
        json: bool,
    ) -> Result<Self, ServerMessage> {
        let ws = Self::connect_raw(ws_addr, query).await;
        let mut c = Self {
            ws,
            json,
            view: ClientView::new(32),
            player: 0,
            resume_token: String::new(),
            session_id: String::new(),
            seq: 0,
            log: Vec::new(),
        };
        c.send(&handshake(auth, resume)).await;
        match c.recv().await {
            Some(ServerMessage::HandshakeAck(ack)) => {
                c.player = ack.player;
                c.resume_token = ack.resume_token;
                c.session_id = ack.session_id;
                Ok(c)
            }
            Some(other) => Err(other),
            None => panic!("closed before answering the handshake"),
        }
    }

    pub async fn send(&mut self, msg: &ClientMessage) {
        let frame = if self.json {
            Message::Text(protocol::to_json(msg).unwrap().into())
        } else {
            Message::Binary(Bytes::from(
                protocol::encode(msg, &EncodeOptions::default()).unwrap(),
            ))
        };
        self.ws.send(frame).await.unwrap();
    }

    pub async fn send_raw(&mut self, frame: Message) {
        self.ws.send(frame).await.unwrap();
    }

    /// The next game message (binary or JSON, checking the form matches), `None` when closed.
    pub async fn recv(&mut self) -> Option<ServerMessage> {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), self.ws.next())
                .await
                .expect("no message within 10 s")?;
            let msg = match frame {
                Ok(Message::Binary(b)) => {
                    assert!(!self.json, "binary frame to a JSON client");
                    protocol::decode::<ServerMessage>(&b, &DecodeLimits::server()).unwrap()
                }
                Ok(Message::Text(t)) => {
                    assert!(self.json, "text frame to a binary client");
                    protocol::from_json::<ServerMessage>(t.as_str(), 1 << 20).unwrap()
                }
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => continue,
            };
            if matches!(
                msg,
                ServerMessage::Snapshot(_) | ServerMessage::Delta(_) | ServerMessage::Private(_)
            ) {
                let _ = self.view.apply(&msg);
            }
            self.log.push(msg.clone());
            return Some(msg);
        }
    }

    /// Receives until `pred` matches a message, returning it.
    pub async fn until(&mut self, mut pred: impl FnMut(&ServerMessage) -> bool) -> ServerMessage {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no matching message within 20 s"
            );
            let m = self.recv().await.expect("connection closed while waiting");
            if pred(&m) {
                return m;
            }
        }
    }

    /// Sends one input with the next sequence number and the newest acked tick.
    pub async fn input(&mut self, mut input: Input) {
        self.seq += 1;
        input.seq = self.seq;
        input.ack_tick = self.view.latest_tick().unwrap_or(0);
        self.send(&ClientMessage::Input(input)).await;
    }

    /// Our own entity's position (world units) in the latest view.
    pub fn my_pos(&self) -> Option<(f32, f32)> {
        let e = self.view.latest()?.get(&self.player)?;
        Some((
            protocol::quant::pos_from_wire(e.x),
            protocol::quant::pos_from_wire(e.y),
        ))
    }
}
