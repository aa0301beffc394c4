//! The connection pool behind [`Database`], for either backend, and the `with_conn!` macro
//! that runs one blocking diesel closure on a pooled connection.

use std::sync::Arc;

use deadpool_diesel::Runtime;
use diesel::connection::SimpleConnection;
use diesel::{RunQueryDsl, SqliteConnection};

use crate::config::{
    Backend, DatabaseConfig, DatabaseTarget, prepare_sqlite, with_connect_timeout,
};
use crate::error::{PersistenceError, Result};
use crate::{accounts, leaderboards, migrations, progress, sessions, worlds};

/// Settings applied to every new SQLite connection: enforce foreign keys (off by default
/// in SQLite), wait for a writer instead of failing with "database is locked", and use the
/// write-ahead log so readers do not block the autosave writer.
const SQLITE_CONNECTION_PRAGMAS: &str = "PRAGMA foreign_keys = ON; \
     PRAGMA busy_timeout = 5000; \
     PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL;";

/// One pool per backend; the enum is the only place the two meet.
#[derive(Clone)]
pub(crate) enum Pools {
    Postgres(deadpool_diesel::postgres::Pool),
    Sqlite(deadpool_diesel::sqlite::Pool),
}

struct Inner {
    pools: Pools,
    backend: Backend,
    /// The target with any password masked, for errors and logs.
    target: String,
}

/// A handle to the database: cheap to clone, safe to share between tasks. Every query
/// runs on a blocking-pool thread, never on the async executor.
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("backend", &self.inner.backend)
            .field("target", &self.inner.target)
            .finish()
    }
}

/// Runs `$body` (a blocking diesel expression returning `Result<T>`) with `$conn` bound to
/// a pooled connection of whichever backend `$db` uses. The body is compiled once per
/// backend, so the same query text serves PostgreSQL and SQLite.
macro_rules! with_conn {
    ($db:expr, $conn:ident => $body:expr) => {{
        let db: &$crate::database::Database = $db;
        match db.pools() {
            $crate::database::Pools::Postgres(pool) => {
                $crate::database::on_blocking_thread!(db, pool, $conn: ::diesel::PgConnection => $body)
            }
            $crate::database::Pools::Sqlite(pool) => {
                $crate::database::on_blocking_thread!(db, pool, $conn: ::diesel::SqliteConnection => $body)
            }
        }
    }};
}

/// [`with_conn!`] for one pool: takes a connection from the pool, runs the body and gives
/// the connection back, all on one blocking-pool thread. A connection is then busy only
/// while its query runs. (Taking it in the async task and handing it to a blocking
/// thread kept it out of the pool until the task was polled again: behind a busy
/// network thread that was long enough for sign-ups to queue for the pool and time
/// out, with 2,000 players on SQLite.)
macro_rules! on_blocking_thread {
    ($db:ident, $pool:ident, $conn:ident : $ty:ty => $body:expr) => {{
        let pool = $pool.clone();
        let errors = $db.clone();
        let runtime = ::tokio::runtime::Handle::current();
        let run = move |$conn: &mut $ty| $body;
        ::tokio::task::spawn_blocking(move || {
            let object = runtime
                .block_on(pool.get())
                .map_err(|e| errors.pool_error(e))?;
            let mut conn = object.lock().map_err(|_| $crate::database::poisoned())?;
            ::std::result::Result::<_, $crate::error::PersistenceError>::Ok(run(&mut conn))
        })
        .await
        .map_err($crate::database::join_error)??
    }};
}
pub(crate) use on_blocking_thread;
pub(crate) use with_conn;

impl Database {
    /// Opens the database, runs every pending migration, and only then hands it out.
    /// Unreachable servers and bad paths fail within `config.connect_timeout`.
    pub async fn connect(config: &DatabaseConfig) -> Result<Self> {
        let db = Self::open_unmigrated(config).await?;
        let applied = migrations::run_pending(&db).await?;
        if !applied.is_empty() {
            tracing::info!(count = applied.len(), migrations = ?applied, "applied database migrations");
        }
        Ok(db)
    }

