//! The scripts against the real PostgreSQL: a backup -> drop -> restore round trip that
//! proves no row is lost, the restore's refusal to overwrite, and the entrypoint's bounded
//! wait. Each run uses its own throwaway database, dropped afterwards even on failure.

use std::net::TcpListener;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::tools::{Tools, capture, expect_failure};
use crate::cmd;

/// Where the PostgreSQL for tests is: TEST_DATABASE_URL's server, else 127.0.0.1:5432 as
/// `postgres` (trust auth on developer machines and CI).
pub struct Postgres {
    /// host, port, user, password (empty when none).
    pub host: String,
    /// Port of the server.
    pub port: u16,
    /// A superuser-ish role that may create databases.
    pub user: String,
    /// Its password, or empty.
    pub password: String,
}

impl Postgres {
    /// Reads TEST_DATABASE_URL (postgres://user[:pass]@host[:port]/db) or takes the default.
    pub fn from_env() -> Result<Postgres> {
        let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
            return Ok(Postgres {
                host: "127.0.0.1".into(),
                port: 5432,
                user: "postgres".into(),
                password: String::new(),
            });
        };
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .with_context(|| format!("TEST_DATABASE_URL is not a postgres:// URL: {url}"))?;
        let authority = rest.split('/').next().unwrap_or("");
        let (auth, hostport) = authority.rsplit_once('@').unwrap_or(("", authority));
        let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
        let (host, port) = hostport.split_once(':').unwrap_or((hostport, "5432"));
        Ok(Postgres {
            host: if host.is_empty() {
                "127.0.0.1".into()
            } else {
                host.into()
            },
            port: port
                .parse()
                .with_context(|| format!("bad port in TEST_DATABASE_URL: {port}"))?,
            user: if user.is_empty() {
                "postgres".into()
            } else {
                user.into()
            },
            password: password.into(),
        })
    }

    /// `postgres://…/db` for this server.
    pub fn url(&self, db: &str) -> String {
        let auth = if self.password.is_empty() {
            self.user.clone()
        } else {
            format!("{}:{}", self.user, self.password)
        };
        format!("postgres://{auth}@{}:{}/{db}", self.host, self.port)
    }

    /// psql on `db` with the libpq environment set.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String> {
        capture(self.env(&mut Command::new("psql")).args([
            "-X",
            "-q",
            "-tA",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            db,
            "-c",
            sql,
        ]))
    }

    /// Sets PGHOST/PGPORT/PGUSER/PGPASSWORD on a command.
    pub fn env<'a>(&self, command: &'a mut Command) -> &'a mut Command {
        command
            .env("PGHOST", &self.host)
            .env("PGPORT", self.port.to_string())
            .env("PGUSER", &self.user)
            .env("PGPASSWORD", &self.password)
    }
}

/// A database created for one check and dropped when this goes out of scope.
pub struct Throwaway<'a> {
    pg: &'a Postgres,
    /// Its name.
    pub name: String,
}

