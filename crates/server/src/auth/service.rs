//! The HTTP API's accounts and sessions, over persistence, with JWT bearer tokens.

use std::sync::Arc;
use std::time::Duration;

use net_gateway::{
    AccountView, ApiError, AuthApi, AuthGrant, ClientInfo, Credentials, GuestRequest, Identity,
    LeaderboardEntry, LeaderboardKind, Readiness, WorldInfo,
};
use persistence::{Account, AccountId, Database, PersistenceError, Ranking};

use super::errors::api_error;
use super::jwt::{Claims, TokenError, TokenKeys};
use crate::worlds::Worlds;

/// Accounts, sessions and tokens.
#[derive(Clone)]
pub struct AuthService {
    db: Database,
    keys: TokenKeys,
    token_ttl: Duration,
    session_ttl: Duration,
    worlds: Arc<Worlds>,
}

impl AuthService {
    /// A service signing tokens with `keys`; tokens live `token_ttl` (JWT_EXPIRES_IN) and
    /// their sessions `session_ttl` (SESSION_TIMEOUT), whichever ends first.
    pub fn new(
        db: Database,
        keys: TokenKeys,
        token_ttl: Duration,
        session_ttl: Duration,
        worlds: Arc<Worlds>,
    ) -> Self {
        Self {
            db,
            keys,
            token_ttl,
            session_ttl,
            worlds,
        }
    }

    /// The database.
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// Opens a session for `account` and signs a token for it.
    /// A new guest account: named `name` when it follows the username rule and is free,
    /// otherwise a generated `guest_…` name (a guest should not fail to play over a name).
    pub async fn create_guest(&self, name: Option<&str>) -> Result<Account, ApiError> {
        let accounts = self.db.accounts();
        if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
            match accounts.create_guest_named(name).await {
                Ok(account) => return Ok(account),
                Err(PersistenceError::UsernameTaken(_) | PersistenceError::InvalidUsername(_)) => {
                    tracing::debug!("guest name unusable; generating one");
                }
                Err(e) => return Err(api_error(e)),
            }
        }
        accounts.create_guest().await.map_err(api_error)
    }

    /// Opens a session row for `account` and returns its id (for a WebSocket guest, whose
    /// handshake ack carries it).
    pub async fn open_session(
        &self,
        account: &Account,
        client: &ClientInfo,
    ) -> Result<persistence::Session, ApiError> {
        let ip = client.ip.to_string();
        let ttl = self.session_ttl.min(self.token_ttl);
        Ok(self
            .db
            .sessions()
            .create(account.id, ttl, Some(&ip), client.user_agent.as_deref())
            .await
            .map_err(api_error)?
            .session)
    }

    async fn grant(&self, account: Account, client: &ClientInfo) -> Result<AuthGrant, ApiError> {
        let ttl = self.session_ttl.min(self.token_ttl);
        let session = self.open_session(&account, client).await?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let exp = now + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
        let claims = Claims {
            sub: account.id.0.to_string(),
            sid: session.id.to_string(),
            name: account.username.clone(),
            guest: account.is_guest,
            iat: now,
            exp,
        };
        let token = self.keys.issue(&claims).map_err(|_| ApiError::internal())?;
        tracing::info!(
            account = account.id.0,
            guest = account.is_guest,
            "session opened"
        );
        Ok(AuthGrant {
            token,
            expires_at: exp,
            account: self.view(&account).await?,
        })
    }

    async fn view(&self, account: &Account) -> Result<AccountView, ApiError> {
        let progress = self
            .db
            .progress()
            .load(account.id)
            .await
            .map_err(api_error)?;
        let (level, xp) = progress.map_or((1, 0), |p| (p.level, p.xp));
        Ok(AccountView {
            id: account.id.0,
            username: account.username.clone(),
            guest: account.is_guest,
            level,
            xp,
        })
    }
}

