//! Where the database is: a URL (`DATABASE_URL`), the seed's `DB_*` parts, or the embedded
//! SQLite default `./data/kindling.db`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{PersistenceError, Result};

/// The SQLite file used when no database is configured.
pub const DEFAULT_SQLITE_PATH: &str = "./data/kindling.db";
/// Connections per pool when DB_POOL_SIZE is not set.
pub const DEFAULT_POOL_SIZE: usize = 10;
/// Upper bound for DB_POOL_SIZE (PostgreSQL's default max_connections is 100).
pub const MAX_POOL_SIZE: usize = 1000;
/// How long connecting may take before the database counts as unreachable.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Which database engine a configuration points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL (production).
    Postgres,
    /// Embedded SQLite file (the default).
    Sqlite,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Postgres => "postgres",
            Self::Sqlite => "sqlite",
        })
    }
}

/// The database to open.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A PostgreSQL server, as a libpq connection URL.
    Postgres {
        /// `postgres://user:password@host:port/db?params`.
        url: String,
    },
    /// A SQLite database file.
    Sqlite {
        /// Path of the file.
        path: PathBuf,
        /// Whether a missing file may be created (its directory must exist regardless).
        create_if_missing: bool,
        /// Whether a missing parent directory may be created: only for the built-in
        /// default path, never for a path somebody typed.
        create_dir: bool,
    },
}

impl fmt::Debug for DatabaseTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print a password, even in debug output.
        f.write_str(&self.redacted())
    }
}

impl DatabaseTarget {
    /// The backend this target uses.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgres { .. } => Backend::Postgres,
            Self::Sqlite { .. } => Backend::Sqlite,
        }
    }

    /// A description safe for logs and errors: the password, if any, is masked.
    pub fn redacted(&self) -> String {
        match self {
            Self::Postgres { url } => redact_url(url),
            Self::Sqlite { path, .. } => format!("sqlite://{}", path.display()),
        }
    }
}

/// How to reach the database and how many connections to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseConfig {
    /// The database itself.
    pub target: DatabaseTarget,
    /// Maximum connections in the pool (DB_POOL_SIZE).
    pub pool_size: usize,
    /// Bound on establishing one connection and on waiting for a free one.
    pub connect_timeout: Duration,
}

/// The seed's separate PostgreSQL settings (DB_HOST, DB_PORT, DB_NAME, DB_USER,
/// DB_PASSWORD, DB_SSL).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct DbParts {
    /// Host name or address.
    pub host: String,
    /// Port; 5432 when `None`.
    pub port: Option<u16>,
    /// Database name; `game_db` (the seed's) when `None`.
    pub name: Option<String>,
    /// User; `game_user` (the seed's) when `None`.
    pub user: Option<String>,
    /// Password, if any.
    pub password: Option<String>,
    /// DB_SSL: `true`/`false` or a libpq sslmode (`disable`, `prefer`, `require`,
    /// `verify-ca`, `verify-full`).
    pub ssl: Option<String>,
}

impl fmt::Debug for DbParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbParts")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("name", &self.name)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("ssl", &self.ssl)
            .finish()
    }
}

impl DatabaseConfig {
    /// The embedded default: SQLite at `./data/kindling.db`, creating `./data/` if needed.
    pub fn default_sqlite() -> Self {
        Self::with_target(DatabaseTarget::Sqlite {
            path: PathBuf::from(DEFAULT_SQLITE_PATH),
            create_if_missing: true,
            create_dir: true,
        })
    }