impl<'a> Throwaway<'a> {
    /// Creates `ops_check_<label>_<pid>` (dropping a leftover of the same name first).
    pub fn create(pg: &'a Postgres, label: &str) -> Result<Throwaway<'a>> {
        let name = format!("ops_check_{label}_{}", std::process::id());
        pg.psql("postgres", &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .with_context(|| {
                format!(
                    "PostgreSQL at {}:{} is not usable (set TEST_DATABASE_URL, or start the local server)",
                    pg.host, pg.port
                )
            })?;
        pg.psql("postgres", &format!("CREATE DATABASE {name}"))?;
        Ok(Throwaway { pg, name })
    }
}

impl Drop for Throwaway<'_> {
    fn drop(&mut self) {
        let _ = self.pg.psql(
            "postgres",
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// A fingerprint of every user table: name, row count and an md5 over all rows in a
/// stable order. Equal fingerprints mean no row was lost or changed.
pub fn fingerprint(pg: &Postgres, db: &str) -> Result<String> {
    let tables = pg.psql(
        db,
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables \
         WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    )?;
    let mut out = String::new();
    for table in tables.lines().filter(|l| !l.is_empty()) {
        let row = pg.psql(
            db,
            &format!(
                "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM {table} t"
            ),
        )?;
        out.push_str(&format!("{table} {}\n", row.trim()));
    }
    Ok(out)
}

/// Test data with awkward values (quotes, unicode, NULLs, JSON, bytes), in two schemas.
const SEED_SQL: &str = "
CREATE TABLE players (id bigserial PRIMARY KEY, username text UNIQUE NOT NULL, email text,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE player_progress (player_id bigint PRIMARY KEY REFERENCES players(id),
    level int NOT NULL, xp bigint NOT NULL, inventory jsonb NOT NULL, blob bytea);
INSERT INTO players (username, email)
    SELECT 'player_' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'p' || g || '@example.org' END
    FROM generate_series(1, 2500) g;
INSERT INTO players (username, email) VALUES ('o''brien', 'ünïcødé ✓');
INSERT INTO player_progress
    SELECT id, (id % 50)::int, id * 17, jsonb_build_object('slots', jsonb_build_array(id, 'wood', id % 7)),
           decode(md5(id::text), 'hex')
    FROM players;
CREATE SCHEMA audit;
CREATE TABLE audit.events (id serial PRIMARY KEY, body text);
INSERT INTO audit.events (body) SELECT repeat('x', g) FROM generate_series(1, 200) g;
";

/// backup.sh -> DROP DATABASE -> restore.sh, comparing fingerprints; restore.sh must refuse
/// an existing database without --force and replace it with --force.
pub fn backup_restore(tools: &Tools) -> Result<String> {
    let pg = Postgres::from_env()?;
    let db = Throwaway::create(&pg, "backup")?;
    pg.psql(&db.name, SEED_SQL)?;
    round_trip(tools, &pg, &db)
}

/// The round trip on an existing database (seeded here or migrated by the server).
pub fn round_trip(tools: &Tools, pg: &Postgres, db: &Throwaway<'_>) -> Result<String> {
    let root = cmd::root();
    let before = fingerprint(pg, &db.name)?;
    if before.is_empty() {
        bail!("the database to back up has no tables");
    }
    let backups = tools.scratch.join(format!("backups-{}", db.name));
    let script_env = |command: &mut Command| {
        command
            .current_dir(&root)
            .env("ENV_FILE", "/dev/null")
            .env("DATABASE_URL", pg.url(&db.name))
            .env_remove("DB_HOST")
            .env_remove("PGHOST");
    };
    let mut backup = Command::new(root.join("ops/scripts/backup.sh"));
    script_env(&mut backup);
    backup
        .args(["--target", "local", "--dir"])
        .arg(&backups)
        .args(["--keep", "7"]);
    let dump = capture(&mut backup)?.trim().to_string();
    if !dump.ends_with(".dump") || !std::path::Path::new(&dump).exists() {
        bail!("backup.sh did not print the path of its dump (got {dump:?})");
    }

    // Without --force an existing database is left alone, exit code 3.
    let mut refuse = Command::new(root.join("ops/scripts/restore.sh"));
    script_env(&mut refuse);
    refuse.args(["--target", "local", "--database", &db.name, &dump]);
    let (code, text) = expect_failure(&mut refuse)?;
    if code != Some(3) || !text.contains("--force") {
        bail!(
            "restore.sh over an existing database: expected exit 3 naming --force, got {code:?}: {text}"
        );
    }

    pg.psql(
        "postgres",
        &format!("DROP DATABASE {} WITH (FORCE)", db.name),
    )?;
    let mut restore = Command::new(root.join("ops/scripts/restore.sh"));
    script_env(&mut restore);
    restore.args(["--target", "local", "--database", &db.name, &dump]);
    capture(&mut restore)?;
    let after = fingerprint(pg, &db.name)?;
    if before != after {
        bail!("restore lost or changed rows:\nbefore:\n{before}after:\n{after}");
    }

    // --force replaces a database that changed since the dump.
    let first_table = before
        .lines()
        .next()
        .and_then(|l| l.split(' ').next())
        .unwrap_or_default()
        .to_string();
    pg.psql(&db.name, &format!("TRUNCATE {first_table} CASCADE"))?;
    if fingerprint(pg, &db.name)? == before {
        bail!("emptying {first_table} did not change the fingerprint: the comparison is blind");
    }
    let mut force = Command::new(root.join("ops/scripts/restore.sh"));
    script_env(&mut force);
    force.args([
        "--target",
        "local",
        "--force",
        "--database",
        &db.name,
        &dump,
    ]);
    capture(&mut force)?;
    if fingerprint(pg, &db.name)? != before {
        bail!("restore --force did not bring back the dumped rows");
    }
    let tables = before.lines().count();
    Ok(format!(
        "{tables} tables identical after backup -> drop -> restore; overwrite refused without --force"
    ))
}

/// The entrypoint gives up on an unreachable PostgreSQL after DB_WAIT_TIMEOUT with a clear
/// message (and never starts the server).
pub fn entrypoint_timeout(_tools: &Tools) -> Result<String> {
    // A port that nothing listens on: bind, note it, release it.
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let started = Instant::now();
    let (code, text) = expect_failure(
        Command::new(cmd::root().join("ops/docker/entrypoint.sh"))
            .arg("run")
            .env("SERVER_BIN", "/bin/false")
            .env(
                "DATABASE_URL",
                format!("postgres://nobody@127.0.0.1:{port}/none"),
            )
            .env("DB_WAIT_TIMEOUT", "2"),
    )?;
    let took = started.elapsed().as_secs_f64();
    if code != Some(1) || !text.contains("not reachable after 2s") {
        bail!(
            "entrypoint with an unreachable database: expected exit 1 and a timeout message, got {code:?}: {text}"
        );
    }
    if !(1.5..10.0).contains(&took) {
        bail!("entrypoint timeout of 2 s took {took:.1} s");
    }
    let (code, text) = expect_failure(
        Command::new(cmd::root().join("ops/docker/entrypoint.sh"))
            .env("SERVER_BIN", "/bin/false")
            .env("DATABASE_URL", "postgres://127.0.0.1:5432/x")
            .env("DB_WAIT_TIMEOUT", "soon"),
    )?;
    if code != Some(1) || !text.contains("DB_WAIT_TIMEOUT") {
        bail!("entrypoint with DB_WAIT_TIMEOUT=soon: expected a clear error, got {code:?}: {text}");
    }
    Ok(format!(
        "unreachable database given up after {took:.1} s with a clear message"
    ))
}

/// The entrypoint's order of work, with a stand-in server (`echo`) that shows what it was
/// asked to do: SQLite skips the wait; a reachable PostgreSQL is waited for; `migrate up`
/// runs before `run`; failed migrations stop it; SKIP_MIGRATIONS skips them.
pub fn entrypoint_flow(_tools: &Tools) -> Result<String> {
    let pg = Postgres::from_env()?;
    let entry = |url: &str| {
        let mut command = Command::new(cmd::root().join("ops/docker/entrypoint.sh"));
        command
            .env("SERVER_BIN", "/bin/echo")
            .env("DATABASE_URL", url)
            .env("DB_WAIT_TIMEOUT", "5")
            .env_remove("DB_HOST")
            .env_remove("SKIP_MIGRATIONS");
        command
    };
    let both = |command: &mut Command| -> Result<String> {
        let out = command.stdin(std::process::Stdio::null()).output()?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if !out.status.success() {
            bail!("entrypoint.sh failed ({}): {text}", out.status);
        }
        Ok(text)
    };
    let sqlite = both(&mut entry("sqlite:///tmp/none.db"))?;
    if !sqlite.contains("SQLite, no server to wait for") {
        bail!("with SQLite the entrypoint should not wait: {sqlite}");
    }
    let postgres = both(&mut entry(&pg.url("postgres")))?;
    let migrate = postgres.find("migrate up");
    let run = postgres.rfind("\nrun");
    if !postgres.contains("is accepting connections")
        || migrate.is_none()
        || run.is_none()
        || migrate > run
    {
        bail!(
            "with PostgreSQL the entrypoint must wait, run `migrate up`, then exec `run`: {postgres}"
        );
    }
    let skipped = both(entry("sqlite:///tmp/none.db").env("SKIP_MIGRATIONS", "1"))?;
    if skipped.contains("migrate up") {
        bail!("SKIP_MIGRATIONS=1 still ran migrations: {skipped}");
    }
    let (code, text) =
        expect_failure(entry("sqlite:///tmp/none.db").env("SERVER_BIN", "/bin/false"))?;
    if code != Some(1) || !text.contains("migrations failed; the server was not started") {
        bail!("failed migrations must stop the entrypoint: {code:?} {text}");
    }
    Ok("SQLite: no wait; PostgreSQL: wait, migrate up, exec run; failed migrations stop it".into())
}
