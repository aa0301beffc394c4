//! The schema migrations of `migrations/{postgres,sqlite}`, embedded in the binary: run
//! pending, revert the last N, and list what is applied and what is pending. This is what
//! `server migrate up|down N|status` calls.

use diesel::backend::Backend as DieselBackend;
use diesel::migration::{Migration, MigrationSource};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::database::{Database, with_conn};
use crate::error::{PersistenceError, Result};

const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// Applied and pending migrations, by directory name (e.g. `2026-11-24-000001_create_players`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Migrations already applied, oldest first.
    pub applied: Vec<String>,
    /// Migrations not applied yet, oldest first.
    pub pending: Vec<String>,
}

/// The embedded migrations for each connection type, so one body serves both backends.
trait Embedded {
    const SOURCE: EmbeddedMigrations;
}

impl Embedded for PgConnection {
    const SOURCE: EmbeddedMigrations = POSTGRES;
}

impl Embedded for SqliteConnection {
    const SOURCE: EmbeddedMigrations = SQLITE;
}

fn source_of<C: Embedded>(_: &C) -> EmbeddedMigrations {
    C::SOURCE
}

fn migration_error(e: impl std::fmt::Display) -> PersistenceError {
    PersistenceError::Migration(e.to_string())
}

fn names<DB: DieselBackend>(source: &EmbeddedMigrations) -> Result<Vec<(String, String)>>
where
    EmbeddedMigrations: MigrationSource<DB>,
{
    let all: Vec<Box<dyn Migration<DB>>> =
        MigrationSource::<DB>::migrations(source).map_err(migration_error)?;
    let mut out: Vec<(String, String)> = all
        .iter()
        .map(|m| (m.name().version().to_string(), m.name().to_string()))
        .collect();
    out.sort();
    Ok(out)
}

/// Applies every pending migration in order; returns the names applied.
pub async fn run_pending(db: &Database) -> Result<Vec<String>> {
    with_conn!(db, conn => {
        let source = source_of(conn);
        let all = names_for(conn, &source)?;
        let done = conn.run_pending_migrations(source).map_err(migration_error)?;
        Ok(done.iter().map(|v| name_of(&all, &v.to_string())).collect())
    })
}

/// Reverts the last `n` applied migrations, newest first; returns the names reverted.
/// Asking for more than are applied reverts all of them.
pub async fn revert(db: &Database, n: usize) -> Result<Vec<String>> {
    with_conn!(db, conn => {
        let source = source_of(conn);
        let all = names_for(conn, &source)?;
        let mut reverted = Vec::new();
        for _ in 0..n {
            if conn.applied_migrations().map_err(migration_error)?.is_empty() {
                break;
            }
            let version = conn.revert_last_migration(source_of(conn)).map_err(migration_error)?;
            reverted.push(name_of(&all, &version.to_string()));
        }
        Ok(reverted)
    })
}

/// Lists applied and pending migrations.
pub async fn status(db: &Database) -> Result<MigrationStatus> {
    with_conn!(db, conn => {
        let source = source_of(conn);
        let applied_versions: Vec<String> = conn
            .applied_migrations()
            .map_err(migration_error)?
            .iter()
            .map(ToString::to_string)
            .collect();
        let all = names_for(conn, &source)?;
        let (applied, pending): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|(version, _)| applied_versions.contains(version));
        Ok(MigrationStatus {
            applied: applied.into_iter().map(|(_, name)| name).collect(),
            pending: pending.into_iter().map(|(_, name)| name).collect(),
        })
    })
}

/// [`names`] for the backend of `conn`.
fn names_for<C>(_: &C, source: &EmbeddedMigrations) -> Result<Vec<(String, String)>>
where
    C: diesel::Connection,
    EmbeddedMigrations: MigrationSource<C::Backend>,
{
    names::<C::Backend>(source)
}

/// The directory name of migration `version`, or the version itself if it is not embedded
/// (a database migrated by a newer build).
fn name_of(all: &[(String, String)], version: &str) -> String {
    all.iter()
        .find(|(v, _)| v == version)
        .map_or_else(|| version.to_owned(), |(_, name)| name.clone())
}
