//! Accounts: registration with argon2id password hashes, password checks, bans, guests and
//! the last-login time.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::clock;
use crate::database::{Database, with_conn};
use crate::error::{PersistenceError, Result};
use crate::schema::{lower, players, sessions};

/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest accepted password, in bytes (hashing cost must not be the client's choice).
pub const MAX_PASSWORD_BYTES: usize = 256;
/// Longest accepted email address, in bytes.
pub const MAX_EMAIL_BYTES: usize = 254;

/// An account's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AccountId(pub i64);

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An account as stored, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Database id.
    pub id: AccountId,
    /// Unique (case-insensitively) name, `^[A-Za-z0-9_]{3,32}$`.
    pub username: String,
    /// Email address, if given.
    pub email: Option<String>,
    /// Guest accounts have no password and stay off the leaderboards.
    pub is_guest: bool,
    /// When the account was created (UTC).
    pub created_at: OffsetDateTime,
    /// Last successful login (UTC).
    pub last_login_at: Option<OffsetDateTime>,
    /// Banned while this is in the future (UTC).
    pub banned_until: Option<OffsetDateTime>,
    /// Why the account was banned.
    pub ban_reason: Option<String>,
}

impl Account {
    /// Whether the account is banned at `now`.
    pub fn is_banned_at(&self, now: OffsetDateTime) -> bool {
        self.banned_until.is_some_and(|until| until > now)
    }

    /// `Err(Banned)` if the account is banned now.
    pub fn ensure_not_banned(&self) -> Result<()> {
        match self.banned_until {
            Some(until) if until > OffsetDateTime::now_utc() => Err(PersistenceError::Banned {
                until: clock::to_db(until),
                reason: self.ban_reason.clone(),
            }),
            _ => Ok(()),
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = players)]
pub(crate) struct PlayerRow {
    id: i64,
    username: String,
    email: Option<String>,
    password_hash: Option<String>,
    is_guest: bool,
    created_at: time::PrimitiveDateTime,
    last_login_at: Option<time::PrimitiveDateTime>,
    banned_until: Option<time::PrimitiveDateTime>,
    ban_reason: Option<String>,
}

impl PlayerRow {
    pub(crate) fn into_account(self) -> (Account, Option<String>) {
        let account = Account {
            id: AccountId(self.id),
            username: self.username,
            email: self.email,
            is_guest: self.is_guest,
            created_at: clock::from_db(self.created_at),
            last_login_at: self.last_login_at.map(clock::from_db),
            banned_until: self.banned_until.map(clock::from_db),
            ban_reason: self.ban_reason,
        };
        (account, self.password_hash)
    }
}

#[derive(Insertable)]
#[diesel(table_name = players)]
struct NewPlayerRow {
    username: String,
    email: Option<String>,
    password_hash: Option<String>,
    is_guest: bool,
    created_at: time::PrimitiveDateTime,
}

/// Checks the username rule `^[A-Za-z0-9_]{3,32}$`.
pub fn validate_username(name: &str) -> Result<()> {
    let ok = (3..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(PersistenceError::InvalidUsername(name.to_owned()))
    }
}

/// Checks the password length rules.
pub fn validate_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PersistenceError::InvalidPassword(
            "use at least 8 characters",
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(PersistenceError::InvalidPassword("use at most 256 bytes"));
    }
    Ok(())
}

fn validate_email(email: &str) -> Result<()> {
    let ok = email.len() <= MAX_EMAIL_BYTES
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if ok {
        Ok(())
    } else {
        Err(PersistenceError::InvalidEmail(email.to_owned()))
    }
}

/// Hashes with argon2id (the crate's defaults follow OWASP: 19 MiB, 2 passes) on a
/// blocking thread: a hash takes tens of milliseconds and must not stall the executor.
async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| PersistenceError::PasswordHash(e.to_string()))
    })
    .await
    .map_err(|e| PersistenceError::Worker(e.to_string()))?
}

