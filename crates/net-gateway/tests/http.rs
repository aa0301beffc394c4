//! The HTTP listener over a real socket: routes, the error shape, rate limits, CORS,
//! size limits, static files and graceful shutdown.
//!
//! The accounts behind the API are a small in-memory `AuthApi`: these tests are about
//! HTTP; the server's tests run the same routes against the real database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

use std::path::PathBuf;
use std::time::Duration;

use net_gateway::http::HttpLimits;
use net_gateway::{
    AccountView, ApiError, AuthApi, AuthGrant, ClientInfo, Credentials, GuestRequest, HttpConfig,
    Identity, LeaderboardEntry, LeaderboardKind, Readiness, StaticFiles, WorldInfo, run_http,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

struct Fixed;

fn grant(name: &str) -> AuthGrant {
    AuthGrant {
        token: format!("token-{name}"),
        expires_at: 0,
        account: AccountView {
            id: 1,
            username: name.to_owned(),
            guest: false,
            level: 1,
            xp: 0,
        },
    }
}

impl AuthApi for Fixed {
    async fn register(&self, c: Credentials, _: ClientInfo) -> Result<AuthGrant, ApiError> {
        Ok(grant(&c.username))
    }
    async fn login(&self, c: Credentials, _: ClientInfo) -> Result<AuthGrant, ApiError> {
        if c.password == "right" {
            Ok(grant(&c.username))
        } else {
            Err(ApiError::new(
                401,
                "invalid_credentials",
                "wrong username or password",
            ))
        }
    }
    async fn guest(&self, r: GuestRequest, _: ClientInfo) -> Result<AuthGrant, ApiError> {
        Ok(grant(r.name.as_deref().unwrap_or("guest_1")))
    }
    async fn logout(&self, _token: &str) -> Result<(), ApiError> {
        Ok(())
    }
    async fn authenticate(&self, token: &str) -> Result<Identity, ApiError> {
        match token.strip_prefix("token-") {
            Some(name) => Ok(Identity {
                account_id: 1,
                username: name.to_owned(),
                guest: false,
                session_id: "s".into(),
            }),
            None => Err(ApiError::new(
                401,
                "invalid_token",
                "the token is not valid",
            )),
        }
    }
    async fn me(&self, who: &Identity) -> Result<AccountView, ApiError> {
        Ok(grant(&who.username).account)
    }
    async fn leaderboard(
        &self,
        _: LeaderboardKind,
        limit: u32,
    ) -> Result<Vec<LeaderboardEntry>, ApiError> {
        Ok((1..=limit.min(3))
            .map(|rank| LeaderboardEntry {
                rank,
                username: format!("p{rank}"),
                level: 1,
                xp: 0,
                kills: 0,
            })
            .collect())
    }
    fn worlds(&self) -> Vec<WorldInfo> {
        vec![WorldInfo {
            id: "world-1".into(),
            players: 0,
            capacity: 100,
            tick_rate: 20,
            tick: 5,
        }]
    }
    async fn readiness(&self) -> Readiness {
        Readiness {
            database: true,
            simulation: true,
        }
    }
}

fn client_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kindling-gw-client-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("js")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>k</title>").unwrap();
    std::fs::write(dir.join("js/main.js"), "export const x = 1;").unwrap();
    dir
}

