//! The tick's replication, over protocol's `FrameCapture`, `TickFrame` and `ClientReplica`.

use protocol::{
    ClientReplica, FrameCapture, Leaderboard, ReplicationConfig, ServerMessage, TickFrame,
};
use sim_core::{PlayerId, StepOutput, World};

use crate::game::Replica;

/// One client's replication state.
pub struct ProtocolReplica(ClientReplica);

impl Replica for ProtocolReplica {
    type Msg = ServerMessage;
    type Frame = TickFrame;
    // Linked frames let each client's delta read only what changed since its baseline.
    type Capture = FrameCapture;

    fn capture(capture: &mut FrameCapture, world: &World, out: &StepOutput) -> TickFrame {
        capture.capture(world, out)
    }

    fn every_second(world: &World) -> Option<ServerMessage> {
        Some(ServerMessage::Leaderboard(Leaderboard::from_entries(
            &world.leaderboard(),
        )))
    }

    fn new(_world: &World, player: PlayerId) -> Self {
        Self(ClientReplica::new(player, ReplicationConfig::default()))
    }

    fn ack(&mut self, tick: u64) {
        self.0.ack(tick);
    }

    fn reset(&mut self) {
        self.0.reset();
    }

    fn update(
        &mut self,
        frame: &TickFrame,
        world: &World,
        _player: PlayerId,
        sink: &mut Vec<ServerMessage>,
    ) {
        self.0.update(frame, world, sink);
    }
}