    /// A configuration for `target` with the default pool size and timeout.
    pub fn with_target(target: DatabaseTarget) -> Self {
        Self {
            target,
            pool_size: DEFAULT_POOL_SIZE,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// Parses a database URL: `postgres://…`, `postgresql://…`, `sqlite://path` (add
    /// `?mode=rw` to refuse creating a missing file) or a bare file path.
    pub fn from_url(url: &str) -> Result<Self> {
        Ok(Self::with_target(parse_url(url)?))
    }

    /// Builds a PostgreSQL URL from the seed's separate settings.
    pub fn from_parts(parts: &DbParts) -> Result<Self> {
        let host = parts.host.trim();
        if host.is_empty() {
            return Err(PersistenceError::Config("DB_HOST is empty".into()));
        }
        let host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        let user = parts.user.as_deref().unwrap_or("game_user");
        let name = parts.name.as_deref().unwrap_or("game_db");
        let port = parts.port.unwrap_or(5432);
        let mut url = format!("postgres://{}", percent_encode(user));
        if let Some(password) = parts.password.as_deref().filter(|p| !p.is_empty()) {
            url.push(':');
            url.push_str(&percent_encode(password));
        }
        url.push_str(&format!("@{host}:{port}/{}", percent_encode(name)));
        if let Some(ssl) = parts.ssl.as_deref() {
            url.push_str(&format!("?sslmode={}", sslmode(ssl)?));
        }
        Self::from_url(&url)
    }

    /// Reads the configuration from the process environment (see [`Self::from_lookup`]).
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (an environment): DATABASE_URL if set,
    /// else DB_HOST and the other DB_* parts, else the SQLite default; DB_POOL_SIZE in all
    /// cases. Empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut config = if let Some(url) = get("DATABASE_URL") {
            Self::from_url(&url)?
        } else if let Some(host) = get("DB_HOST") {
            let port = match get("DB_PORT") {
                Some(p) => Some(p.trim().parse::<u16>().map_err(|_| {
                    PersistenceError::Config(format!("DB_PORT {p:?} is not a port number"))
                })?),
                None => None,
            };
            Self::from_parts(&DbParts {
                host,
                port,
                name: get("DB_NAME"),
                user: get("DB_USER"),
                password: lookup("DB_PASSWORD"),
                ssl: get("DB_SSL"),
            })?
        } else {
            Self::default_sqlite()
        };
        if let Some(size) = get("DB_POOL_SIZE") {
            config.pool_size = parse_pool_size(&size)?;
        }
        Ok(config)
    }

    /// Checks the numbers: a pool of at least one connection and a non-zero timeout.
    pub fn validate(&self) -> Result<()> {
        if self.pool_size == 0 || self.pool_size > MAX_POOL_SIZE {
            return Err(PersistenceError::Config(format!(
                "pool size {} is outside 1..={MAX_POOL_SIZE}",
                self.pool_size
            )));
        }
        if self.connect_timeout.is_zero() {
            return Err(PersistenceError::Config(
                "connect timeout must be above zero".into(),
            ));
        }
        Ok(())
    }

    /// The backend this configuration uses.
    pub fn backend(&self) -> Backend {
        self.target.backend()
    }
}

fn parse_pool_size(text: &str) -> Result<usize> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_POOL_SIZE).contains(&n) => Ok(n),
        _ => Err(PersistenceError::Config(format!(
            "DB_POOL_SIZE {text:?} must be a whole number in 1..={MAX_POOL_SIZE}"
        ))),
    }
}

/// Maps DB_SSL to a libpq sslmode.
fn sslmode(value: &str) -> Result<&'static str> {
    let mode = match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "require" => "require",
        "false" | "0" | "no" | "off" | "disable" => "disable",
        "allow" => "allow",
        "prefer" => "prefer",
        "verify-ca" => "verify-ca",
        "verify-full" => "verify-full",
        _ => {
            return Err(PersistenceError::Config(format!(
                "DB_SSL {value:?} must be true, false or a libpq sslmode \
                 (disable, allow, prefer, require, verify-ca, verify-full)"
            )));
        }
    };
    Ok(mode)
}