struct Server {
    addr: std::net::SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

async fn start(rate_limit_max: u32, auth_rate_limit_max: u32) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = HttpConfig {
        limits: HttpLimits {
            max_connections: 64,
            max_header_bytes: 8192,
            header_timeout: Duration::from_secs(5),
        },
        cors_origins: vec!["https://game.example.com".into()],
        cors_methods: vec!["GET".into(), "POST".into(), "OPTIONS".into()],
        cors_headers: vec!["Content-Type".into(), "Authorization".into()],
        rate_limit_window: Duration::from_secs(60),
        rate_limit_max,
        auth_rate_limit_max,
        max_body_bytes: 1024,
        static_files: StaticFiles::Disk(client_dir()),
        ws_port: 18081,
    };
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(async move {
        run_http(listener, config, Fixed, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    Server {
        addr,
        stop: Some(stop),
        task,
    }
}

/// A parsed answer.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
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

#[tokio::test]
async fn health_ready_worlds_and_auth_routes() {
    let srv = start(100, 10).await;
    let a = request(srv.addr, "GET", "/health", &[], "").await;
    assert_eq!((a.status, a.json()["status"].as_str()), (200, Some("ok")));
    let a = request(srv.addr, "GET", "/ready", &[], "").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["simulation"], true);
    let a = request(srv.addr, "GET", "/api/v1/worlds", &[], "").await;
    assert_eq!(a.json()["worlds"][0]["id"], "world-1");
    assert_eq!(a.json()["ws_port"], 18081, "the page learns where to play");
    let a = request(
        srv.addr,
        "POST",
        "/api/v1/auth/login",
        &[],
        r#"{"username":"bob","password":"wrong"}"#,
    )
    .await;
    assert_eq!(a.status, 401);
    assert_eq!(a.json()["error"]["code"], "invalid_credentials");
    let a = request(
        srv.addr,
        "POST",
        "/api/v1/auth/login",
        &[],
        r#"{"username":"bob","password":"right"}"#,
    )
    .await;
    assert_eq!(a.status, 200);
    let token = a.json()["token"].as_str().unwrap().to_owned();
    let auth = format!("Bearer {token}");
    let a = request(
        srv.addr,
        "GET",
        "/api/v1/me",
        &[("Authorization", &auth)],
        "",
    )
    .await;
    assert_eq!(a.json()["username"], "bob");
    let a = request(srv.addr, "GET", "/api/v1/me", &[], "").await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
    let a = request(srv.addr, "POST", "/api/v1/auth/guest", &[], "").await;
    assert_eq!(a.status, 200);
    let a = request(
        srv.addr,
        "GET",
        "/api/v1/leaderboard?by=kills&limit=2",
        &[],
        "",
    )
    .await;
    assert_eq!(a.json()["entries"].as_array().unwrap().len(), 2);
    let a = request(srv.addr, "GET", "/api/v1/leaderboard?limit=1000", &[], "").await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (400, Some("bad_request"))
    );
    let a = request(srv.addr, "POST", "/api/v1/auth/register", &[], "{not json").await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (400, Some("invalid_json"))
    );
    let a = request(srv.addr, "GET", "/api/v1/auth/login", &[], "").await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (405, Some("method_not_allowed"))
    );
    let a = request(srv.addr, "GET", "/api/v1/nothing", &[], "").await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after_and_auth_is_stricter() {
    let srv = start(5, 2).await;
    let body = r#"{"username":"bob","password":"right"}"#;
    for _ in 0..2 {
        assert_eq!(
            request(srv.addr, "POST", "/api/v1/auth/login", &[], body)
                .await
                .status,
            200
        );
    }
    let a = request(srv.addr, "POST", "/api/v1/auth/login", &[], body).await;
    assert_eq!(a.status, 429);
    assert_eq!(a.json()["error"]["code"], "rate_limited");
    let wait: u64 = a.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    // Three API calls used so far; two more are allowed, then the API limit bites.
    for _ in 0..2 {
        assert_eq!(
            request(srv.addr, "GET", "/api/v1/worlds", &[], "")
                .await
                .status,
            200
        );
    }
    assert_eq!(
        request(srv.addr, "GET", "/api/v1/worlds", &[], "")
            .await
            .status,
        429
    );
    // Health checks are never rate limited.
    assert_eq!(
        request(srv.addr, "GET", "/health", &[], "").await.status,
        200
    );
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let srv = start(100, 10).await;
    let a = request(
        srv.addr,
        "OPTIONS",
        "/api/v1/auth/login",
        &[
            ("Origin", "https://game.example.com"),
            ("Access-Control-Request-Method", "POST"),
        ],
        "",
    )
    .await;
    assert_eq!(a.status, 204);
    assert_eq!(
        a.header("access-control-allow-origin").as_deref(),
        Some("https://game.example.com")
    );
    assert!(
        a.header("access-control-allow-headers")
            .unwrap()
            .contains("Authorization")
    );
    let a = request(
        srv.addr,
        "GET",
        "/api/v1/worlds",
        &[("Origin", "https://evil.example")],
        "",
    )
    .await;
    assert_eq!(a.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn oversized_bodies_and_headers_are_refused() {
    let srv = start(100, 10).await;
    let big = format!(r#"{{"username":"bob","password":"{}"}}"#, "x".repeat(2000));
    let a = request(srv.addr, "POST", "/api/v1/auth/register", &[], &big).await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (413, Some("payload_too_large"))
    );
    let huge = "y".repeat(20_000);
    let a = request(srv.addr, "GET", "/health", &[("X-Big", &huge)], "").await;
    assert_eq!(a.status, 431, "{}", a.head);
    // The server still answers others.
    assert_eq!(
        request(srv.addr, "GET", "/health", &[], "").await.status,
        200
    );
}

#[tokio::test]
async fn static_files_have_types_and_cache_headers() {
    let srv = start(100, 10).await;
    let a = request(srv.addr, "GET", "/", &[], "").await;
    assert_eq!(a.status, 200);
    assert_eq!(
        a.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(a.header("cache-control").as_deref(), Some("no-cache"));
    let a = request(srv.addr, "GET", "/js/main.js", &[], "").await;
    assert_eq!(
        a.header("content-type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert!(a.header("cache-control").unwrap().contains("max-age"));
    let a = request(srv.addr, "GET", "/../Cargo.toml", &[], "").await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn shutdown_finishes_and_stops_accepting() {
    let mut srv = start(100, 10).await;
    assert_eq!(
        request(srv.addr, "GET", "/health", &[], "").await.status,
        200
    );
    srv.stop.take().unwrap().send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), &mut srv.task)
        .await
        .unwrap()
        .unwrap();
    assert!(
        TcpStream::connect(srv.addr).await.is_err(),
        "the listener is closed"
    );
}
