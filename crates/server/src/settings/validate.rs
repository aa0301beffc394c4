//! Cross-field checks run at start: one clear message per problem.

use super::{Environment, Settings};

/// JWT secrets from our examples and the seed; refused outside development.
const EXAMPLE_SECRETS: &[&str] = &[
    "your_very_secure_random_string_here",
    "change-me-to-a-long-random-string",
    "secret",
    "changeme",
];

/// Shortest JWT secret accepted outside development, in bytes (HS256 wants ≥ 256 bits).
pub const MIN_SECRET_LEN: usize = 32;

impl Settings {
    /// Every problem with these settings, one message each; empty when all is well.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let s = &self.server;
        if s.port == s.ws_port {
            out.push(format!(
                "server.port and server.ws_port are both {} (SERVER_PORT / SERVER_WS_PORT must differ)",
                s.port
            ));
        }
        if self.metrics.enabled {
            let m = self.metrics.address.port();
            for (name, port) in [("server.port", s.port), ("server.ws_port", s.ws_port)] {
                if m == port && port != 0 {
                    out.push(format!(
                        "metrics.address port {m} clashes with {name} {port}"
                    ));
                }
            }
        }
        if s.host.parse::<std::net::IpAddr>().is_err() && s.host != "localhost" {
            out.push(format!(
                "server.host {:?} is not an IP address (SERVER_HOST, e.g. 0.0.0.0)",
                s.host
            ));
        }
        if s.max_connections == 0 {
            out.push("server.max_connections must be at least 1".to_owned());
        }
        for p in self.game.problems() {
            out.push(format!("game: {p}"));
        }
        let n = &self.network;
        if n.max_message_size.0 < 64 || n.max_message_size.0 > 1 << 20 {
            out.push(format!(
                "network.max_message_size must be 64 B..1 MiB, got {}",
                n.max_message_size
            ));
        }
        if n.ping_interval.0.is_zero() || n.pong_timeout.0.is_zero() {
            out.push("network.ping_interval and network.pong_timeout must be positive".to_owned());
        }
        if n.handshake_timeout.0.is_zero() {
            out.push("network.handshake_timeout must be positive".to_owned());
        }
        if n.inactivity_timeout.0 <= n.ping_interval.0 {
            out.push(format!(
                "network.inactivity_timeout ({}) must be longer than network.ping_interval ({})",
                n.inactivity_timeout, n.ping_interval
            ));
        }
        if n.input_rate == 0 || n.input_burst < n.input_rate.min(1) || n.outbound_queue < 8 {
            out.push(
                "network.input_rate and input_burst must be positive and outbound_queue at least 8"
                    .to_owned(),
            );
        }
        let p = &self.performance;
        if p.simulation_workers == 0 {
            out.push(
                "performance.simulation_workers (SIMULATION_WORKERS) must be at least 1".to_owned(),
            );
        }
        if p.compression_level > 9 {
            out.push(format!(
                "performance.compression_level (COMPRESSION_LEVEL) must be 0..=9, got {}",
                p.compression_level
            ));
        }
        let w = &self.worlds;
        if w.count == 0 || w.count > p.simulation_workers.max(1) {
            out.push(format!(
                "worlds.count must be 1..=performance.simulation_workers ({}), got {}",
                p.simulation_workers, w.count
            ));
        }
        if w.autosave_interval.0.is_zero() || w.checkpoint_interval.0.is_zero() {
            out.push(
                "worlds.autosave_interval and worlds.checkpoint_interval must be positive"
                    .to_owned(),
            );
        }
        if self.database.pool_size == 0 {
            out.push("database.pool_size (DB_POOL_SIZE) must be at least 1".to_owned());
        }
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(&self.logging.level) {
            out.push(format!(
                "logging.level (LOG_LEVEL) {:?} is not a log filter: {e}",
                self.logging.level
            ));
        }
        if self.logging.file.is_some()
            && (self.logging.max_size.0 < 1024 || self.logging.max_files == 0)
        {
            out.push(
                "logging.max_size must be at least 1KB and logging.max_files at least 1".to_owned(),
            );
        }
        let sec = &self.security;
        if sec.rate_limit_max == 0
            || sec.auth_rate_limit_max == 0
            || sec.rate_limit_window.0.is_zero()
        {
            out.push(
                "security rate limits (RATE_LIMIT_MAX, RATE_LIMIT_WINDOW) must be positive"
                    .to_owned(),
            );
        }
        if sec.jwt_expires_in.0.as_secs() < 60 {
            out.push("security.jwt_expires_in (JWT_EXPIRES_IN) must be at least 1m".to_owned());
        }
        if s.environment != Environment::Development && s.environment != Environment::Test {
            match sec.jwt_secret.as_ref().map(|s| s.expose()) {
                None | Some("") => out.push(format!(
                    "JWT_SECRET is not set; it is required when SERVER_ENV={}",
                    env_name(s.environment)
                )),
                Some(secret) if EXAMPLE_SECRETS.contains(&secret) => out.push(format!(
                    "JWT_SECRET is the example value; set a random secret of at least {MIN_SECRET_LEN} bytes for SERVER_ENV={}",
                    env_name(s.environment)
                )),
                Some(secret) if secret.len() < MIN_SECRET_LEN => out.push(format!(
                    "JWT_SECRET is {} bytes; at least {MIN_SECRET_LEN} are required for SERVER_ENV={}",
                    secret.len(),
                    env_name(s.environment)
                )),
                Some(_) => {}
            }
        }
        out
    }
}

fn env_name(e: Environment) -> &'static str {
    match e {
        Environment::Development => "development",
        Environment::Test => "test",
        Environment::Staging => "staging",
        Environment::Production => "production",
    }
}
