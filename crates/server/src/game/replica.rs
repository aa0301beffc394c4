//! What the tick needs from replication: per-client state on the world thread that
//! turns a stepped world into what the client's connection is handed each tick.
//! Implemented over protocol's `FrameCapture` and `ClientReplica`: the world thread
//! captures one shared frame, the connections cut their own views out of it.

use sim_core::{PlayerId, StepOutput, World};

use super::command::Outgoing;

/// Per-client replication state, owned by the tick thread.
pub trait Replica: Send + 'static {
    /// A message for the client.
    type Msg: Clone + PartialEq + Send + 'static;
    /// The world after a tick, prepared once and shared by every client's update.
    type Frame;
    /// State kept from tick to tick by the world thread to prepare frames cheaply (e.g.
    /// what changed since the previous frame) and the settings every replica shares.
    type Capture: Send;

    /// Prepares the shared frame of a tick.
    fn capture(capture: &mut Self::Capture, world: &World, out: &StepOutput) -> Self::Frame;

    /// A message for every client (the live leaderboard), made every few seconds (see
    /// `BOARD_EVERY_S` in the runner) and sent when it differs from the previous one,
    /// and to each new connection.
    fn every_second(_world: &World) -> Option<Self::Msg> {
        None
    }

    /// Fresh state for a client that has seen nothing.
    fn new(capture: &Self::Capture, world: &World, player: PlayerId) -> Self;
    /// The client's connection was replaced (resume): it starts from nothing again.
    fn reset(&mut self);
    /// What this client's connection is handed after a tick, appended to `sink`.
    fn update(
        &mut self,
        frame: &Self::Frame,
        world: &World,
        player: PlayerId,
        sink: &mut Vec<Outgoing<Self::Msg>>,
    );
}
