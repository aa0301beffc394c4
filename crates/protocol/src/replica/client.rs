//! What one client is sent: its area of interest as a full snapshot or as a delta
//! against the newest view it acknowledged, its private state when it changed, and
//! the events that concern it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::{Arc, Weak};

use sim_core::{EntityId, ItemStack, PlayerId, PrivateView, Rect, Vec2, World};

use crate::limits::{MAX_EVENTS, MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_ENTITIES};
use crate::msg::entity::{Delta, EntityState, PackedDelta, PlayerInfo, Snapshot};
use crate::msg::events::Events;
use crate::msg::private::PrivateState;
use crate::msg::server::ServerMessage;
use crate::replica::changes::{ChangeTables, PairTable, change};
use crate::replica::frame::{Audience, FrameCore, TickFrame, info_hash};
use crate::replica::pack::{Marked, PackScratch, pack_delta};

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
    /// ticks by id, so the server's work is spread too). A replica handed only the
    /// frames of its send ticks still hears every event while this is at most
    /// `EVENT_HISTORY` (8).
    pub snapshot_interval: u32,
    /// Sent views remembered as possible delta bases. Each keeps its tick's frame
    /// alive (with a retaining capture, for at most [`Self::baseline_ticks`]), so one
    /// client that stops acknowledging pins this many frames (~0.5 MiB each with 1,000
    /// players) for everyone; 8 at the default interval is 0.8 s of acknowledgement
    /// delay before the client falls back to a snapshot.
    pub max_baselines: usize,
    /// Entities per view at most (the nearest are kept).
    pub max_entities: usize,
}

impl ReplicationConfig {
    /// The ticks a client's baselines span at most, plus the current one: what a
    /// server's [`crate::FrameCapture::retaining`] should keep.
    pub fn baseline_ticks(&self) -> usize {
        self.max_baselines.max(1) * self.snapshot_interval.max(1) as usize + 1
    }
}

impl Default for ReplicationConfig {
    fn default() -> Self {
        Self {
            view_width: 1600.0,
            view_height: 1000.0,
            margin: 200.0,
            snapshot_interval: 2,
            max_baselines: 8,
            max_entities: MAX_SNAPSHOT_ENTITIES,
        }
    }
}

/// A view as sent at one tick: the frame it was cut from, the view rectangle and which
/// entities of the frame were in it.
#[derive(Debug, Clone)]
struct Baseline {
    tick: u64,
    frame: BaseFrame,
    rect: Rect,
    view: BaseView,
}

/// How a baseline holds its frame.
#[derive(Debug, Clone)]
enum BaseFrame {
    /// Alive as long as the baseline (frames of a capture that does not retain).
    Kept(Arc<FrameCore>),
    /// Alive while its capture retains it (see [`crate::FrameCapture::retaining`]), so
    /// a session that lags does not keep old frames alive for everyone.
    Retained(Weak<FrameCore>),
}

impl BaseFrame {
    fn of(core: &Arc<FrameCore>) -> Self {
        if core.retained {
            BaseFrame::Retained(Arc::downgrade(core))
        } else {
            BaseFrame::Kept(core.clone())
        }
    }

    /// The frame, if it is still alive.
    fn get(&self) -> Option<Arc<FrameCore>> {
        match self {
            BaseFrame::Kept(f) => Some(f.clone()),
            BaseFrame::Retained(f) => f.upgrade(),
        }
    }
}

/// The baseline the client acknowledged, usable for a delta to `tick`, with its frame:
/// `None` without an ack, or when the acked baseline or its frame is gone.
fn acked_base(
    baselines: &VecDeque<Baseline>,
    acked: Option<u64>,
    tick: u64,
) -> Option<(&Baseline, Arc<FrameCore>)> {
    let a = acked.filter(|a| *a < tick)?;
    let b = baselines.iter().find(|b| b.tick == a)?;
    Some((b, b.frame.get()?))
}

/// The entities of a baseline.
#[derive(Debug, Clone)]
enum BaseView {
    /// Everything inside the rectangle: `count` entities with `bytes` of
    /// `FrameCore::wire_lens` together.
    Whole { count: usize, bytes: usize },
    /// The view was cut to the count or byte budget: only the entities of the rectangle
    /// nearest to the player (see [`CutEdge`]).
    Cut(CutEdge),
}

