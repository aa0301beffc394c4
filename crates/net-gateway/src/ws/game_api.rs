//! What a WebSocket session needs from the server: opening a game session from a
//! handshake, and a link to feed the world.

use std::future::Future;
use std::sync::Arc;

use protocol::{ClientReplica, ErrorMsg, Handshake, Input, ServerMessage, TickFrame};
use sim_core::{EntityId, ItemStack, PrivateView};

use super::outbox;
use crate::ClientInfo;

/// What a world sends a connection.
#[derive(Debug)]
pub enum Outgoing<M = ServerMessage> {
    /// A message to encode in the client's form and send. Boxed, like the view, so a
    /// queue slot is two words: the queue's blocks are 32 slots, allocated per
    /// connection.
    Msg(Box<M>),
    /// A tick of the world for the connection's [`ClientReplica`] to turn into this
    /// client's events, snapshot or delta and private state.
    View(Box<ViewUpdate>),
    /// Close the connection, telling the client why.
    Close(CloseReason),
}

/// One tick as a connection needs it. The world thread captures the frame once and
/// hands every connection the same `Arc`; cutting each client's view out of it, diffing
/// against the client's acknowledged baseline and encoding happen on the network
/// threads, so the tick's cost does not grow with the number of connections.
#[derive(Debug)]
pub struct ViewUpdate {
    /// The world after the tick, shared by every connection.
    pub frame: Arc<TickFrame>,
    /// The player's private view, present on the ticks the replica sends (see
    /// [`protocol::ReplicationConfig::snapshot_interval`]).
    pub private: Option<Box<PrivateView>>,
    /// The chest the player has open, with its slots, on the same ticks.
    pub chest: Option<(EntityId, Vec<Option<ItemStack>>)>,
}

/// Why the server closes a connection from the world's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// The server is shutting down.
    Shutdown,
    /// Another connection took over this player.
    Replaced,
    /// The client could not keep up with its queue.
    TooSlow,
}

/// The connection's way into its world. Every method returns at once: the tick is never
/// waited for, and a connection cannot make the world wait either.
pub trait SessionLink: Send + Sync + 'static {
    /// Queues one input; `false` when the world's queue is full and it was dropped.
    fn input(&self, input: &Input) -> bool;
    /// The connection dropped without saying goodbye: keep the player for the grace
    /// period so the client can resume.
    fn detach(&self);
    /// The client said goodbye: the player leaves and is saved now.
    fn leave(&self);
}

/// An open game session.
pub struct GameSession {
    /// Sent first, in order: the handshake ack, content tables, map…
    pub initial: Vec<ServerMessage>,
    /// Everything the world sends afterwards.
    pub outbound: outbox::Receiver<Outgoing>,
    /// This connection's replication state: its first view update is a full snapshot.
    pub replica: ClientReplica,
    /// Inputs and leaving.
    pub link: Box<dyn SessionLink>,
}

/// Opening game sessions: authentication (token or guest), resume and world choice.
/// Implemented by the server.
pub trait GameApi: Send + Sync + 'static {
    /// Opens a session for a handshake that already agreed on `version`. `world` is the
    /// `?world=` of the WebSocket URL, if given. A refusal is a protocol error message
    /// (auth failed, world full naming other worlds, …) that is sent to the client
    /// before closing.
    fn open(
        &self,
        handshake: Handshake,
        version: u16,
        client: ClientInfo,
        world: Option<String>,
    ) -> impl Future<Output = Result<GameSession, ErrorMsg>> + Send;
}
