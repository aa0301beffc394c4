//! What one client is sent: its area of interest as a full snapshot or as a delta
//! against the newest view it acknowledged, its private state when it changed, and
//! the events that concern it.

use std::collections::VecDeque;

use sim_core::{EntityId, ItemStack, PlayerId, PrivateView, Rect, Vec2, World};

use crate::limits::{MAX_EVENTS, MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_ENTITIES};
use crate::msg::entity::{Delta, EntityChange, Snapshot};
use crate::msg::events::Events;
use crate::msg::private::PrivateState;
use crate::msg::server::ServerMessage;
use crate::replica::frame::{Audience, Compact, FrameEntity, TickFrame};

/// How a client's view is cut out of the world and how often it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationConfig {
    /// View width in world units (the client's screen).
    pub view_width: f32,
    /// View height in world units.
    pub view_height: f32,
    /// Extra border on every side, so entities exist before they scroll into sight.
    pub margin: f32,
    /// Send a snapshot or delta every this many ticks (clients are spread over the
    /// ticks by id, so the server's work is spread too).
    pub snapshot_interval: u32,
    /// Sent views remembered as possible delta bases.
    pub max_baselines: usize,
    /// Entities per view at most (the nearest are kept).
    pub max_entities: usize,
}

impl Default for ReplicationConfig {
    fn default() -> Self {
        Self {
            view_width: 1600.0,
            view_height: 1000.0,
            margin: 200.0,
            snapshot_interval: 2,
            max_baselines: 16,
            max_entities: MAX_SNAPSHOT_ENTITIES,
        }
    }
}

/// A view as sent at one tick.
#[derive(Debug, Clone)]
struct Baseline {
    tick: u64,
    entities: Vec<Compact>,
}

/// Replication state of one connected client. Create one per connection with
/// [`ClientReplica::new`], feed it the client's acks with [`ClientReplica::ack`], and
/// call [`ClientReplica::update`] every tick with the shared [`TickFrame`].
#[derive(Debug, Clone)]
pub struct ClientReplica {
    player: PlayerId,
    config: ReplicationConfig,
    center: Vec2,
    baselines: VecDeque<Baseline>,
    acked: Option<u64>,
    last_private: Option<PrivateState>,
    send_now: bool,
    scratch: Vec<u32>,
    bits: Vec<u64>,
    /// Buffers of dropped baselines, reused so that steady state allocates nothing.
    spare: Vec<Vec<Compact>>,
}

/// What an update produced, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UpdateStats {
    /// A full snapshot was sent.
    pub full: bool,
    /// A delta was sent.
    pub delta: bool,
    /// Entities in the view.
    pub in_view: usize,
}

impl ClientReplica {
    /// A replica for `player`; its first update sends a full snapshot.
    pub fn new(player: PlayerId, config: ReplicationConfig) -> Self {
        Self {
            player,
            config,
            center: Vec2::ZERO,
            baselines: VecDeque::new(),
            acked: None,
            last_private: None,
            send_now: true,
            scratch: Vec::new(),
            bits: Vec::new(),
            spare: Vec::new(),
        }
    }

    /// The player this replica serves.
    pub fn player(&self) -> PlayerId {
        self.player
    }

    /// The configuration.
    pub fn config(&self) -> &ReplicationConfig {
        &self.config
    }

    /// The newest tick the client acknowledged.
    pub fn acked(&self) -> Option<u64> {
        self.acked
    }

    /// Records the client's `Input::ack_tick`. Acks of ticks never sent, older than
    /// an earlier ack, or 0 are ignored, so a late or forged ack cannot hurt.
    pub fn ack(&mut self, tick: u64) {
        if tick == 0 || self.acked.is_some_and(|a| tick <= a) {
            return;
        }
        if self.baselines.iter().any(|b| b.tick == tick) {
            self.acked = Some(tick);
            while self.baselines.front().is_some_and(|b| b.tick < tick) {
                self.drop_oldest();
            }
        }
    }

    fn drop_oldest(&mut self) {
        if let Some(b) = self.baselines.pop_front()
            && self.spare.len() < 2
        {
            self.spare.push(b.entities);
        }
    }

    /// Forgets every baseline and the private state sent: the next update sends a
    /// full snapshot and the private state at once (after a resume).
    pub fn reset(&mut self) {
        self.baselines.clear();
        self.acked = None;
        self.last_private = None;
        self.send_now = true;
    }

