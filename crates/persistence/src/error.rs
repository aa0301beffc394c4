//! The one error type of this crate.

use std::path::PathBuf;

use time::PrimitiveDateTime;

/// Everything that can go wrong in persistence, from configuration to bad rows.
#[derive(Debug, thiserror::Error)]
pub enum PersistenceError {
    /// The database URL or the DB_* settings cannot be understood.
    #[error("invalid database configuration: {0}")]
    Config(String),

    /// The URL names a scheme we do not support.
    #[error(
        "unsupported database URL scheme {scheme:?}: use postgres://, postgresql://, sqlite:// or a file path"
    )]
    UnknownScheme {
        /// The scheme as written.
        scheme: String,
    },

    /// A SQLite path whose directory does not exist; we refuse to guess another place.
    #[error(
        "SQLite database {path:?}: directory {dir:?} does not exist (create it, or fix the path)"
    )]
    SqliteDirectoryMissing {
        /// The database file asked for.
        path: PathBuf,
        /// Its missing parent directory.
        dir: PathBuf,
    },

    /// A SQLite file that must already exist does not.
    #[error(
        "SQLite database {path:?} does not exist and creating it was not allowed (check the path, or add ?mode=rwc)"
    )]
    SqliteFileMissing {
        /// The database file asked for.
        path: PathBuf,
    },

    /// The database could not be reached or refused the connection.
    #[error("cannot connect to {target}: {reason}")]
    Connect {
        /// Where we tried to connect, with any password masked.
        target: String,
        /// Why it failed.
        reason: String,
    },

    /// No connection became available in time (database down or pool exhausted).
    #[error("timed out waiting for a database connection to {target}")]
    Timeout {
        /// Where we tried to connect, with any password masked.
        target: String,
    },

    /// Running, reverting or listing migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),

    /// A query failed in the database.
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),

    /// The database thread running a query panicked or was cancelled.
    #[error("database worker failed: {0}")]
    Worker(String),

    /// A username that breaks the `^[A-Za-z0-9_]{3,32}$` rule.
    #[error("invalid username {0:?}: use 3 to 32 letters, digits or underscores")]
    InvalidUsername(String),

    /// A password that breaks the length rules.
    #[error("invalid password: {0}")]
    InvalidPassword(&'static str),

    /// An email address that is obviously not one.
    #[error("invalid email address {0:?}")]
    InvalidEmail(String),

    /// A world id that is empty, too long or has control characters.
    #[error("invalid world id {0:?}: use 1 to 64 printable characters")]
    InvalidWorldId(String),

    /// Registration with a name somebody already has (case-insensitive).
    #[error("username {0:?} is already taken")]
    UsernameTaken(String),

    /// Wrong username or password (deliberately not saying which).
    #[error("wrong username or password")]
    InvalidCredentials,

    /// The account is banned.
    #[error("account is banned until {until}{}", reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default())]
    Banned {
        /// End of the ban (UTC); year 9999 for a permanent ban.
        until: PrimitiveDateTime,
        /// Why, if a reason was given.
        reason: Option<String>,
    },

    /// A row that should exist does not.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, e.g. "player 42".
        what: String,
    },

    /// A row holds data this version cannot read (corrupt JSON, negative counters…).
    #[error("unreadable {table} row {key}: {reason}")]
    CorruptRow {
        /// Table of the row.
        table: &'static str,
        /// Its key.
        key: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A row written by a newer version of the game than this one understands.
    #[error("{table} row {key} has format version {found}; this build reads up to {supported}")]
    UnsupportedFormat {
        /// Table of the row.
        table: &'static str,
        /// Its key.
        key: String,
        /// Version found in the row.
        found: i32,
        /// Newest version this build reads.
        supported: u32,
    },

    /// Hashing or parsing a password hash failed.
    #[error("password hashing failed: {0}")]
    PasswordHash(String),

    /// The operating system could not provide random bytes.
    #[error("no secure randomness available: {0}")]
    Random(String),

    /// A value to store could not be encoded.
    #[error("cannot encode {what}: {reason}")]
    Encode {
        /// What was being encoded.
        what: &'static str,
        /// Why it failed.
        reason: String,
    },
}

impl PersistenceError {
    /// Whether retrying later may succeed (connection trouble), as opposed to an error in
    /// the data or the request that will fail the same way again.
    pub fn is_transient(&self) -> bool {
        use diesel::result::Error as D;
        match self {
            Self::Connect { .. } | Self::Timeout { .. } | Self::Worker(_) => true,
            Self::Query(D::DatabaseError(kind, _)) => matches!(
                kind,
                diesel::result::DatabaseErrorKind::ClosedConnection
                    | diesel::result::DatabaseErrorKind::SerializationFailure
                    | diesel::result::DatabaseErrorKind::Unknown
            ),
            Self::Query(D::BrokenTransactionManager) => true,
            _ => false,
        }
    }

    pub(crate) fn corrupt(table: &'static str, key: impl ToString, reason: impl ToString) -> Self {
        Self::CorruptRow {
            table,
            key: key.to_string(),
            reason: reason.to_string(),
        }
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = PersistenceError> = std::result::Result<T, E>;