/// Where a view cut to its budget ends: it keeps the entities of its rectangle nearest
/// to `center`, i.e. a prefix of them ordered by distance, then frame index (the order
/// `select` sorts by), up to and including `last` (none at all when `None`). 20 bytes
/// instead of a list of up to 1,024 indices per remembered view.
#[derive(Debug, Clone, Copy)]
struct CutEdge {
    center: Vec2,
    last: Option<(f32, u32)>,
}

impl CutEdge {
    /// Whether entity `i` of `frame`, inside the rectangle, is in the cut view.
    fn keeps(&self, frame: &FrameCore, i: u32) -> bool {
        self.last.is_some_and(|(d, last)| {
            let di = frame.positions[i as usize].distance_squared(self.center);
            di.total_cmp(&d).then(i.cmp(&last)).is_le()
        })
    }
}

/// Working memory of an update, sized by the world rather than by the view: one per
/// thread (shared by every replica the thread updates), so it stays in cache and
/// steady state allocates nothing but the messages.
#[derive(Debug, Default)]
struct Scratch {
    /// The view's frame indices.
    idx: Vec<u32>,
    /// Bitset for view queries.
    bits: Vec<u64>,
    marks: Marks,
    /// A baseline's view regenerated for the full comparison.
    base_list: Vec<u32>,
    /// Candidates of a view being cut, with their squared distance to its centre.
    by_distance: Vec<(f32, u32)>,
    /// Change records shared by the clients with the same base.
    changes: ChangeTables,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Bitsets of the change-driven delta.
#[derive(Debug, Clone, Default)]
struct Marks {
    /// Indices of the current frame to send (entered or changed).
    now: Vec<u64>,
    /// Indices of the base frame that left the view.
    gone: Vec<u64>,
    /// Indices of the base frame the scan found still in the view.
    kept: Vec<u64>,
    /// For a marked index of the current frame: its index in the base frame when it
    /// was in the base view, else `u32::MAX` (unmarked entries are stale).
    base_of: Vec<u32>,
    /// Working memory of `pack_delta`.
    pack: PackScratch,
}

/// Replication state of one connected client. Create one per connection with
/// [`ClientReplica::new`], feed it the client's acks with [`ClientReplica::ack`], and
/// call [`ClientReplica::update`] every tick with the shared [`TickFrame`].
#[derive(Debug, Clone)]
pub struct ClientReplica {
    player: PlayerId,
    config: ReplicationConfig,
    center: Vec2,
    /// The centre of the view rectangle (see [`ClientReplica::follow`]).
    anchor: Option<Vec2>,
    baselines: VecDeque<Baseline>,
    acked: Option<u64>,
    /// The newest tick whose events were sent.
    events_through: Option<u64>,
    last_private: Option<PrivateState>,
    send_now: bool,
    /// The player infos this client has been sent.
    names: KnownNames,
    /// Deltas made by the change-driven fast path (for tests).
    pub(crate) fast_deltas: u64,
}

/// Which player infos (name, level, team) a client has been sent, so a player who
/// walks back into its view is sent without them: the client keeps what it was sent
/// (see [`crate::ClientView`]), and a delta's entries otherwise resend a name each time a
/// player crosses the view's edge. At most [`KnownNames::MAX`] players, 8 bytes each:
/// past that, those not sent in the last one to two epochs of `MAX / 2` sends are
/// forgotten, about the half sent longest ago (they get their names again if they come
/// back into view), rather than 8 KiB a connection for remembering a crowded world's
/// every player.
#[derive(Debug, Clone, Default)]
pub(crate) struct KnownNames {
    /// Sorted by player id: `(player id, tag)`. A tag is 30 bits of the info hash above
    /// the 2-bit epoch in which the info was last sent.
    infos: Vec<(u32, u32)>,
    /// Infos recorded so far; each `EPOCH_SENDS` of them make an epoch.
    sends: u32,
}

impl KnownNames {
    /// Players remembered at most: a few times the players a crowded view holds. 256
    /// cost ~1 KiB more a connection at 1,000 and 2,000 bots and measurably saved no
    /// bandwidth (BENCHMARKS.md).
    pub(crate) const MAX: usize = 128;
    const EPOCH_SENDS: u32 = (Self::MAX / 2) as u32;
    const EPOCH_MASK: u32 = 0b11;

    fn tag(hash: u32) -> u32 {
        hash << 2
    }

