//! Shared test fixtures: a fresh PostgreSQL database per test (created on the server named
//! by TEST_DATABASE_URL and dropped afterwards), a fresh SQLite file per test, and a macro
//! that runs one test body on both backends.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod proxy;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use persistence::{Database, DatabaseConfig, DatabaseTarget};

/// Where tests find PostgreSQL when TEST_DATABASE_URL is unset: the local server with
/// trust authentication that `cargo xtask test` checks for.
pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The admin URL of the test server. The PostgreSQL tests never skip: if it is
/// unreachable they fail with a message saying how to point them at one.
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_ADMIN_URL.to_owned())
}

fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "kt_{}_{}_{}_{}",
        prefix.to_ascii_lowercase(),
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let (authority, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let host = authority.split('/').next().unwrap_or(authority);
    let mut out = format!("{scheme}://{host}/{name}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// `url` with its host and port replaced by `host_port`.
pub fn with_host(url: &str, host_port: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let userinfo = authority.rsplit_once('@').map(|(u, _)| format!("{u}@"));
    format!(
        "{scheme}://{}{host_port}{tail}",
        userinfo.unwrap_or_default()
    )
}

/// host:port of a PostgreSQL URL (port 5432 if not given).
pub fn host_port(url: &str) -> String {
    let rest = url.split_once("://").expect("a URL with a scheme").1;
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        host.to_owned()
    } else {
        format!("{host}:5432")
    }
}

/// A database of its own for one test, on either backend; removed when dropped.
pub enum TestDb {
    /// A database created on the PostgreSQL test server.
    Postgres {
        /// Its name.
        name: String,
        /// Its URL.
        url: String,
        /// The server's admin URL (to drop it).
        admin: String,
    },
    /// A SQLite file in a temporary directory.
    Sqlite {
        /// The directory, removed on drop.
        dir: PathBuf,
    },
}

impl TestDb {
    /// Creates a fresh, empty PostgreSQL database.
    pub fn postgres(prefix: &str) -> Self {
        let admin = admin_url();
        let name = unique_name(prefix);
        let mut conn = PgConnection::establish(&admin).unwrap_or_else(|e| {
            panic!(
                "PostgreSQL tests need a server: cannot connect to {admin}: {e}\n\
                 Set TEST_DATABASE_URL to an admin URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) \
                 or run `cargo xtask test`, which finds or starts one."
            )
        });
        conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name} failed: {e}"));
        let url = with_database(&admin, &name);
        Self::Postgres { name, url, admin }
    }

    /// Creates a fresh temporary directory for a SQLite file.
    pub fn sqlite(prefix: &str) -> Self {
        let dir = std::env::temp_dir().join(unique_name(prefix));
        std::fs::create_dir_all(&dir).unwrap();
        Self::Sqlite { dir }
    }

    /// The SQLite file path (only for SQLite).
    pub fn sqlite_path(&self) -> PathBuf {
        match self {
            Self::Sqlite { dir } => dir.join("kindling.db"),
            Self::Postgres { .. } => panic!("not a SQLite test database"),
        }
    }

    /// A configuration pointing at this database.
    pub fn config(&self) -> DatabaseConfig {
        match self {
            Self::Postgres { url, .. } => DatabaseConfig::from_url(url).unwrap(),
            Self::Sqlite { .. } => DatabaseConfig::with_target(DatabaseTarget::Sqlite {
                path: self.sqlite_path(),
                create_if_missing: true,
                create_dir: false,
            }),
        }
    }

    /// Connects (running migrations).
    pub async fn connect(&self) -> Database {
        Database::connect(&self.config()).await.unwrap()
    }

    /// Runs raw SQL on a separate connection, to plant bad rows or inspect tables.
    pub fn execute(&self, sql: &str) {
        match self {
            Self::Postgres { url, .. } => PgConnection::establish(url)
                .unwrap()
                .batch_execute(sql)
                .unwrap(),
            Self::Sqlite { .. } => {
                SqliteConnection::establish(self.sqlite_path().to_str().unwrap())
                    .unwrap()
                    .batch_execute(sql)
                    .unwrap()
            }
        }
    }

    /// Runs a `SELECT count(*) AS n …` query and returns n.
    pub fn count(&self, sql: &str) -> i64 {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let rows: Vec<Count> = match self {
            Self::Postgres { url, .. } => diesel::sql_query(sql)
                .load(&mut PgConnection::establish(url).unwrap())
                .unwrap(),
            Self::Sqlite { .. } => diesel::sql_query(sql)
                .load(
                    &mut SqliteConnection::establish(self.sqlite_path().to_str().unwrap()).unwrap(),
                )
                .unwrap(),
        };
        rows[0].n
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            Self::Postgres { name, admin, .. } => {
                // FORCE ends the pool's connections that may still be open.
                if let Ok(mut conn) = PgConnection::establish(admin) {
                    let _ = conn
                        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
                }
            }
            Self::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

/// Runs `$body` (an async block using `$test_db: TestDb` and `$db: Database`) as two
/// tests, `postgres` and `sqlite`, in a module named `$name`.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, |$test_db:ident, $db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $test_db = $crate::common::TestDb::postgres(stringify!($name));
                let $db = $test_db.connect().await;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $test_db = $crate::common::TestDb::sqlite(stringify!($name));
                let $db = $test_db.connect().await;
                $body
            }
        }
    };
}