fn token_error(e: TokenError) -> ApiError {
    match e {
        TokenError::Expired => ApiError::new(401, "token_expired", e.to_string()),
        TokenError::Invalid => ApiError::new(401, "invalid_token", e.to_string()),
    }
}

impl AuthApi for AuthService {
    async fn register(&self, c: Credentials, client: ClientInfo) -> Result<AuthGrant, ApiError> {
        let account = self
            .db
            .accounts()
            .register(&c.username, &c.password, c.email.as_deref())
            .await
            .map_err(api_error)?;
        self.grant(account, &client).await
    }

    async fn login(&self, c: Credentials, client: ClientInfo) -> Result<AuthGrant, ApiError> {
        let account = self
            .db
            .accounts()
            .login(&c.username, &c.password)
            .await
            .map_err(api_error)?;
        self.grant(account, &client).await
    }

    async fn guest(
        &self,
        request: GuestRequest,
        client: ClientInfo,
    ) -> Result<AuthGrant, ApiError> {
        let account = self.create_guest(request.name.as_deref()).await?;
        self.grant(account, &client).await
    }

    async fn logout(&self, token: &str) -> Result<(), ApiError> {
        let claims = self.keys.verify(token).map_err(token_error)?;
        let sid =
            uuid::Uuid::parse_str(&claims.sid).map_err(|_| token_error(TokenError::Invalid))?;
        self.db.sessions().revoke(sid).await.map_err(api_error)?;
        tracing::info!(account = %claims.sub, "session revoked by logout");
        Ok(())
    }

    async fn authenticate(&self, token: &str) -> Result<Identity, ApiError> {
        let claims = self.keys.verify(token).map_err(token_error)?;
        let account_id = claims.account_id().map_err(token_error)?;
        let sid =
            uuid::Uuid::parse_str(&claims.sid).map_err(|_| token_error(TokenError::Invalid))?;
        let Some((session, account)) = self
            .db
            .sessions()
            .validate_id(sid)
            .await
            .map_err(api_error)?
        else {
            // A ban ends every session; say so rather than "log in again".
            if let Ok(Some(account)) = self.db.accounts().by_id(AccountId(account_id)).await {
                account.ensure_not_banned().map_err(api_error)?;
            }
            return Err(ApiError::new(
                401,
                "session_ended",
                "the session has ended (logged out, expired or revoked); log in again",
            ));
        };
        if session.account_id != AccountId(account_id) {
            return Err(token_error(TokenError::Invalid));
        }
        account.ensure_not_banned().map_err(api_error)?;
        Ok(Identity {
            account_id,
            username: account.username,
            guest: account.is_guest,
            session_id: claims.sid,
        })
    }

    async fn me(&self, who: &Identity) -> Result<AccountView, ApiError> {
        let account = self
            .db
            .accounts()
            .by_id(AccountId(who.account_id))
            .await
            .map_err(api_error)?
            .ok_or_else(|| ApiError::not_found("no such account"))?;
        self.view(&account).await
    }

    async fn leaderboard(
        &self,
        kind: LeaderboardKind,
        limit: u32,
    ) -> Result<Vec<LeaderboardEntry>, ApiError> {
        let ranking = match kind {
            LeaderboardKind::Level => Ranking::Level,
            LeaderboardKind::Kills => Ranking::Kills,
        };
        let rows = self
            .db
            .leaderboards()
            .top(ranking, limit as usize)
            .await
            .map_err(api_error)?;
        Ok(rows
            .into_iter()
            .map(|r| LeaderboardEntry {
                rank: r.rank,
                username: r.username,
                level: r.level,
                xp: r.xp,
                kills: r.kills,
            })
            .collect())
    }

    fn worlds(&self) -> Vec<WorldInfo> {
        self.worlds.infos()
    }

    async fn readiness(&self) -> Readiness {
        let database = matches!(
            tokio::time::timeout(Duration::from_secs(2), self.db.ping()).await,
            Ok(Ok(()))
        );
        Readiness {
            database,
            simulation: self.worlds.all_ticking(),
        }
    }
}
