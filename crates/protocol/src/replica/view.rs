//! The client side of replication: applying snapshots and deltas to the views it
//! keeps. Used by tests, bots and load generators; the browser does the same in JS.

use std::collections::{BTreeMap, VecDeque};

use crate::msg::entity::{Delta, EntityState, PlayerInfo, Snapshot};
use crate::msg::private::PrivateState;
use crate::msg::server::ServerMessage;

/// Why a message could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// The delta's base view is not kept (any more).
    #[error("delta against tick {0}, which this client does not have")]
    MissingBase(u64),
    /// A change names an entity the base view does not have.
    #[error("change for entity {0}, which is not in the base view")]
    UnknownEntity(u32),
    /// A position change overflows.
    #[error("position of entity {0} overflows")]
    Overflow(u32),
    /// A packed delta does not decode.
    #[error("packed delta does not decode: {0}")]
    Malformed(crate::DecodeError),
}

/// The views a client has applied, newest last, keyed by entity id.
#[derive(Debug, Clone)]
pub struct ClientView {
    history: VecDeque<(u64, BTreeMap<u32, EntityState>)>,
    keep: usize,
    last_input_seq: u32,
    private: Option<PrivateState>,
    /// The newest info of every player this client was sent: a player entering the
    /// view again comes without it (the server knows the client has it).
    names: BTreeMap<u32, PlayerInfo>,
}

impl ClientView {
    /// Keeps the last `keep` views as possible delta bases (the server remembers 8 by default).
    pub fn new(keep: usize) -> Self {
        Self {
            history: VecDeque::new(),
            keep: keep.max(1),
            last_input_seq: 0,
            private: None,
            names: BTreeMap::new(),
        }
    }

    /// The newest applied tick, to acknowledge in `Input::ack_tick`.
    pub fn latest_tick(&self) -> Option<u64> {
        self.history.back().map(|(t, _)| *t)
    }

    /// The newest view.
    pub fn latest(&self) -> Option<&BTreeMap<u32, EntityState>> {
        self.history.back().map(|(_, v)| v)
    }

    /// The last input sequence the server applied, for prediction reconciliation.
    pub fn last_input_seq(&self) -> u32 {
        self.last_input_seq
    }

    /// The newest private state.
    pub fn private(&self) -> Option<&PrivateState> {
        self.private.as_ref()
    }

    /// Applies a snapshot, delta or private state; other messages are ignored.
    pub fn apply(&mut self, msg: &ServerMessage) -> Result<(), ApplyError> {
        if let ServerMessage::PackedDelta(p) = msg {
            let d = p.unpack().map_err(ApplyError::Malformed)?;
            return self.apply(&ServerMessage::Delta(d));
        }
        self.note_names(msg);
        match msg {
            ServerMessage::Snapshot(s) => {
                self.apply_snapshot(s);
                Ok(())
            }
            ServerMessage::Delta(d) => self.apply_delta(d),
            ServerMessage::Private(p) => {
                self.private = Some(p.clone());
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn push(&mut self, tick: u64, view: BTreeMap<u32, EntityState>) {
        self.history.retain(|(t, _)| *t < tick);
        self.history.push_back((tick, view));
        while self.history.len() > self.keep {
            self.history.pop_front();
        }
    }

    /// Remembers the player infos `msg` carries. [`ClientView::apply`] does this; call
    /// it for a message received but not applied (a stale view, or a delta whose base
    /// is gone): the server counts a player's info as known once it was sent, because a
    /// connection loses nothing, so a client must keep what it received.
    pub fn note_names(&mut self, msg: &ServerMessage) {
        if let ServerMessage::PackedDelta(p) = msg {
            if let Ok(d) = p.unpack() {
                self.note_names(&ServerMessage::Delta(d));
            }
            return;
        }
        for (id, info) in msg.player_infos() {
            self.names.insert(id, info.clone());
        }
    }

    /// `e` with its player info: the one it came with, else the one remembered for it.
    fn named(&self, e: &EntityState) -> EntityState {
        let mut e = e.clone();
        if e.player.is_none() && e.kind == sim_core::EntityKind::Player {
            e.player = self.names.get(&e.id).cloned();
        }
        e
    }

    fn apply_snapshot(&mut self, s: &Snapshot) {
        let view = s.entities.iter().map(|e| (e.id, self.named(e))).collect();
        self.last_input_seq = s.last_input_seq;
        self.push(s.tick, view);
    }

    fn apply_delta(&mut self, d: &Delta) -> Result<(), ApplyError> {
        let mut view = self
            .history
            .iter()
            .find(|(t, _)| *t == d.base_tick)
            .map(|(_, v)| v.clone())
            .ok_or(ApplyError::MissingBase(d.base_tick))?;
        for id in &d.removed {
            view.remove(id);
        }
        for e in &d.entered {
            let e = self.named(e);
            view.insert(e.id, e);
        }
        for c in &d.changed {
            let e = view.get_mut(&c.id).ok_or(ApplyError::UnknownEntity(c.id))?;
            c.apply_to(e)?;
        }
        self.last_input_seq = d.last_input_seq;
        self.push(d.tick, view);
        Ok(())
    }
}
