//! Login sessions. The raw token is returned once, at creation; the table keeps only its
//! SHA-256, so a copy of the database cannot be used to log in.

use std::time::Duration;

use diesel::prelude::*;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::{Account, AccountId, PlayerRow};
use crate::clock;
use crate::database::{Database, with_conn};
use crate::error::{PersistenceError, Result};
use crate::schema::{players, sessions};

/// Random bytes in a token (hex-encoded, so tokens are 64 characters).
pub const TOKEN_BYTES: usize = 32;
/// Longest IP address text kept.
pub const MAX_IP_CHARS: usize = 64;
/// Longest user agent text kept.
pub const MAX_USER_AGENT_CHARS: usize = 512;

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Session id (goes into the JWT).
    pub id: Uuid,
    /// The account it logs in.
    pub account_id: AccountId,
    /// Created (UTC).
    pub created_at: OffsetDateTime,
    /// Expires (UTC).
    pub expires_at: OffsetDateTime,
    /// Client address at creation, if known.
    pub ip: Option<String>,
    /// Client user agent at creation, if known.
    pub user_agent: Option<String>,
    /// When it was revoked (logout, ban), if it was.
    pub revoked_at: Option<OffsetDateTime>,
}

impl Session {
    /// Whether the session logs its account in at `now`.
    pub fn is_active_at(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// A new session and its token. The token exists only here: hand it to the client.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The stored session.
    pub session: Session,
    /// The raw bearer token (64 hex characters).
    pub token: String,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
struct SessionRow {
    id: String,
    player_id: i64,
    token_hash: String,
    created_at: time::PrimitiveDateTime,
    expires_at: time::PrimitiveDateTime,
    ip: Option<String>,
    user_agent: Option<String>,
    revoked_at: Option<time::PrimitiveDateTime>,
}

impl SessionRow {
    fn into_session(self) -> Result<Session> {
        let id = Uuid::parse_str(&self.id)
            .map_err(|e| PersistenceError::corrupt("sessions", &self.id, e))?;
        Ok(Session {
            id,
            account_id: AccountId(self.player_id),
            created_at: clock::from_db(self.created_at),
            expires_at: clock::from_db(self.expires_at),
            ip: self.ip,
            user_agent: self.user_agent,
            revoked_at: self.revoked_at.map(clock::from_db),
        })
    }
}

/// The stored form of a token: hex SHA-256.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// How [`Sessions::find_active`] finds a session.
enum Lookup {
    TokenHash(String),
    Id(String),
}

fn looks_like_token(token: &str) -> bool {
    token.len() == TOKEN_BYTES * 2 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn truncate(text: Option<&str>, max_chars: usize) -> Option<String> {
    text.map(|t| t.chars().take(max_chars).collect())
}

/// The sessions repository (from [`Database::sessions`]).
#[derive(Debug, Clone)]
pub struct Sessions {
    db: Database,
}

impl Sessions {
    pub(crate) fn new(db: Database) -> Self {
        Self { db }
    }

    /// Creates a session for `account` lasting `ttl` (SESSION_TIMEOUT) and returns it
    /// with its raw token. `ip` and `user_agent` are kept, truncated, for the account's
    /// owner and for abuse handling.
    pub async fn create(
        &self,
        account: AccountId,
        ttl: Duration,
        ip: Option<&str>,
        user_agent: Option<&str>,
    ) -> Result<NewSession> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| PersistenceError::Random(e.to_string()))?;
        let token = hex::encode(bytes);
        let now = clock::now();
        let row = SessionRow {
            id: Uuid::new_v4().to_string(),
            player_id: account.0,
            token_hash: hash_token(&token),
            created_at: now,
            expires_at: clock::after(now, ttl),
            ip: truncate(ip, MAX_IP_CHARS),
            user_agent: truncate(user_agent, MAX_USER_AGENT_CHARS),
            revoked_at: None,
        };
        let row = with_conn!(&self.db, conn => {
            diesel::insert_into(sessions::table)
                .values(&row)
                .returning(SessionRow::as_returning())
                .get_result(conn)
                .map_err(|e| match e {
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                        _,
                    ) => PersistenceError::NotFound { what: format!("player {account}") },
                    e => e.into(),
                })
        })?;
        Ok(NewSession {
            session: row.into_session()?,
            token,
        })
    }

    /// The session and its account for a raw token, if the session exists, is not
    /// revoked and has not expired. Malformed tokens are `Ok(None)` without a query.
    pub async fn validate(&self, token: &str) -> Result<Option<(Session, Account)>> {
        if !looks_like_token(token) {
            return Ok(None);
        }
        let hash = hash_token(token);
        self.find_active(Lookup::TokenHash(hash)).await
    }