fn parse_url(url: &str) -> Result<DatabaseTarget> {
    let url = url.trim();
    if url.is_empty() {
        return Err(PersistenceError::Config("the database URL is empty".into()));
    }
    if url == ":memory:" || url.contains("mode=memory") || url == "sqlite::memory:" {
        // Every pooled connection would get its own empty database.
        return Err(PersistenceError::Config(
            "in-memory SQLite cannot be pooled (each connection would see its own empty \
             database); use a file path"
                .into(),
        ));
    }
    if let Some((scheme, rest)) = url.split_once("://") {
        return match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => {
                if rest.is_empty() {
                    return Err(PersistenceError::Config(
                        "the PostgreSQL URL names no server".into(),
                    ));
                }
                Ok(DatabaseTarget::Postgres {
                    url: url.to_owned(),
                })
            }
            "sqlite" | "file" => sqlite_target(rest),
            _ => Err(PersistenceError::UnknownScheme {
                scheme: scheme.to_owned(),
            }),
        };
    }
    // "sqlite:path" and "file:path" without slashes are common spellings too.
    for prefix in ["sqlite:", "file:"] {
        if let Some(rest) = url.strip_prefix(prefix) {
            return sqlite_target(rest);
        }
    }
    if let Some((scheme, _)) = url.split_once(':')
        && scheme.len() > 1
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+')
    {
        // "mysql:…" and friends: a scheme we do not know, not a file name.
        return Err(PersistenceError::UnknownScheme {
            scheme: scheme.to_owned(),
        });
    }
    sqlite_target(url)
}

fn sqlite_target(rest: &str) -> Result<DatabaseTarget> {
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    if path.is_empty() {
        return Err(PersistenceError::Config(
            "the SQLite URL names no file".into(),
        ));
    }
    let mut create_if_missing = true;
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        match pair {
            "mode=rwc" => create_if_missing = true,
            "mode=rw" => create_if_missing = false,
            "" => {}
            other => {
                return Err(PersistenceError::Config(format!(
                    "unsupported SQLite URL parameter {other:?} (only mode=rw or mode=rwc)"
                )));
            }
        }
    }
    Ok(DatabaseTarget::Sqlite {
        path: PathBuf::from(path),
        create_if_missing,
        create_dir: false,
    })
}

/// Adds libpq's `connect_timeout` to a URL that does not set one, so an unreachable
/// server fails within a bound instead of libpq's default of waiting indefinitely.
pub(crate) fn with_connect_timeout(url: &str, timeout: Duration) -> String {
    if url.contains("connect_timeout=") {
        return url.to_owned();
    }
    // libpq rounds anything below 2 s up to 2 s.
    let secs = timeout.as_secs().max(2);
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout={secs}")
}

/// Masks the password of a `scheme://user:password@host/…` URL and a `password=` parameter.
pub(crate) fn redact_url(url: &str) -> String {
    let mut out = match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, tail) = match rest.find(['/', '?']) {
                Some(i) => rest.split_at(i),
                None => (rest, ""),
            };
            match authority.rsplit_once('@') {
                Some((userinfo, host)) => match userinfo.split_once(':') {
                    Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
                    None => url.to_owned(),
                },
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    };
    if let Some(i) = out.find("password=") {
        let start = i + "password=".len();
        let end = out[start..].find('&').map_or(out.len(), |j| start + j);
        out.replace_range(start..end, "***");
    }
    out
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Checks a SQLite target before opening it, creating the default directory if allowed.
pub(crate) fn prepare_sqlite(path: &Path, create_if_missing: bool, create_dir: bool) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        if create_dir {
            std::fs::create_dir_all(&dir).map_err(|e| {
                PersistenceError::Config(format!("cannot create {}: {e}", dir.display()))
            })?;
        } else {
            return Err(PersistenceError::SqliteDirectoryMissing {
                path: path.to_path_buf(),
                dir,
            });
        }
    }
    if !create_if_missing && !path.exists() {
        return Err(PersistenceError::SqliteFileMissing {
            path: path.to_path_buf(),
        });
    }
    if path.is_dir() {
        return Err(PersistenceError::Config(format!(
            "SQLite database path {} is a directory",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db?sslmode=require"),
            "postgres://u:***@h:5432/db?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://h/db?user=u&password=secret&x=1"),
            "postgres://h/db?user=u&password=***&x=1"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn adds_connect_timeout_once() {
        let d = Duration::from_secs(3);
        assert_eq!(
            with_connect_timeout("postgres://h/db", d),
            "postgres://h/db?connect_timeout=3"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?sslmode=disable", d),
            "postgres://h/db?sslmode=disable&connect_timeout=3"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?connect_timeout=9", d),
            "postgres://h/db?connect_timeout=9"
        );
    }

    #[test]
    fn percent_encodes_reserved_characters() {
        assert_eq!(percent_encode("p@ss:w/rd"), "p%40ss%3Aw%2Frd");
    }
}
