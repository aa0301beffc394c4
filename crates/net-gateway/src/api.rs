//! What the gateway needs from the rest of the server, as a trait the server
//! implements. Only net-gateway knows HTTP and WebSocket; only the server's
//! implementation knows accounts, tokens and worlds.

use std::future::Future;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::ApiError;

/// Who is asking, for session records and rate limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInfo {
    /// The peer's IP address.
    pub ip: IpAddr,
    /// The `User-Agent` header, cut to 256 bytes.
    pub user_agent: Option<String>,
}

/// Body of `POST /api/v1/auth/register` and `/login`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// `^[A-Za-z0-9_]{3,32}$`.
    pub username: String,
    /// The password (never logged).
    pub password: String,
    /// Optional e-mail, register only.
    #[serde(default)]
    pub email: Option<String>,
}

/// Body of `POST /api/v1/auth/guest` (optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuestRequest {
    /// Preferred name (`^[A-Za-z0-9_]{3,32}$`); a `guest_…` one is generated when it is
    /// absent, invalid or taken.
    #[serde(default)]
    pub name: Option<String>,
}

/// A signed-in account as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    /// Account id.
    pub id: i64,
    /// Username (guests get a generated one).
    pub username: String,
    /// Whether this is a guest account.
    pub guest: bool,
    /// Level from saved progress.
    pub level: u32,
    /// Experience from saved progress.
    pub xp: u64,
}

/// The answer to register, login and guest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthGrant {
    /// Bearer token for the API and the WebSocket handshake.
    pub token: String,
    /// Unix time (seconds) when the token expires.
    pub expires_at: i64,
    /// The account.
    pub account: AccountView,
}

/// A validated token: who the caller is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Account id.
    pub account_id: i64,
    /// Username.
    pub username: String,
    /// Guest account.
    pub guest: bool,
    /// The session row the token belongs to.
    pub session_id: String,
}

/// One world on this server, for `GET /api/v1/worlds`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorldInfo {
    /// Stable id, e.g. `world-1`.
    pub id: String,
    /// Players in it now.
    pub players: u32,
    /// Most players it admits.
    pub capacity: u32,
    /// Ticks per second.
    pub tick_rate: u32,
    /// Ticks simulated so far.
    pub tick: u64,
}

/// Which leaderboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LeaderboardKind {
    /// By level, then experience.
    Level,
    /// By kills.
    Kills,
}

/// One row of a leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardEntry {
    /// 1-based rank.
    pub rank: u32,
    /// Username.
    pub username: String,
    /// Level.
    pub level: u32,
    /// Experience.
    pub xp: u64,
    /// Kills.
    pub kills: u32,
}

/// The answer of `GET /ready`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// The database answered a trivial query.
    pub database: bool,
    /// Every world ticked within the last second.
    pub simulation: bool,
}

impl Readiness {
    /// Ready to take players.
    pub fn ready(&self) -> bool {
        self.database && self.simulation
    }
}

/// Accounts, sessions, worlds and leaderboards, as the HTTP API needs them. Implemented
/// by the server; every method returns an [`ApiError`] with a stable code on failure.
pub trait AuthApi: Send + Sync + 'static {
    /// Creates an account and signs it in.
    fn register(
        &self,
        credentials: Credentials,
        client: ClientInfo,
    ) -> impl Future<Output = Result<AuthGrant, ApiError>> + Send;
    /// Checks a password and opens a session.
    fn login(
        &self,
        credentials: Credentials,
        client: ClientInfo,
    ) -> impl Future<Output = Result<AuthGrant, ApiError>> + Send;
    /// Creates a guest account and signs it in.
    fn guest(
        &self,
        request: GuestRequest,
        client: ClientInfo,
    ) -> impl Future<Output = Result<AuthGrant, ApiError>> + Send;
    /// Revokes the session behind `token`.
    fn logout(&self, token: &str) -> impl Future<Output = Result<(), ApiError>> + Send;
    /// Validates a token (signature, expiry, session not revoked, account not banned).
    fn authenticate(&self, token: &str) -> impl Future<Output = Result<Identity, ApiError>> + Send;
    /// The caller's account.
    fn me(&self, who: &Identity) -> impl Future<Output = Result<AccountView, ApiError>> + Send;
    /// Top `limit` accounts.
    fn leaderboard(
        &self,
        kind: LeaderboardKind,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<LeaderboardEntry>, ApiError>> + Send;
    /// The worlds on this server.
    fn worlds(&self) -> Vec<WorldInfo>;
    /// Database reachable and simulation ticking.
    fn readiness(&self) -> impl Future<Output = Readiness> + Send;
}