/// Verifies `password` against a PHC string; `Ok(false)` for a mismatch.
async fn check_password(password: String, phc: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&phc).map_err(|e| PersistenceError::PasswordHash(e.to_string()))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| PersistenceError::Worker(e.to_string()))?
}

/// A valid hash of nothing useful, checked when the user does not exist so that a wrong
/// name takes as long as a wrong password and names cannot be probed by timing.
async fn dummy_hash() -> Result<String> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = hash_password("not a real password".to_owned()).await?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// The accounts repository (from [`Database::accounts`]).
#[derive(Debug, Clone)]
pub struct Accounts {
    db: Database,
}

impl Accounts {
    pub(crate) fn new(db: Database) -> Self {
        Self { db }
    }

    /// Creates an account with an argon2id hash of `password`.
    pub async fn register(
        &self,
        username: &str,
        password: &str,
        email: Option<&str>,
    ) -> Result<Account> {
        validate_username(username)?;
        validate_password(password)?;
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        if let Some(email) = email {
            validate_email(email)?;
        }
        let hash = hash_password(password.to_owned()).await?;
        self.insert(NewPlayerRow {
            username: username.to_owned(),
            email: email.map(str::to_owned),
            password_hash: Some(hash),
            is_guest: false,
            created_at: clock::now(),
        })
        .await
    }

