//! Messages from the network side to a world's tick thread, and their answers.

use sim_core::{PlayerId, PlayerInput, PlayerProgress, WorldCheckpoint};
use tokio::sync::oneshot;

pub use net_gateway::{CloseReason, Outgoing};

/// A connected player's identity as the world needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Account id (for saving progress).
    pub account_id: i64,
    /// Display name.
    pub name: String,
}

/// A successful join or resume.
#[derive(Debug)]
pub struct Joined<M> {
    /// The player's id in the world.
    pub player: PlayerId,
    /// This connection's generation; inputs and detaches carry it so a replaced
    /// connection cannot act for the player.
    pub conn: u64,
    /// Token to resume this player after a dropped connection.
    pub resume_token: String,
    /// Where the tick sends this connection's messages.
    pub outbound: net_gateway::outbox::Receiver<Outgoing<M>>,
    /// Current tick.
    pub tick: u64,
    /// Whether an existing player was taken over (resume or same account).
    pub resumed: bool,
}

/// Why a join or resume failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinRefusal {
    /// The world has no room.
    #[error("the world is full ({players}/{capacity} players)")]
    Full {
        /// Players now.
        players: u32,
        /// Capacity.
        capacity: u32,
    },
    /// No player is waiting under this resume token (expired or unknown).
    #[error("the resume token is unknown or its grace period has passed")]
    UnknownResume,
    /// The world is shutting down.
    #[error("the world is shutting down")]
    ShuttingDown,
}

/// Everything a shutdown saves.
#[derive(Debug, Default)]
pub struct FinalState {
    /// Every player's progress, by account.
    pub players: Vec<(i64, PlayerProgress)>,
    /// The world's durable state.
    pub checkpoint: WorldCheckpoint,
}

/// Work for the saver task, sent from the tick thread without waiting.
#[derive(Debug)]
pub enum SaveJob {
    /// Progress of these players, by account (leave, autosave).
    Players(Vec<(i64, PlayerProgress)>),
    /// A world checkpoint.
    Checkpoint {
        /// World id.
        world: String,
        /// The state.
        checkpoint: WorldCheckpoint,
    },
}

/// A request to a world's tick thread.
#[derive(Debug)]
pub enum Command<M> {
    /// Add a player (or take over this account's player if already in the world).
    Join {
        /// Who.
        member: Member,
        /// Saved progress to restore.
        progress: Option<PlayerProgress>,
        /// The answer.
        reply: oneshot::Sender<Result<Joined<M>, JoinRefusal>>,
    },
    /// Take over a player kept in the world after a dropped connection.
    Resume {
        /// The account asking, which must own the player; `None` for a guest handshake,
        /// where the secret token alone identifies the player.
        account_id: Option<i64>,
        /// The token from the handshake ack.
        token: String,
        /// The answer.
        reply: oneshot::Sender<Result<Joined<M>, JoinRefusal>>,
    },
    /// One input from a connection.
    Input {
        /// Whose.
        player: PlayerId,
        /// The connection's generation (stale connections are ignored).
        conn: u64,
        /// The input.
        input: PlayerInput,
    },
    /// The connection dropped: keep the player for the grace period.
    Detach {
        /// Whose.
        player: PlayerId,
        /// Which connection.
        conn: u64,
    },
    /// The client said goodbye: leave and save now.
    Leave {
        /// Whose.
        player: PlayerId,
        /// Which connection.
        conn: u64,
    },
    /// Stop: disconnect everyone and hand back what must be saved.
    Shutdown {
        /// The answer.
        reply: oneshot::Sender<FinalState>,
    },
}
