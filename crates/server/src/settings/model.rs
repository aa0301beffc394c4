//! The typed shape of every setting: one struct per section of the four files.
//!
//! Sections map to files as the seed has them: `[server]`, `[network]`, `[cors]`,
//! `[metrics]`, `[database]` and `[performance]` in `server.toml`; `[game]` and `[worlds]`
//! in `game.toml`; `[logging]` in `logging.toml`; `[security]` in `security.toml`. The
//! loader merges all files into one tree, so a section may live in any of them.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sim_core::GameConfig;

use super::secret::Secret;
use super::units::{ByteSize, Seconds};

/// Every setting of the server, loaded once in `main` and passed down explicitly.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Listening addresses, environment and connection cap (`[server]`).
    pub server: ServerSection,
    /// WebSocket limits and timers (`[network]`).
    pub network: NetworkSection,
    /// Cross-origin rules of the HTTP API (`[cors]`).
    pub cors: CorsSection,
    /// The Prometheus listener (`[metrics]`).
    pub metrics: MetricsSection,
    /// Where the database is (`[database]`).
    pub database: DatabaseSection,
    /// Thread counts and compression (`[performance]`).
    pub performance: PerformanceSection,
    /// The game rules (`[game]`, sim-core's `GameConfig`).
    pub game: GameConfig,
    /// How many worlds run and how they are saved (`[worlds]`).
    pub worlds: WorldsSection,
    /// Log level, format and file (`[logging]`).
    pub logging: LoggingSection,
    /// Tokens, sessions and rate limits (`[security]`).
    pub security: SecuritySection,
}

/// Where the server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Local development: the client is served from disk, weak secrets are tolerated.
    Development,
    /// Automated tests.
    Test,
    /// Staging: production rules apply.
    Staging,
    /// Production: a real JWT secret is required.
    Production,
}

impl Environment {
    /// Whether production's stricter checks apply.
    pub fn is_production_like(self) -> bool {
        matches!(self, Environment::Production | Environment::Staging)
    }
}

/// `[server]` in server.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSection {
    /// Interface to bind the HTTP and WebSocket listeners to (`SERVER_HOST`).
    pub host: String,
    /// HTTP port: REST API, health and the browser client (`SERVER_PORT`).
    pub port: u16,
    /// WebSocket port for play (`SERVER_WS_PORT`).
    pub ws_port: u16,
    /// development, test, staging or production (`SERVER_ENV`).
    pub environment: Environment,
    /// Most simultaneous WebSocket connections; more wait in the accept queue.
    pub max_connections: u32,
    /// Tokio worker threads; overridden by `NETWORK_WORKERS`. 0 = the cores left after
    /// one per world (at least one).
    pub worker_threads: u32,
    /// Directory of the browser client served at `/` in development builds.
    pub client_dir: PathBuf,
}

impl Default for ServerSection {
    fn default() -> Self {
        Self {
            host: "0.0.0.0".to_owned(),
            port: 8080,
            ws_port: 8081,
            environment: Environment::Development,
            max_connections: 1000,
            worker_threads: 0,
            client_dir: PathBuf::from("client"),
        }
    }
}

/// `[network]` in server.toml: per-connection limits and timers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkSection {
    /// Largest message a client may send, in bytes (protocol's limit is 8 KiB).
    pub max_message_size: ByteSize,
    /// Whether large server frames may be deflate-compressed (our frame flag).
    pub compression_enabled: bool,
    /// Seconds between server pings.
    pub ping_interval: Seconds,
    /// Seconds to wait for a pong before closing the connection.
    pub pong_timeout: Seconds,
    /// Time a new connection has to complete the WebSocket and game handshake.
    pub handshake_timeout: Seconds,
    /// A connection that sends nothing (not even pongs) for this long is closed.
    pub inactivity_timeout: Seconds,
    /// How long a dropped player stays in the world waiting for a resume.
    pub resume_grace: Seconds,
    /// Inputs per second a connection may send on average.
    pub input_rate: u32,
    /// Inputs a connection may send in a burst.
    pub input_burst: u32,
    /// Chat lines per 10 seconds a connection may send.
    pub chat_per_10s: u32,
    /// Limit violations tolerated (each answered with an error) before disconnecting.
    pub max_violations: u32,
    /// Server messages queued per connection; a client this far behind is dropped.
    pub outbound_queue: u32,
}

impl Default for NetworkSection {
    fn default() -> Self {
        Self {
            max_message_size: ByteSize(8192),
            compression_enabled: true,
            ping_interval: Seconds::secs(30),
            pong_timeout: Seconds::secs(10),
            handshake_timeout: Seconds::secs(5),
            inactivity_timeout: Seconds::secs(120),
            resume_grace: Seconds::secs(10),
            input_rate: 60,
            input_burst: 100,
            chat_per_10s: 10,
            max_violations: 10,
            outbound_queue: 256,
        }
    }
}

/// `[cors]` in server.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorsSection {
    /// Origins allowed to call the API from a browser; `"*"` allows any.
    pub allowed_origins: Vec<String>,
    /// Methods announced in preflight answers.
    pub allowed_methods: Vec<String>,
    /// Request headers announced in preflight answers.
    pub allowed_headers: Vec<String>,
}

impl Default for CorsSection {
    fn default() -> Self {
        Self {
            allowed_origins: vec!["http://localhost:8080".to_owned()],
            allowed_methods: vec!["GET".to_owned(), "POST".to_owned(), "OPTIONS".to_owned()],
            allowed_headers: vec!["Content-Type".to_owned(), "Authorization".to_owned()],
        }
    }
}

/// `[metrics]` in server.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSection {
    /// Whether to serve Prometheus metrics.
    pub enabled: bool,
    /// Address of the `/metrics` listener (the seed's Prometheus scrapes port 9090).
    pub address: SocketAddr,
}