    /// Opens the database without touching its schema, for `server migrate` (which must
    /// be able to show status or revert). Other callers want [`Database::connect`].
    pub async fn open_unmigrated(config: &DatabaseConfig) -> Result<Self> {
        config.validate()?;
        let timeout = config.connect_timeout;
        let target = config.target.redacted();
        let pools = match &config.target {
            DatabaseTarget::Postgres { url } => {
                let url = with_connect_timeout(url, timeout);
                let manager = deadpool_diesel::postgres::Manager::new(url, Runtime::Tokio1);
                let pool = deadpool_diesel::postgres::Pool::builder(manager)
                    .max_size(config.pool_size)
                    .runtime(Runtime::Tokio1)
                    .create_timeout(Some(timeout))
                    .wait_timeout(Some(timeout))
                    .recycle_timeout(Some(timeout))
                    .build()
                    .map_err(|e| PersistenceError::Config(format!("connection pool: {e}")))?;
                Pools::Postgres(pool)
            }
            DatabaseTarget::Sqlite {
                path,
                create_if_missing,
                create_dir,
            } => {
                prepare_sqlite(path, *create_if_missing, *create_dir)?;
                let path = path.to_str().ok_or_else(|| {
                    PersistenceError::Config(format!(
                        "SQLite path {} is not valid UTF-8",
                        path.display()
                    ))
                })?;
                let manager = deadpool_diesel::sqlite::Manager::new(path, Runtime::Tokio1);
                let pool = deadpool_diesel::sqlite::Pool::builder(manager)
                    .max_size(config.pool_size)
                    .runtime(Runtime::Tokio1)
                    .create_timeout(Some(timeout))
                    .wait_timeout(Some(timeout))
                    .recycle_timeout(Some(timeout))
                    .post_create(deadpool_diesel::sqlite::Hook::async_fn(|object, _| {
                        Box::pin(async move {
                            object
                                .interact(|conn: &mut SqliteConnection| {
                                    conn.batch_execute(SQLITE_CONNECTION_PRAGMAS)
                                })
                                .await
                                .map_err(|e| {
                                    deadpool_diesel::sqlite::HookError::message(e.to_string())
                                })?
                                .map_err(|e| {
                                    deadpool_diesel::sqlite::HookError::Backend(
                                        deadpool_diesel::Error::Ping(e),
                                    )
                                })
                        })
                    }))
                    .build()
                    .map_err(|e| PersistenceError::Config(format!("connection pool: {e}")))?;
                Pools::Sqlite(pool)
            }
        };
        let db = Self {
            inner: Arc::new(Inner {
                pools,
                backend: config.backend(),
                target,
            }),
        };
        db.ping().await?;
        Ok(db)
    }

    /// Which backend this database uses.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// Where it is, with any password masked.
    pub fn target(&self) -> &str {
        &self.inner.target
    }

    /// One round trip to the database (for `/ready`).
    pub async fn ping(&self) -> Result<()> {
        with_conn!(self, conn => {
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok(())
        })
    }

    /// Closes the pool: pending and future requests fail, idle connections are dropped.
    /// Connections are dropped on tokio's blocking pool, so this (like dropping the last
    /// clone of a `Database`) must happen inside the runtime; outside one it does nothing.
    pub fn close(&self) {
        if tokio::runtime::Handle::try_current().is_err() {
            tracing::warn!("Database::close called outside a tokio runtime; not closing");
            return;
        }
        match &self.inner.pools {
            Pools::Postgres(p) => p.close(),
            Pools::Sqlite(p) => p.close(),
        }
    }

    /// Accounts: register, log in, ban, guests.
    pub fn accounts(&self) -> accounts::Accounts {
        accounts::Accounts::new(self.clone())
    }

    /// Login sessions: create, validate, revoke, purge.
    pub fn sessions(&self) -> sessions::Sessions {
        sessions::Sessions::new(self.clone())
    }

    /// Player progress: load and batched save.
    pub fn progress(&self) -> progress::ProgressStore {
        progress::ProgressStore::new(self.clone())
    }

    /// World checkpoints: save and load the latest.
    pub fn worlds(&self) -> worlds::WorldStore {
        worlds::WorldStore::new(self.clone())
    }

    /// Leaderboards over all accounts.
    pub fn leaderboards(&self) -> leaderboards::Leaderboards {
        leaderboards::Leaderboards::new(self.clone())
    }

    pub(crate) fn pools(&self) -> &Pools {
        &self.inner.pools
    }

    pub(crate) fn pool_error(&self, error: deadpool_diesel::PoolError) -> PersistenceError {
        use deadpool_diesel::PoolError as P;
        let target = self.inner.target.clone();
        match error {
            P::Timeout(_) => PersistenceError::Timeout { target },
            P::Backend(e) => PersistenceError::Connect {
                target,
                reason: e.to_string().trim().to_owned(),
            },
            P::PostCreateHook(e) => PersistenceError::Connect {
                target,
                reason: e.to_string(),
            },
            P::Closed => PersistenceError::Worker("the connection pool is closed".into()),
            P::NoRuntimeSpecified => PersistenceError::Worker("no async runtime".into()),
        }
    }
}

/// A query's blocking task that did not finish: it panicked or the runtime shut down.
pub(crate) fn join_error(error: tokio::task::JoinError) -> PersistenceError {
    PersistenceError::Worker(if error.is_panic() {
        "a database query panicked".to_owned()
    } else {
        "a database query was cancelled".to_owned()
    })
}

/// A connection whose lock a panicking query poisoned.
pub(crate) fn poisoned() -> PersistenceError {
    PersistenceError::Worker("a database connection was left unusable by a panic".to_owned())
}
