//! Kindling's storage: accounts, sessions, player progress, world checkpoints and
//! leaderboards, on PostgreSQL in production and an embedded SQLite file by default.
//! Only this crate knows SQL.
//!
//! Open a [`Database`] from a [`DatabaseConfig`] (a URL, the seed's `DB_*` parts, or the
//! SQLite default `./data/kindling.db`); [`Database::connect`] runs pending migrations
//! before it returns. Every repository is reached from the database handle, and every
//! operation returns a typed [`PersistenceError`].
//!
//! # Layout
//! - [`config`]: [`DatabaseConfig`], the backend chosen from the URL scheme.
//! - `database`: the pool behind [`Database`] and the one place the two backends meet.
//! - [`migrations`]: run pending, revert N, status — what `server migrate` calls.
//! - `accounts`: registration (argon2id), password checks, bans, guests ([`Accounts`]).
//! - `sessions`: login sessions, only token hashes stored ([`Sessions`]).
//! - `progress`: player progress, load and batched save ([`ProgressStore`]); `upsert`: the
//!   one-statement-per-chunk upsert for each backend.
//! - `worlds`: world checkpoints ([`WorldStore`]).
//! - `leaderboards`: top players by level or kills ([`Leaderboards`]).
//! - `save_queue`: the autosave buffer that survives database outages ([`SaveQueue`]).
//! - `schema`, `clock`: the diesel table definitions and the stored timestamp form.

mod accounts;
mod clock;
pub mod config;
mod database;
mod error;
mod leaderboards;
pub mod migrations;
mod progress;
mod save_queue;
mod schema;
mod sessions;
mod upsert;
mod worlds;

pub use accounts::{
    Account, AccountId, Accounts, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, validate_password,
    validate_username,
};
pub use config::{Backend, DatabaseConfig, DatabaseTarget, DbParts};
pub use database::Database;
pub use error::{PersistenceError, Result};
pub use leaderboards::{
    LeaderboardEntry, Leaderboards, MAX_ENTRIES as MAX_LEADERBOARD_ENTRIES, Ranking,
};
pub use migrations::MigrationStatus;
pub use progress::{
    POSTGRES_ROWS_PER_STATEMENT, ProgressStore, SQLITE_ROWS_PER_STATEMENT, SaveReport,
};
pub use save_queue::{FlushOutcome, RetryPolicy, SaveQueue};
pub use sessions::{NewSession, Session, Sessions, hash_token};
pub use worlds::{KEEP_PER_WORLD, StoredCheckpoint, WorldStore};