    /// The view rectangle around the player.
    pub fn view_rect(&self) -> Rect {
        let c = &self.config;
        Rect::centered(
            self.center,
            c.view_width + 2.0 * c.margin,
            c.view_height + 2.0 * c.margin,
        )
    }

    fn is_send_tick(&self, tick: u64, n: u64) -> bool {
        self.send_now || tick % n == u64::from(self.player.0) % n
    }

    /// Appends this tick's messages for the client to `out`: events that concern it
    /// (every tick), and on its snapshot ticks a snapshot or delta and, when changed,
    /// its private state.
    pub fn update(
        &mut self,
        frame: &TickFrame,
        world: &World,
        out: &mut Vec<ServerMessage>,
    ) -> UpdateStats {
        let n = u64::from(self.config.snapshot_interval.max(1));
        let (private, chest) = if self.is_send_tick(frame.tick, n) {
            (
                world.private_view(self.player),
                world.open_chest(self.player),
            )
        } else {
            (None, None)
        };
        self.update_with(frame, private.as_ref(), chest, out)
    }

    /// [`ClientReplica::update`] with the player's private view and open chest
    /// (`World::private_view`, `World::open_chest`) already at hand.
    pub fn update_with(
        &mut self,
        frame: &TickFrame,
        private_view: Option<&PrivateView>,
        chest: Option<(EntityId, Vec<Option<ItemStack>>)>,
        out: &mut Vec<ServerMessage>,
    ) -> UpdateStats {
        if let Some(me) = frame.find(self.player.0) {
            self.center = me.pos;
        }
        self.push_events(frame, out);
        let mut stats = UpdateStats::default();
        let n = u64::from(self.config.snapshot_interval.max(1));
        if !self.is_send_tick(frame.tick, n) {
            return stats;
        }
        self.send_now = false;
        let seq = private_view.map_or(0, |v| v.last_input_seq);
        let msg = self.view_message(frame, seq, &mut stats);
        out.push(msg);
        if let Some(view) = private_view {
            let private = PrivateState::from_view(frame.tick, view).with_chest(chest);
            if !self
                .last_private
                .as_ref()
                .is_some_and(|p| p.same_state(&private))
            {
                self.last_private = Some(private.clone());
                out.push(ServerMessage::Private(private));
            }
        }
        stats
    }

    fn push_events(&self, frame: &TickFrame, out: &mut Vec<ServerMessage>) {
        if frame.events.is_empty() {
            return;
        }
        let me = self.player.0;
        let team = frame.team_of(self.player);
        let rect = self.view_rect();
        let mut events = Vec::new();
        for (audience, event) in &frame.events {
            let hears = match audience {
                Audience::All => true,
                Audience::Team(t) => team == Some(*t),
                Audience::Only(p) => *p == me,
                Audience::Around { at, involved } => {
                    involved.contains(&Some(me)) || rect.contains(*at)
                }
            };
            if hears {
                events.push(event.clone());
            }
        }
        for chunk in events.chunks(MAX_EVENTS) {
            out.push(ServerMessage::Events(Events {
                tick: frame.tick,
                events: chunk.to_vec(),
            }));
        }
    }

    /// The entities (frame indices, ascending) in view, within the count and byte budget.
    fn select(&mut self, frame: &TickFrame) -> Vec<u32> {
        let mut idx = std::mem::take(&mut self.scratch);
        idx.clear();
        frame.query(self.view_rect(), &mut self.bits, &mut idx);
        let limit = self.config.max_entities.min(MAX_SNAPSHOT_ENTITIES);
        // Budget: what a full snapshot of these entities may take, with room for the
        // snapshot's own fields.
        let budget = MAX_SNAPSHOT_BYTES - 64;
        let bytes: usize = idx
            .iter()
            .map(|i| usize::from(frame.wire_lens[*i as usize]))
            .sum();
        if idx.len() > limit || bytes > budget {
            let c = self.center;
            idx.sort_by(|a, b| {
                let da = frame.entities[*a as usize].pos.distance_squared(c);
                let db = frame.entities[*b as usize].pos.distance_squared(c);
                da.total_cmp(&db).then(a.cmp(b))
            });
            let mut used = 0;
            let mut keep = 0;
            for i in &idx {
                let len = usize::from(frame.wire_lens[*i as usize]);
                if keep == limit || used + len > budget {
                    break;
                }
                used += len;
                keep += 1;
            }
            idx.truncate(keep);
            idx.sort_unstable();
        }
        idx
    }