    /// The current epoch: `sends / EPOCH_SENDS`, modulo 4 (continuous where `sends`
    /// wraps, as 2³² is a multiple of `4 * EPOCH_SENDS`).
    fn epoch(&self) -> u32 {
        (self.sends / Self::EPOCH_SENDS) & Self::EPOCH_MASK
    }

    /// Whether the client has the info whose `info_hash` is `hash` for player `id`.
    pub(crate) fn has(&self, id: u32, hash: u32) -> bool {
        self.infos
            .binary_search_by_key(&id, |(i, _)| *i)
            .is_ok_and(|k| self.infos[k].1 & !Self::EPOCH_MASK == Self::tag(hash))
    }

    /// Records that the client was sent `info` for player `id`.
    pub(crate) fn sent(&mut self, id: u32, info: &PlayerInfo) {
        let tag = Self::tag(info_hash(info)) | self.epoch();
        self.sends = self.sends.wrapping_add(1);
        let at = match self.infos.binary_search_by_key(&id, |(i, _)| *i) {
            Ok(k) => {
                self.infos[k].1 = tag;
                return;
            }
            Err(_) if self.infos.len() >= Self::MAX => {
                self.forget_oldest();
                self.infos
                    .binary_search_by_key(&id, |(i, _)| *i)
                    .unwrap_or_else(|k| k)
            }
            Err(k) => k,
        };
        self.infos.insert(at, (id, tag));
    }

    /// Forgets the players not sent in this epoch or the one before (at least one, as
    /// two epochs hold fewer than `MAX` sends); should that free less than a quarter,
    /// also those of the epoch before.
    fn forget_oldest(&mut self) {
        let now = self.epoch();
        let before = now.wrapping_sub(1) & Self::EPOCH_MASK;
        let len = self.infos.len();
        self.infos.retain(|(_, t)| {
            let e = t & Self::EPOCH_MASK;
            e == now || e == before
        });
        if len - self.infos.len() < Self::MAX / 4 {
            self.infos.retain(|(_, t)| t & Self::EPOCH_MASK == now);
        }
    }

    /// Records the player infos `msg` carries (views are built without the infos the
    /// client has; see [`FrameCore::state_for`]).
    fn record(&mut self, msg: &ServerMessage) {
        for (id, info) in msg.player_infos() {
            self.sent(id, info);
        }
    }
}

impl FrameCore {
    /// [`FrameCore::state`] for a delta's entries: without the player info the client
    /// has (and without copying it).
    fn state_for(&self, i: usize, names: &KnownNames) -> EntityState {
        let c = &self.compacts[i];
        if c.info_hash != 0 && names.has(c.id, c.info_hash) {
            return self.state_without_info(i);
        }
        self.state(i)
    }
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
            anchor: None,
            baselines: VecDeque::new(),
            acked: None,
            events_through: None,
            last_private: None,
            send_now: true,
            fast_deltas: 0,
            names: KnownNames::default(),
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
        self.baselines.pop_front();
    }

    /// Forgets every baseline and the private state sent: the next update sends a
    /// full snapshot and the private state at once (after a resume).
    pub fn reset(&mut self) {
        self.baselines.clear();
        self.acked = None;
        self.events_through = None;
        self.last_private = None;
        self.names = KnownNames::default();
        self.send_now = true;
    }

    /// The view rectangle: the screen plus the margin around the player, recentred
    /// only when the player moves far enough (see `follow`).
    pub fn view_rect(&self) -> Rect {
        let c = &self.config;
        Rect::centered(
            self.anchor.unwrap_or(self.center),
            c.view_width + 2.0 * c.margin,
            c.view_height + 2.0 * c.margin,
        )
    }

