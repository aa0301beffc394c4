//! The tick's replication, over protocol's `FrameCapture` and `TickFrame`: the world
//! thread captures each tick once and hands every connection the shared frame (plus
//! the player's private view on its send ticks); each connection's `ClientReplica`
//! turns it into that client's messages on the network threads.

use std::sync::Arc;

use net_gateway::ViewUpdate;
use protocol::{
    EVENT_HISTORY, FrameCapture, Leaderboard, ReplicationConfig, ServerMessage, TickFrame,
};
use sim_core::{PlayerId, StepOutput, World};

use crate::game::{Outgoing, Replica};

/// The world thread's side of one client's replication.
pub struct ProtocolReplica {
    /// The tick of the last view handed to the connection; `None` for a new one, which
    /// gets a view at its next update whatever the tick.
    last_view: Option<u64>,
}

/// One world's frame capture and the replication settings its connections use.
pub struct ProtocolCapture {
    frames: FrameCapture,
    config: ReplicationConfig,
}

impl ProtocolCapture {
    /// A capture for connections replicating with `config`.
    pub fn new(config: ReplicationConfig) -> Self {
        Self {
            frames: FrameCapture::retaining(config.baseline_ticks()),
            config,
        }
    }
}

/// A captured tick, shared by every connection, and the send interval of the views.
pub struct SharedFrame {
    frame: Arc<TickFrame>,
    interval: u64,
}

impl Replica for ProtocolReplica {
    type Msg = ServerMessage;
    type Frame = SharedFrame;
    // Linked frames let each client's delta read only what changed since its baseline.
    type Capture = ProtocolCapture;

    fn capture(capture: &mut ProtocolCapture, world: &World, out: &StepOutput) -> SharedFrame {
        SharedFrame {
            frame: Arc::new(capture.frames.capture(world, out)),
            interval: u64::from(capture.config.snapshot_interval.max(1)),
        }
    }

    fn every_second(world: &World) -> Option<ServerMessage> {
        Some(ServerMessage::Leaderboard(Leaderboard::from_entries(
            &world.leaderboard(),
        )))
    }

    fn new(_capture: &ProtocolCapture, _world: &World, _player: PlayerId) -> Self {
        Self { last_view: None }
    }

    fn reset(&mut self) {
        self.last_view = None;
    }

    fn update(
        &mut self,
        shared: &SharedFrame,
        world: &World,
        player: PlayerId,
        sink: &mut Vec<Outgoing<ServerMessage>>,
    ) {
        let tick = shared.frame.tick();
        let sends = self.last_view.is_none()
            || shared.interval > EVENT_HISTORY as u64
            || tick % shared.interval == u64::from(player.0) % shared.interval;
        // Between its send ticks a client gets nothing: the frame of its next send tick
        // carries the events of the ticks in between (`EVENT_HISTORY`), so each
        // connection is woken once per view rather than once per tick.
        if !sends {
            return;
        }
        sink.push(Outgoing::View(Box::new(ViewUpdate {
            frame: shared.frame.clone(),
            private: world.private_view(player).map(Box::new),
            chest: world.open_chest(player),
            events_from: self.last_view.map_or(tick, |t| t + 1),
        })));
        self.last_view = Some(tick);
    }
}