    /// The session and its account by session id (e.g. from a JWT), if it is active.
    pub async fn validate_id(&self, id: Uuid) -> Result<Option<(Session, Account)>> {
        self.find_active(Lookup::Id(id.to_string())).await
    }

    async fn find_active(&self, lookup: Lookup) -> Result<Option<(Session, Account)>> {
        let now = clock::now();
        let row = with_conn!(&self.db, conn => {
            let query = sessions::table
                .inner_join(players::table)
                .filter(sessions::revoked_at.is_null())
                .filter(sessions::expires_at.gt(now))
                .select((SessionRow::as_select(), PlayerRow::as_select()));
            match lookup {
                Lookup::TokenHash(hash) => query.filter(sessions::token_hash.eq(hash)).first(conn),
                Lookup::Id(id) => query.filter(sessions::id.eq(id)).first(conn),
            }
            .optional()
            .map_err(PersistenceError::from)
        })?;
        match row {
            Some((session, player)) => Ok(Some((session.into_session()?, player.into_account().0))),
            None => Ok(None),
        }
    }

    /// Marks one session revoked; `Ok(false)` if it did not exist or was already revoked.
    pub async fn revoke(&self, id: Uuid) -> Result<bool> {
        let now = clock::now();
        let id = id.to_string();
        let n = with_conn!(&self.db, conn => {
            diesel::update(
                sessions::table
                    .filter(sessions::id.eq(id))
                    .filter(sessions::revoked_at.is_null()),
            )
            .set(sessions::revoked_at.eq(now))
            .execute(conn)
            .map_err(PersistenceError::from)
        })?;
        Ok(n > 0)
    }

    /// Revokes the session a raw token belongs to (logout); `Ok(false)` if none was active.
    pub async fn revoke_token(&self, token: &str) -> Result<bool> {
        if !looks_like_token(token) {
            return Ok(false);
        }
        let now = clock::now();
        let hash = hash_token(token);
        let n = with_conn!(&self.db, conn => {
            diesel::update(
                sessions::table
                    .filter(sessions::token_hash.eq(hash))
                    .filter(sessions::revoked_at.is_null()),
            )
            .set(sessions::revoked_at.eq(now))
            .execute(conn)
            .map_err(PersistenceError::from)
        })?;
        Ok(n > 0)
    }

    /// Revokes every active session of an account (password change, "log out everywhere");
    /// returns how many were revoked.
    pub async fn revoke_all(&self, account: AccountId) -> Result<usize> {
        let now = clock::now();
        with_conn!(&self.db, conn => {
            diesel::update(
                sessions::table
                    .filter(sessions::player_id.eq(account.0))
                    .filter(sessions::revoked_at.is_null()),
            )
            .set(sessions::revoked_at.eq(now))
            .execute(conn)
            .map_err(PersistenceError::from)
        })
    }

    /// Moves an active session's expiry to `ttl` from now (sliding SESSION_TIMEOUT);
    /// `Ok(false)` if the session is revoked, expired or unknown.
    pub async fn extend(&self, id: Uuid, ttl: Duration) -> Result<bool> {
        let now = clock::now();
        let expires = clock::after(now, ttl);
        let id = id.to_string();
        let n = with_conn!(&self.db, conn => {
            diesel::update(
                sessions::table
                    .filter(sessions::id.eq(id))
                    .filter(sessions::revoked_at.is_null())
                    .filter(sessions::expires_at.gt(now)),
            )
            .set(sessions::expires_at.eq(expires))
            .execute(conn)
            .map_err(PersistenceError::from)
        })?;
        Ok(n > 0)
    }

    /// Deletes sessions that expired or were revoked before now; returns how many.
    pub async fn purge_expired(&self) -> Result<usize> {
        let now = clock::now();
        with_conn!(&self.db, conn => {
            diesel::delete(
                sessions::table.filter(
                    sessions::expires_at
                        .le(now)
                        .or(sessions::revoked_at.le(now)),
                ),
            )
            .execute(conn)
            .map_err(PersistenceError::from)
        })
    }

    /// All sessions of an account, newest first (active or not).
    pub async fn list(&self, account: AccountId) -> Result<Vec<Session>> {
        let rows: Vec<SessionRow> = with_conn!(&self.db, conn => {
            sessions::table
                .filter(sessions::player_id.eq(account.0))
                .order(sessions::created_at.desc())
                .select(SessionRow::as_select())
                .load(conn)
                .map_err(PersistenceError::from)
        })?;
        rows.into_iter().map(SessionRow::into_session).collect()
    }
}