impl Default for MetricsSection {
    fn default() -> Self {
        Self {
            enabled: true,
            address: SocketAddr::from(([0, 0, 0, 0], 9090)),
        }
    }
}

/// `[database]` in server.toml. A URL wins over the parts; with neither host nor URL
/// the embedded SQLite file is used.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSection {
    /// Full URL, `postgres://…` or `sqlite://path` (`DATABASE_URL`).
    pub url: Option<String>,
    /// PostgreSQL host (`DB_HOST`); unset means SQLite.
    pub host: Option<String>,
    /// PostgreSQL port (`DB_PORT`).
    pub port: u16,
    /// Database name (`DB_NAME`).
    pub name: String,
    /// User (`DB_USER`).
    pub user: String,
    /// Password (`DB_PASSWORD`); masked by `print-config`.
    pub password: Option<Secret>,
    /// Require TLS to PostgreSQL (`DB_SSL`).
    pub ssl: bool,
    /// Connections in the pool (`DB_POOL_SIZE`).
    pub pool_size: u32,
    /// The SQLite file used when no PostgreSQL is configured.
    pub sqlite_path: PathBuf,
}

impl Default for DatabaseSection {
    fn default() -> Self {
        Self {
            url: None,
            host: None,
            port: 5432,
            name: "game_db".to_owned(),
            user: "game_user".to_owned(),
            password: None,
            ssl: false,
            pool_size: 20,
            sqlite_path: PathBuf::from("data/kindling.db"),
        }
    }
}

/// `[performance]` in server.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PerformanceSection {
    /// Most worlds ticking in parallel, one thread each (`SIMULATION_WORKERS`).
    pub simulation_workers: u32,
    /// Tokio worker threads for sockets and the API (`NETWORK_WORKERS`); 0 = use
    /// `server.worker_threads`.
    pub network_workers: u32,
    /// Deflate level 0–9 for compressed frames (`COMPRESSION_LEVEL`).
    pub compression_level: u32,
}

impl Default for PerformanceSection {
    fn default() -> Self {
        Self {
            simulation_workers: 1,
            network_workers: 0,
            compression_level: 6,
        }
    }
}

/// `[worlds]` in game.toml: how many worlds and how they are kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorldsSection {
    /// Worlds on this server (named `world-1`, `world-2`, …); at most
    /// `performance.simulation_workers`.
    pub count: u32,
    /// Seed of the first world; world n uses `seed + n - 1`.
    pub seed: u64,
    /// How often dirty players are saved.
    pub autosave_interval: Seconds,
    /// How often each world's durable state is checkpointed.
    pub checkpoint_interval: Seconds,
    /// Longest a shutdown may take to save everyone before exiting anyway.
    pub shutdown_timeout: Seconds,
    /// How the tick threads ask the OS to schedule them (`realtime`, `high`, `normal`).
    pub tick_priority: crate::game::TickPriority,
}

impl Default for WorldsSection {
    fn default() -> Self {
        Self {
            count: 1,
            seed: 1,
            autosave_interval: Seconds::secs(30),
            checkpoint_interval: Seconds::secs(60),
            shutdown_timeout: Seconds::secs(20),
            tick_priority: crate::game::TickPriority::Realtime,
        }
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One JSON object per line, for log shippers.
    Json,
    /// Human-readable lines.
    Pretty,
}

/// `[logging]` in logging.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoggingSection {
    /// A tracing filter: `info`, `debug`, or `info,net_gateway=debug` (`LOG_LEVEL`).
    pub level: String,
    /// json or pretty (`LOG_FORMAT`).
    pub format: LogFormat,
    /// Also write logs to this file, rotated by size (`LOG_FILE`); unset = stdout only.
    pub file: Option<PathBuf>,
    /// Rotate the file when it reaches this size (`LOG_MAX_SIZE`).
    pub max_size: ByteSize,
    /// Rotated files kept besides the current one (`LOG_MAX_FILES`).
    pub max_files: u32,
}

impl Default for LoggingSection {
    fn default() -> Self {
        Self {
            level: "info".to_owned(),
            format: LogFormat::Pretty,
            file: None,
            max_size: ByteSize(100_000_000),
            max_files: 10,
        }
    }
}

/// `[security]` in security.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecuritySection {
    /// HS256 key for session tokens (`JWT_SECRET`); masked by `print-config`. Required
    /// outside development.
    pub jwt_secret: Option<Secret>,
    /// Lifetime of a token (`JWT_EXPIRES_IN`, e.g. `24h`).
    pub jwt_expires_in: Seconds,
    /// Idle lifetime of a session in the database (`SESSION_TIMEOUT`, seconds).
    pub session_timeout: Seconds,
    /// Window of the per-IP API rate limit (`RATE_LIMIT_WINDOW`, seconds).
    pub rate_limit_window: Seconds,
    /// API requests per IP per window (`RATE_LIMIT_MAX`).
    pub rate_limit_max: u32,
    /// Login/register/guest requests per IP per window (stricter than the API limit).
    pub auth_rate_limit_max: u32,
    /// Largest HTTP request body accepted.
    pub max_body_size: ByteSize,
    /// Largest total size of HTTP request headers accepted.
    pub max_header_size: ByteSize,
}

impl Default for SecuritySection {
    fn default() -> Self {
        Self {
            jwt_secret: None,
            jwt_expires_in: Seconds::secs(86_400),
            session_timeout: Seconds::secs(86_400),
            rate_limit_window: Seconds::secs(60),
            rate_limit_max: 100,
            auth_rate_limit_max: 10,
            max_body_size: ByteSize(16 * 1024),
            max_header_size: ByteSize(16 * 1024),
        }
    }
}