    fn view_message(
        &mut self,
        frame: &TickFrame,
        last_input_seq: u32,
        stats: &mut UpdateStats,
    ) -> ServerMessage {
        let idx = self.select(frame);
        stats.in_view = idx.len();
        let base = self
            .acked
            .and_then(|a| self.baselines.iter().find(|b| b.tick == a))
            .filter(|b| b.tick < frame.tick);
        let msg = match base.and_then(|b| delta(b, frame, &idx)) {
            Some(mut d) => {
                stats.delta = true;
                d.last_input_seq = last_input_seq;
                ServerMessage::Delta(d)
            }
            None => {
                stats.full = true;
                ServerMessage::Snapshot(Snapshot {
                    tick: frame.tick,
                    last_input_seq,
                    entities: idx
                        .iter()
                        .map(|i| frame.entities[*i as usize].state())
                        .collect(),
                })
            }
        };
        if self.baselines.back().is_some_and(|b| b.tick >= frame.tick) {
            // The same tick again (a replayed frame): forget what followed it.
            self.baselines.retain(|b| b.tick < frame.tick);
        }
        let mut entities = self.spare.pop().unwrap_or_default();
        entities.clear();
        entities.extend(idx.iter().map(|i| frame.compacts[*i as usize]));
        self.baselines.push_back(Baseline {
            tick: frame.tick,
            entities,
        });
        while self.baselines.len() > self.config.max_baselines.max(1) {
            self.drop_oldest();
        }
        self.scratch = idx;
        msg
    }
}

/// The delta from `base` to `current`, or `None` when a snapshot is the better (or
/// only safe) choice: a delta bigger than the snapshot budget.
fn delta(base: &Baseline, frame: &TickFrame, idx: &[u32]) -> Option<Delta> {
    let mut current = idx.iter().map(|i| *i as usize).peekable();
    let mut d = Delta {
        tick: frame.tick,
        base_tick: base.tick,
        last_input_seq: 0,
        removed: Vec::new(),
        entered: Vec::new(),
        changed: Vec::new(),
    };
    let mut bytes = 32;
    let mut old = base.entities.iter().peekable();
    loop {
        let o = old.peek().copied();
        let n = current.peek().copied();
        match (o, n) {
            (Some(o), Some(i)) if o.id == frame.compacts[i].id => {
                if *o != frame.compacts[i] {
                    let n = &frame.entities[i];
                    bytes += n.max_wire_len();
                    match change(o, n) {
                        Some(c) => d.changed.push(c),
                        None => d.entered.push(n.state()),
                    }
                }
                old.next();
                current.next();
            }
            (Some(o), Some(i)) if o.id < frame.compacts[i].id => {
                d.removed.push(o.id);
                bytes += 5;
                old.next();
            }
            (Some(o), None) => {
                d.removed.push(o.id);
                bytes += 5;
                old.next();
            }
            (_, Some(i)) => {
                let n = &frame.entities[i];
                bytes += n.max_wire_len();
                d.entered.push(n.state());
                current.next();
            }
            (None, None) => break,
        }
    }
    let fits = bytes <= MAX_SNAPSHOT_BYTES
        && d.removed.len() <= MAX_SNAPSHOT_ENTITIES
        && d.entered.len() <= MAX_SNAPSHOT_ENTITIES
        && d.changed.len() <= MAX_SNAPSHOT_ENTITIES;
    fits.then_some(d)
}

/// The field changes from `o` to `n`; `None` when they cannot be expressed as a change
/// (another kind, lost player info, or a position jump beyond i32) and the entity must
/// be sent whole.
fn change(o: &Compact, n: &FrameEntity) -> Option<EntityChange> {
    let c = &n.compact;
    if o.kind != c.kind || (c.info_hash == 0 && o.info_hash != 0) {
        return None;
    }
    let moved = if (o.x, o.y) != (c.x, c.y) {
        Some([c.x.checked_sub(o.x)?, c.y.checked_sub(o.y)?])
    } else {
        None
    };
    let pick = |a: u8, b: u8| (a != b).then_some(b);
    Some(EntityChange {
        id: c.id,
        moved,
        angle: pick(o.angle, c.angle),
        health: pick(o.health, c.health),
        flags: pick(o.flags, c.flags),
        subtype: (o.subtype != c.subtype).then_some(c.subtype),
        player: if o.info_hash != c.info_hash {
            n.info.clone()
        } else {
            None
        },
    })
}
