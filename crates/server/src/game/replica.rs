//! What the tick needs from replication: per-client view state that turns a stepped
//! world into messages for one client. Implemented over protocol's `ClientReplica`.

use sim_core::{PlayerId, StepOutput, World};

/// Per-client replication state, owned by the tick thread.
pub trait Replica: Send + 'static {
    /// A message for the client.
    type Msg: Clone + Send + 'static;
    /// The world after a tick, prepared once and shared by every client's update.
    type Frame;
    /// State kept from tick to tick by the world thread to prepare frames cheaply (e.g.
    /// what changed since the previous frame).
    type Capture: Default + Send;

    /// Prepares the shared frame of a tick.
    fn capture(capture: &mut Self::Capture, world: &World, out: &StepOutput) -> Self::Frame;

    /// A message for every client, sent once a second (the live leaderboard).
    fn every_second(_world: &World) -> Option<Self::Msg> {
        None
    }

    /// A fresh view state for a client that has seen nothing.
    fn new(world: &World, player: PlayerId) -> Self;
    /// The client applied the update of `tick`.
    fn ack(&mut self, tick: u64);
    /// Forget the baseline: the next update is a full snapshot (resume).
    fn reset(&mut self);
    /// Messages for this client after a tick, appended to `sink`.
    fn update(
        &mut self,
        frame: &Self::Frame,
        world: &World,
        player: PlayerId,
        sink: &mut Vec<Self::Msg>,
    );
}
