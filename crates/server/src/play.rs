//! Opening game sessions for WebSocket handshakes: who the player is (token or guest),
//! which world, resume or join with saved progress, and the link between connection and
//! world.

use std::sync::Arc;

use net_gateway::{ApiError, AuthApi, ClientInfo, GameApi, GameSession, SessionLink};
use persistence::{AccountId, Database, SaveQueue};
use protocol::{
    Auth, ClientReplica, ErrorCode, ErrorMsg, Handshake, HandshakeAck, Input, ReplicationConfig,
    ServerMessage, Severity,
};
use sim_core::PlayerId;

use crate::auth::{AuthService, api_error};
use crate::game::{JoinRefusal, Joined, Member};
use crate::worlds::{PickError, World, Worlds};

/// The server's [`GameApi`].
pub struct PlayService {
    auth: AuthService,
    db: Database,
    worlds: Arc<Worlds>,
    saves: Arc<SaveQueue>,
    replication: ReplicationConfig,
}

impl PlayService {
    /// A service over these worlds and stores.
    pub fn new(
        auth: AuthService,
        worlds: Arc<Worlds>,
        saves: Arc<SaveQueue>,
        replication: ReplicationConfig,
    ) -> Self {
        let db = auth.db().clone();
        Self {
            auth,
            db,
            worlds,
            saves,
            replication,
        }
    }

    fn ack(
        &self,
        world: &World,
        joined: &Joined<ServerMessage>,
        version: u16,
        session_id: String,
    ) -> ServerMessage {
        let cfg = world.game_config();
        ServerMessage::HandshakeAck(HandshakeAck {
            version,
            session_id,
            player: joined.player.0,
            tick_rate: u16::try_from(cfg.tick_rate).unwrap_or(u16::MAX),
            server_tick: joined.tick,
            world: protocol::WorldInfo::new(cfg, &self.replication, world.content_version()),
            resume_token: joined.resume_token.clone(),
        })
    }
}

fn refusal(code: ErrorCode, message: impl Into<String>) -> ErrorMsg {
    ErrorMsg {
        code,
        severity: Severity::Fatal,
        message: message.into(),
    }
}

fn from_api(e: ApiError) -> ErrorMsg {
    let code = match e.code {
        "banned" => ErrorCode::Banned,
        "unavailable" | "internal" => ErrorCode::Internal,
        _ => ErrorCode::AuthFailed,
    };
    refusal(code, e.message)
}

impl GameApi for PlayService {
    async fn open(
        &self,
        handshake: Handshake,
        version: u16,
        client: ClientInfo,
        world: Option<String>,
    ) -> Result<GameSession, ErrorMsg> {
        let (member, session_id, token_auth) = match &handshake.auth {
            Auth::Token { token } => {
                let who = self.auth.authenticate(token).await.map_err(from_api)?;
                (
                    Member {
                        account_id: who.account_id,
                        name: who.username,
                    },
                    who.session_id,
                    true,
                )
            }
            Auth::Guest { name } => {
                let account = self
                    .auth
                    .create_guest(name.as_deref())
                    .await
                    .map_err(from_api)?;
                // A real session row, so the ack's session id names something (and a ban
                // or the session purge sees the guest like any account).
                let session = self
                    .auth
                    .open_session(&account, &client)
                    .await
                    .map_err(from_api)?;
                (
                    Member {
                        account_id: account.id.0,
                        name: account.username,
                    },
                    session.id.to_string(),
                    false,
                )
            }
        };

        // A resume token takes the player over wherever it waits; if it has expired the
        // player joins afresh from saved progress.
        if let Some(token) = handshake.resume_token.clone().filter(|t| !t.is_empty()) {
            let owner = token_auth.then_some(member.account_id);
            for w in self.worlds.all() {
                if let Ok(joined) = w.resume(owner, token.clone()).await {
                    tracing::info!(world = w.id(), player = joined.player.0, ip = %client.ip, "player resumed");
                    return Ok(self.session(w.clone(), joined, version, session_id));
                }
            }
            if !token_auth {
                return Err(refusal(
                    ErrorCode::ResumeFailed,
                    "the resume token is unknown or its grace period has passed",
                ));
            }
        }

        let target = self.worlds.pick(world.as_deref()).map_err(|e| match e {
            PickError::Unknown(m) => refusal(ErrorCode::NotAllowed, m),
            PickError::Full(m) => refusal(ErrorCode::WorldFull, m),
        })?;
        // Progress still waiting in the save queue (database down) is newer than the row.
        let account = AccountId(member.account_id);
        let progress = match self.saves.queued(account) {
            Some(p) => Some(p),
            None => self
                .db
                .progress()
                .load(account)
                .await
                .map_err(|e| from_api(api_error(e)))?,
        };
        let name = member.name.clone();
        let joined = target.join(member, progress).await.map_err(|e| match e {
            JoinRefusal::Full { .. } => match self.worlds.pick(None) {
                Ok(other) => refusal(
                    ErrorCode::WorldFull,
                    format!("{} is full; try {}", target.id(), other.id()),
                ),
                Err(PickError::Full(m) | PickError::Unknown(m)) => refusal(ErrorCode::WorldFull, m),
            },
            JoinRefusal::UnknownResume => refusal(ErrorCode::ResumeFailed, e.to_string()),
            JoinRefusal::ShuttingDown => {
                refusal(ErrorCode::Internal, "the server is shutting down")
            }
        })?;
        tracing::info!(world = target.id(), player = joined.player.0, name = %name, ip = %client.ip, "player joined");
        Ok(self.session(target, joined, version, session_id))
    }
}

impl PlayService {
    fn session(
        &self,
        world: World,
        joined: Joined<ServerMessage>,
        version: u16,
        session_id: String,
    ) -> GameSession {
        let mut initial = vec![self.ack(&world, &joined, version, session_id)];
        initial.extend(world.intro_messages());
        GameSession {
            initial,
            outbound: joined.outbound,
            replica: ClientReplica::new(joined.player, self.replication.clone()),
            link: Box::new(Link {
                world,
                player: joined.player,
                conn: joined.conn,
            }),
        }
    }
}

/// A connection's handle on its player.
struct Link {
    world: World,
    player: PlayerId,
    conn: u64,
}

impl SessionLink for Link {
    fn input(&self, input: &Input) -> bool {
        self.world
            .input(self.player, self.conn, input.to_player_input())
    }

    fn detach(&self) {
        let (w, p, c) = (self.world.clone(), self.player, self.conn);
        tokio::spawn(async move { w.detach(p, c).await });
    }

    fn leave(&self) {
        let (w, p, c) = (self.world.clone(), self.player, self.conn);
        tokio::spawn(async move { w.leave(p, c).await });
    }
}
