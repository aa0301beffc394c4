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
    /// The first tick whose events this view brings the client: the tick after the
    /// client's previous view (the frame carries the events of the ticks in between).
    pub events_from: u64,
}

impl<M> Outgoing<M> {
    /// Folds a newer item into this queued one when the client loses nothing by it, for
    /// [`outbox::Sender::try_send_merging`]: a newer view replaces a queued view (a
    /// delta is made against the acknowledged baseline, never against the previous
    /// view) when its frame also carries the queued view's events. Returns what was
    /// displaced, or `newer` when it must be queued after. A connection that falls
    /// behind then holds about one frame for every [`protocol::EVENT_HISTORY`] ticks
    /// instead of one for every view.
    pub fn absorb(&mut self, newer: Outgoing<M>) -> Result<Outgoing<M>, Outgoing<M>> {
        match (self, newer) {
            (Outgoing::View(queued), Outgoing::View(mut newer))
                if newer.frame.carries_events_since(queued.events_from) =>
            {
                newer.events_from = queued.events_from;
                Ok(Outgoing::View(std::mem::replace(queued, newer)))
            }
            (_, newer) => Err(newer),
        }
    }
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

#[cfg(test)]
mod tests {
    use protocol::{EVENT_HISTORY, FrameCapture};
    use sim_core::{Content, GameConfig, World};

    use super::*;

    /// Views of ticks 1..=n of one small world's frame chain.
    fn views(n: u64) -> Vec<ViewUpdate> {
        let mut world = World::new(GameConfig::default(), Content::builtin().unwrap(), 1).unwrap();
        let mut capture = FrameCapture::new();
        (1..=n)
            .map(|_| {
                let out = world.step(&[]);
                let tick = out.tick;
                ViewUpdate {
                    frame: Arc::new(capture.capture(&world, &out)),
                    private: None,
                    chest: None,
                    events_from: tick,
                }
            })
            .collect()
    }

    fn tick(item: &Outgoing) -> u64 {
        match item {
            Outgoing::View(v) => v.frame.tick(),
            _ => panic!("expected a view"),
        }
    }

    #[test]
    fn a_newer_view_replaces_a_queued_one_while_it_carries_its_events() {
        let mut views = views(EVENT_HISTORY as u64 + 2).into_iter();
        let first = views.next().unwrap();
        let from = first.events_from;
        let mut queued: Outgoing = Outgoing::View(Box::new(first));
        let mut last = 0;
        for newer in views.by_ref().take(EVENT_HISTORY - 1) {
            last = newer.frame.tick();
            let displaced = queued
                .absorb(Outgoing::View(Box::new(newer)))
                .expect("merged");
            assert!(tick(&displaced) < last);
            assert_eq!(tick(&queued), last);
            let Outgoing::View(v) = &queued else {
                unreachable!()
            };
            assert_eq!(v.events_from, from, "the queued view's events still count");
        }
        // One tick more and the newest frame no longer carries the first view's events.
        let too_new = views.next().unwrap();
        assert!(!too_new.frame.carries_events_since(from));
        let back = queued
            .absorb(Outgoing::View(Box::new(too_new)))
            .expect_err("queued after");
        assert_eq!(tick(&back), last + 1);
        assert_eq!(tick(&queued), last);
    }

    #[test]
    fn only_views_merge() {
        let mut views = views(2).into_iter();
        let mut msg: Outgoing = Outgoing::Close(CloseReason::Shutdown);
        assert!(
            msg.absorb(Outgoing::View(Box::new(views.next().unwrap())))
                .is_err()
        );
        let mut view: Outgoing = Outgoing::View(Box::new(views.next().unwrap()));
        let close = view.absorb(Outgoing::Close(CloseReason::Replaced));
        assert!(matches!(close, Err(Outgoing::Close(CloseReason::Replaced))));
    }
}