    /// Moves the view with the player at `pos`. The rectangle recentres on the player
    /// only along an axis where they are more than half the margin away from its
    /// centre, so the screen always stays inside it with half the margin to spare,
    /// and a player moving about in one place (gathering, fighting) keeps the same
    /// rectangle: nothing flickers in and out at its edges, and a delta against an
    /// unmoved rectangle needs to look only at what changed (no edge cells to scan).
    fn follow(&mut self, pos: Vec2) {
        self.center = pos;
        let reach = self.config.margin.max(0.0) / 2.0;
        let anchor = self.anchor.get_or_insert(pos);
        if (pos.x - anchor.x).abs() > reach || !anchor.x.is_finite() {
            anchor.x = pos.x;
        }
        if (pos.y - anchor.y).abs() > reach || !anchor.y.is_finite() {
            anchor.y = pos.y;
        }
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
        let (private, chest) = if self.is_send_tick(frame.tick(), n) {
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
        if let Some(pos) = frame.position_of(self.player.0) {
            self.follow(pos);
        }
        self.push_events(frame, out);
        let mut stats = UpdateStats::default();
        let n = u64::from(self.config.snapshot_interval.max(1));
        if !self.is_send_tick(frame.tick(), n) {
            return stats;
        }
        self.send_now = false;
        let seq = private_view.map_or(0, |v| v.last_input_seq);
        let msg = SCRATCH.with_borrow_mut(|s| self.view_message(frame, seq, &mut stats, s));
        out.push(msg);
        if let Some(view) = private_view
            && !self
                .last_private
                .as_ref()
                .is_some_and(|p| p.shows(view, chest.as_ref()))
        {
            let private = PrivateState::from_view(frame.tick(), view).with_chest(chest);
            self.last_private = Some(private.clone());
            out.push(ServerMessage::Private(private));
        }
        stats
    }

    /// Appends only the events of `frame` that concern the client: for a connection
    /// catching up after a stall, which skips the views of ticks a later view covers
    /// (a delta is against the acknowledged baseline, never against the previous tick,
    /// so skipping loses nothing) but must not lose their events.
    pub fn events_only(&mut self, frame: &TickFrame, out: &mut Vec<ServerMessage>) {
        if let Some(pos) = frame.position_of(self.player.0) {
            self.follow(pos);
        }
        self.push_events(frame, out);
    }

    /// Appends the events the client has not been sent yet that concern it: those of
    /// `frame`'s tick and of the earlier ticks the frame remembers (a client handed
    /// only every other frame hears every tick), oldest first, in one `Events` message
    /// stamped with the newest of those ticks (more only past `MAX_EVENTS`): a client
    /// on its own tick needs no second header for the tick in between.
    fn push_events(&mut self, frame: &TickFrame, out: &mut Vec<ServerMessage>) {
        let tick = frame.tick();
        // A new client starts with this tick's events; a replayed tick sends nothing.
        let after = self.events_through.unwrap_or(tick.saturating_sub(1));
        if after >= tick {
            return;
        }
        self.events_through = Some(tick);
        let me = self.player.0;
        let team = frame.team_of(self.player);
        let rect = self.view_rect();
        let mut events = Vec::new();
        for (_, list) in frame
            .events
            .iter()
            .filter(|(t, _)| *t > after && *t <= tick)
        {
            for (audience, event) in list.iter() {
                let hears = match audience {
                    Audience::All => true,
                    Audience::Team(t) => team == Some(*t),
                    Audience::Only(p) => *p == me,
                    Audience::Involved(ids) => ids.contains(&Some(me)),
                    Audience::Around { at, involved } => {
                        involved.contains(&Some(me)) || rect.contains(*at)
                    }
                };
                if hears {
                    events.push(event.clone());
                }
            }
        }
        if events.len() <= MAX_EVENTS {
            if !events.is_empty() {
                out.push(ServerMessage::Events(Events { tick, events }));
            }
            return;
        }
        for chunk in events.chunks(MAX_EVENTS) {
            out.push(ServerMessage::Events(Events {
                tick,
                events: chunk.to_vec(),
            }));
        }
    }

    /// The entities (frame indices, ascending) in view, within the count and byte
    /// budget; with their `wire_lens` total and, when the view had to be cut, where.
    fn select(
        &self,
        frame: &TickFrame,
        rect: Rect,
        s: &mut Scratch,
    ) -> (Vec<u32>, usize, Option<CutEdge>) {
        let core = &frame.core;
        let mut idx = std::mem::take(&mut s.idx);
        idx.clear();
        core.query(rect, &mut s.bits, &mut idx);
        let limit = self.limit();
        let bytes: usize = idx
            .iter()
            .map(|i| usize::from(core.wire_lens[*i as usize]))
            .sum();
        if idx.len() <= limit && bytes <= SELECT_BUDGET {
            return (idx, bytes, None);
        }
        // Nearest first, ties by index. Each distance is computed once and only the
        // nearest `limit` are picked out (O(n)); they are put in order only when the
        // byte budget cuts within them, and the kept indices are put back in index
        // order through a bitset. (A crowded view is cut on every send: sorting all
        // its candidates by distances read anew in each comparison was a tenth of a
        // busy server's network thread.)
        let c = self.center;
        let near = &mut s.by_distance;
        near.clear();
        near.extend(
            idx.iter()
                .map(|&i| (core.positions[i as usize].distance_squared(c), i)),
        );
        let order = |a: &(f32, u32), b: &(f32, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        let by_count = near.len() > limit && limit > 0;
        if by_count {
            // `near[limit - 1]` is now the farthest of the nearest `limit`.
            near.select_nth_unstable_by(limit - 1, order);
            near.truncate(limit);
        }
        let len = |i: u32| usize::from(core.wire_lens[i as usize]);
        let nearest_bytes: usize = near.iter().map(|(_, i)| len(*i)).sum();
        let (keep, used) = if by_count && nearest_bytes <= SELECT_BUDGET {
            (near.len(), nearest_bytes)
        } else {
            near.sort_unstable_by(order);
            let (mut keep, mut used) = (0, 0);
            for (_, i) in near.iter() {
                if keep == limit || used + len(*i) > SELECT_BUDGET {
                    break;
                }
                used += len(*i);
                keep += 1;
            }
            (keep, used)
        };
        // The farthest kept: in order, or `select_nth`'s pivot when nothing was sorted.
        let edge = CutEdge {
            center: c,
            last: keep.checked_sub(1).map(|k| near[k]),
        };
        let bits = &mut s.bits;
        bits.clear();
        bits.resize(core.compacts.len().div_ceil(64), 0);
        for (_, i) in &near[..keep] {
            set_bit(bits, *i as usize);
        }
        idx.clear();
        each_bit(bits, |i| idx.push(i as u32));
        (idx, used, Some(edge))
    }

    fn limit(&self) -> usize {
        self.config.max_entities.min(MAX_SNAPSHOT_ENTITIES)
    }

    fn view_message(
        &mut self,
        frame: &TickFrame,
        last_input_seq: u32,
        stats: &mut UpdateStats,
        s: &mut Scratch,
    ) -> ServerMessage {
        let rect = self.view_rect();
        let base = acked_base(&self.baselines, self.acked, frame.tick());
        // Fast path: only what changed since the baseline is looked at.
        let limit = self.limit();
        let names = &mut self.names;
        let fast = base.and_then(|(b, bf)| {
            let out = Output { limit, names };
            let table = s.changes.pair(&frame.core, &bf);
            changes_since(b, &bf, frame, rect, &mut s.marks, table, out)
        });
        let (msg, view) = match fast {
            Some((mut d, count, bytes)) => {
                self.fast_deltas += 1;
                stats.delta = true;
                stats.in_view = count;
                d.last_input_seq = last_input_seq;
                (
                    ServerMessage::PackedDelta(d),
                    BaseView::Whole { count, bytes },
                )
            }
            None => {
                let (idx, bytes, cut) = self.select(frame, rect, s);
                stats.in_view = idx.len();
                let base = acked_base(&self.baselines, self.acked, frame.tick());
                let msg = match base.and_then(|(b, bf)| {
                    delta(
                        b,
                        &bf,
                        frame,
                        &idx,
                        &mut s.bits,
                        &mut s.base_list,
                        &self.names,
                    )
                }) {
                    Some(mut d) => {
                        stats.delta = true;
                        d.last_input_seq = last_input_seq;
                        ServerMessage::Delta(d)
                    }
                    None => {
                        stats.full = true;
                        ServerMessage::Snapshot(Snapshot {
                            tick: frame.tick(),
                            last_input_seq,
                            entities: idx.iter().map(|i| frame.core.state(*i as usize)).collect(),
                        })
                    }
                };
                let view = if let Some(edge) = cut {
                    BaseView::Cut(edge)
                } else {
                    BaseView::Whole {
                        count: idx.len(),
                        bytes,
                    }
                };
                s.idx = idx;
                (msg, view)
            }
        };
        if self
            .baselines
            .back()
            .is_some_and(|b| b.tick >= frame.tick())
        {
            // The same tick again (a replayed frame): forget what followed it.
            self.baselines.retain(|b| b.tick < frame.tick());
        }
        // Room is made before the push, so the list never outgrows its bound (nor its
        // allocation the bound's size).
        while self.baselines.len() >= self.config.max_baselines.max(1) {
            self.drop_oldest();
        }
        self.baselines.push_back(Baseline {
            tick: frame.tick(),
            frame: BaseFrame::of(&frame.core),
            rect,
            view,
        });
        self.names.record(&msg);
        msg
    }
}

/// What a view may take in a full snapshot, with room for the snapshot's own fields.
const SELECT_BUDGET: usize = MAX_SNAPSHOT_BYTES - 64;

pub(crate) fn set_bit(bits: &mut [u64], i: usize) -> bool {
    let (w, m) = (i / 64, 1u64 << (i % 64));
    let was = bits[w] & m != 0;
    bits[w] |= m;
    !was
}

fn is_set(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}

/// Calls `f` with every set bit's index, ascending.
pub(crate) fn each_bit(bits: &[u64], mut f: impl FnMut(usize)) {
    for (w, word) in bits.iter().enumerate() {
        let mut word = *word;
        while word != 0 {
            f(w * 64 + word.trailing_zeros() as usize);
            word &= word - 1;
        }
    }
}

/// The delta from `base` to the view `rect` of `frame`, looking only at entities that
/// changed since the baseline, cells the rectangles' edges cross, and entities that
/// left a cell of the old view; with the new view's entity count and `wire_lens` total.
/// `None` when this cannot be done (another chain, a baseline older than the frame's
/// departure history, a cut baseline) or the delta does not fit: the caller then
/// compares the whole views.
///
/// Why it is complete: an entity unchanged since the base tick has the same position,
/// so it is in both views or neither unless it lies in a cell one rectangle covers
/// and the other does not fully (those cells are scanned); a changed entity still in a
/// cell of either view is scanned (cells list changed entities first); an entity of the
/// old view that is anywhere else now left its old cell after the base tick, so it is
/// in the frame's departures.
fn changes_since(
    base: &Baseline,
    base_frame: &FrameCore,
    frame: &TickFrame,
    rect: Rect,
    marks: &mut Marks,
    mut table: PairTable<'_>,
    out: Output<'_>,
) -> Option<(PackedDelta, usize, usize)> {
    let (f, b) = (&*frame.core, base_frame);
    let BaseView::Whole { count, bytes } = base.view else {
        return None;
    };
    if !Arc::ptr_eq(&f.chain, &b.chain) || base.tick < f.oldest_base || base.tick >= f.tick {
        return None;
    }
    let bt = base.tick;
    let unchanged_through = f.chain_tick(bt);
    let (rf, rb) = (rect, base.rect);
    let same_rect = rf == rb;
    let (count, bytes) = (count as isize, bytes as isize);
    let (mut count, mut bytes) = (count, bytes);
    marks.now.clear();
    marks.now.resize(f.compacts.len().div_ceil(64), 0);
    marks.gone.clear();
    marks.gone.resize(b.compacts.len().div_ceil(64), 0);
    marks.kept.clear();
    marks.kept.resize(b.compacts.len().div_ceil(64), 0);
    if marks.base_of.len() < f.compacts.len() {
        marks.base_of.resize(f.compacts.len(), u32::MAX);
    }
    let in_base = |id: u32, i: usize| {
        b.lookup_near(id, i)
            .filter(|j| rb.contains(b.positions[*j]))
    };
    let (cf, cb) = (f.range(rf), f.range(rb));
    for y in cf.y0.min(cb.y0)..=cf.y1.max(cb.y1) {
        for x in cf.x0.min(cb.x0)..=cf.x1.max(cb.x1) {
            if !cf.contains(x, y) && !cb.contains(x, y) {
                continue;
            }
            // Unchanged entities matter only where the rectangles differ.
            let (inside_f, inside_b) = (f.cell_inside(x, y, &rf), f.cell_inside(x, y, &rb));
            let inside = inside_f && inside_b;
            let edge = !same_rect && !inside;
            for e in f.cell_items(x, y) {
                let i = e.index as usize;
                let p = e.pos;
                let now = inside_f || rf.contains(p);
                if e.changed <= unchanged_through {
                    if !edge {
                        break; // the rest of the cell is unchanged too
                    }
                    let before = rb.contains(p);
                    if now && !before {
                        set_bit(&mut marks.now, i);
                        marks.base_of[i] = u32::MAX;
                        count += 1;
                        bytes += len(f.wire_lens[i]);
                    } else if before && !now {
                        let j = b.lookup_near(e.id, i)?;
                        if set_bit(&mut marks.gone, j) {
                            count -= 1;
                            bytes -= len(b.wire_lens[j]);
                        }
                    }
                    continue;
                }
                let rec = table.rec(f, b, i);
                let was = (rec.base != u32::MAX
                    && ((rec.same_cell && inside_b) || rb.contains(rec.base_pos)))
                .then_some(rec.base as usize);
                match (was, now) {
                    (Some(j), true) => {
                        set_bit(&mut marks.kept, j);
                        bytes += len(f.wire_lens[i]) - len(b.wire_lens[j]);
                        if rec.mask != 0 {
                            set_bit(&mut marks.now, i);
                            marks.base_of[i] = j as u32;
                        }
                    }
                    (Some(j), false) => {
                        if set_bit(&mut marks.gone, j) {
                            count -= 1;
                            bytes -= len(b.wire_lens[j]);
                        }
                    }
                    (None, true) => {
                        set_bit(&mut marks.now, i);
                        marks.base_of[i] = u32::MAX;
                        count += 1;
                        bytes += len(f.wire_lens[i]);
                    }
                    (None, false) => {}
                }
            }
        }
    }
    // Entities of the old view that are now outside every scanned cell, or gone. An
    // entity that left a cell after the base tick changed after it, so if it is in a
    // scanned cell now, the scan above found it (kept or gone).
    for (t, departures) in &f.departures {
        if *t <= bt {
            continue;
        }
        let first = departures.partition_point(|d| usize::from(d.y) < cb.y0);
        for d in &departures[first..] {
            let (x, y) = (usize::from(d.x), usize::from(d.y));
            if y > cb.y1 {
                break;
            }
            if !cb.contains(x, y) {
                continue;
            }
            let Some(j) = in_base(d.id, d.index as usize) else {
                continue;
            };
            if !is_set(&marks.kept, j) && set_bit(&mut marks.gone, j) {
                count -= 1;
                bytes -= len(b.wire_lens[j]);
            }
        }
    }
    let count = usize::try_from(count).ok()?;
    let bytes = usize::try_from(bytes).ok()?;
    if count > out.limit || bytes > SELECT_BUDGET {
        return None;
    }
    let marked = Marked {
        now: &marks.now,
        gone: &marks.gone,
        base_of: &marks.base_of,
    };
    let delta = pack_delta(b, f, bt, marked, &mut marks.pack, &mut table, out.names)?;
    Some((delta, count, bytes))
}

/// How [`changes_since`] answers: within this view `limit`, for a client that has
/// these `names`.
struct Output<'a> {
    limit: usize,
    names: &'a mut KnownNames,
}

fn len(l: u16) -> isize {
    l as isize
}

/// The delta from `base` to the view `idx` of `frame` by comparing the whole views, or
/// `None` when a snapshot is the better (or only safe) choice: a delta bigger than the
/// snapshot budget. `bits` and `list` are scratch space.
fn delta(
    base: &Baseline,
    b: &FrameCore,
    frame: &TickFrame,
    idx: &[u32],
    bits: &mut Vec<u64>,
    list: &mut Vec<u32>,
    names: &KnownNames,
) -> Option<Delta> {
    list.clear();
    b.query(base.rect, bits, list);
    if let BaseView::Cut(edge) = &base.view {
        list.retain(|i| edge.keeps(b, *i));
    }
    let old: &[u32] = list;
    let f = &*frame.core;
    let mut current = idx.iter().map(|i| *i as usize).peekable();
    let mut d = Delta {
        tick: f.tick,
        base_tick: base.tick,
        last_input_seq: 0,
        removed: Vec::new(),
        entered: Vec::new(),
        changed: Vec::new(),
    };
    let mut bytes = 32;
    let mut old = old.iter().map(|j| &b.compacts[*j as usize]).peekable();
    loop {
        let o = old.peek().copied();
        let n = current.peek().copied();
        match (o, n) {
            (Some(o), Some(i)) if o.id == f.compacts[i].id => {
                if *o != f.compacts[i] {
                    bytes += usize::from(f.wire_lens[i]);
                    match change(o, f, i) {
                        Some(c) => d.changed.push(c),
                        None => d.entered.push(f.state_for(i, names)),
                    }
                }
                old.next();
                current.next();
            }
            (Some(o), Some(i)) if o.id < f.compacts[i].id => {
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
                bytes += usize::from(f.wire_lens[i]);
                d.entered.push(f.state_for(i, names));
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