    /// Creates a guest account named `guest_` and 8 random hex digits; guests have no
    /// password (they come back by session token only).
    pub async fn create_guest(&self) -> Result<Account> {
        // A clash among 4 billion names is rare; a few tries make it practically impossible.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut bytes = [0u8; 4];
            getrandom::fill(&mut bytes).map_err(|e| PersistenceError::Random(e.to_string()))?;
            let row = NewPlayerRow {
                username: format!("guest_{}", hex::encode(bytes)),
                email: None,
                password_hash: None,
                is_guest: true,
                created_at: clock::now(),
            };
            match self.insert(row).await {
                Err(PersistenceError::UsernameTaken(_)) if attempt < 5 => {}
                other => return other,
            }
        }
    }

    async fn insert(&self, row: NewPlayerRow) -> Result<Account> {
        let name = row.username.clone();
        with_conn!(&self.db, conn => {
            diesel::insert_into(players::table)
                .values(&row)
                .returning(PlayerRow::as_returning())
                .get_result(conn)
                .map(|r| r.into_account().0)
                .map_err(|e| if is_unique_violation(&e) {
                    PersistenceError::UsernameTaken(name)
                } else {
                    e.into()
                })
        })
    }

    /// Creates a guest account named `name` (the username rule applies); a name already in
    /// use gives [`PersistenceError::UsernameTaken`], so the caller can fall back to
    /// [`Accounts::create_guest`].
    pub async fn create_guest_named(&self, name: &str) -> Result<Account> {
        validate_username(name)?;
        self.insert(NewPlayerRow {
            username: name.to_owned(),
            email: None,
            password_hash: None,
            is_guest: true,
            created_at: clock::now(),
        })
        .await
    }

    /// Checks a username and password. Unknown names, guests and wrong passwords all give
    /// [`PersistenceError::InvalidCredentials`]. Bans are not checked here (see
    /// [`Accounts::login`]).
    pub async fn verify_password(&self, username: &str, password: &str) -> Result<Account> {
        let found = if validate_username(username).is_ok() {
            self.find_by_username(username).await?
        } else {
            None
        };
        match found {
            Some((account, Some(phc))) => {
                if check_password(password.to_owned(), phc).await? {
                    Ok(account)
                } else {
                    Err(PersistenceError::InvalidCredentials)
                }
            }
            _ => {
                // Spend the same time as a real check, then refuse.
                let _ = check_password(password.to_owned(), dummy_hash().await?).await?;
                Err(PersistenceError::InvalidCredentials)
            }
        }
    }

    /// A full login: password, then ban check, then the last-login time is updated.
    pub async fn login(&self, username: &str, password: &str) -> Result<Account> {
        let mut account = self.verify_password(username, password).await?;
        account.ensure_not_banned()?;
        account.last_login_at = Some(self.touch_last_login(account.id).await?);
        Ok(account)
    }

    /// Sets the last-login time to now and returns it.
    pub async fn touch_last_login(&self, id: AccountId) -> Result<OffsetDateTime> {
        let now = clock::now();
        let n = with_conn!(&self.db, conn => {
            diesel::update(players::table.find(id.0))
                .set(players::last_login_at.eq(now))
                .execute(conn)
                .map_err(PersistenceError::from)
        })?;
        if n == 0 {
            return Err(not_found(id));
        }
        Ok(clock::from_db(now))
    }

    /// The account with this id.
    pub async fn by_id(&self, id: AccountId) -> Result<Option<Account>> {
        let row = with_conn!(&self.db, conn => {
            players::table
                .find(id.0)
                .select(PlayerRow::as_select())
                .first(conn)
                .optional()
                .map_err(PersistenceError::from)
        })?;
        Ok(row.map(|r| r.into_account().0))
    }

    /// The account with this name (case-insensitive).
    pub async fn by_username(&self, username: &str) -> Result<Option<Account>> {
        Ok(self.find_by_username(username).await?.map(|(a, _)| a))
    }

    async fn find_by_username(&self, username: &str) -> Result<Option<(Account, Option<String>)>> {
        let name = username.to_owned();
        let row = with_conn!(&self.db, conn => {
            players::table
                .filter(lower(players::username).eq(lower(name)))
                .select(PlayerRow::as_select())
                .first(conn)
                .optional()
                .map_err(PersistenceError::from)
        })?;
        Ok(row.map(PlayerRow::into_account))
    }

    /// Bans an account until `until` (`None`: permanently) and revokes all its sessions,
    /// in one transaction.
    pub async fn ban(
        &self,
        id: AccountId,
        until: Option<OffsetDateTime>,
        reason: Option<&str>,
    ) -> Result<()> {
        let until = until.map_or_else(clock::forever, clock::to_db);
        let reason = reason.map(str::to_owned);
        let now = clock::now();
        let n = with_conn!(&self.db, conn => {
            conn.transaction(|conn| {
                let n = diesel::update(players::table.find(id.0))
                    .set((players::banned_until.eq(until), players::ban_reason.eq(&reason)))
                    .execute(conn)?;
                diesel::update(
                    sessions::table
                        .filter(sessions::player_id.eq(id.0))
                        .filter(sessions::revoked_at.is_null()),
                )
                .set(sessions::revoked_at.eq(now))
                .execute(conn)?;
                Ok::<_, diesel::result::Error>(n)
            })
            .map_err(PersistenceError::from)
        })?;
        if n == 0 {
            return Err(not_found(id));
        }
        Ok(())
    }

    /// Lifts a ban.
    pub async fn unban(&self, id: AccountId) -> Result<()> {
        let n = with_conn!(&self.db, conn => {
            diesel::update(players::table.find(id.0))
                .set((
                    players::banned_until.eq(None::<time::PrimitiveDateTime>),
                    players::ban_reason.eq(None::<String>),
                ))
                .execute(conn)
                .map_err(PersistenceError::from)
        })?;
        if n == 0 {
            return Err(not_found(id));
        }
        Ok(())
    }

    /// The account, or `Err(Banned)` if it is banned now, or `Err(NotFound)`.
    pub async fn ensure_not_banned(&self, id: AccountId) -> Result<Account> {
        let account = self.by_id(id).await?.ok_or_else(|| not_found(id))?;
        account.ensure_not_banned()?;
        Ok(account)
    }
}

fn not_found(id: AccountId) -> PersistenceError {
    PersistenceError::NotFound {
        what: format!("player {id}"),
    }
}
