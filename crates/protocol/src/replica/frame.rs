//! One tick of the world as replication sees it, captured once and shared by every
//! client's [`crate::ClientReplica`]: quantised entity states sorted by id, a grid over
//! them for view queries, the tick at which each entity last changed, and the tick's
//! events with who should hear them.
//!
//! Frames captured by one [`FrameCapture`] form a chain: each entity's change tick and
//! each tick's cell departures are known relative to the previous frame of the chain,
//! so a client's delta can skip everything that has not changed since its baseline.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use sim_core::{
    ChatChannel, EntityKind, EntityView, Event, PlayerId, Rect, StepOutput, Vec2, World,
};

use crate::msg::entity::{EntityState, PlayerInfo};
use crate::msg::events::{GameEvent, RejectCode};
use crate::quant::{angle_to_u8, damage_to_wire, pos_to_wire};

/// An entity's replicated fields without its strings: small and `Copy`, so baselines
/// are cheap to keep and compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Compact {
    pub id: u32,
    pub kind: EntityKind,
    pub subtype: u16,
    pub x: i32,
    pub y: i32,
    pub angle: u8,
    pub health: u8,
    pub flags: u8,
    /// Hash of the player info (0 = none), so a change is found without comparing
    /// strings. 32 bits keep the struct at 24 bytes, a third of a frame's bytes per
    /// entity; the names a client knows are told apart by 30 of them anyway.
    pub info_hash: u32,
}

/// One captured entity (the input of [`FrameCapture::capture_parts`]).
#[derive(Debug, Clone)]
pub(crate) struct FrameEntity {
    pub compact: Compact,
    pub pos: Vec2,
    pub info: Option<Arc<PlayerInfo>>,
}

impl FrameEntity {
    /// An upper bound of the entity's encoded size in a snapshot or delta.
    pub(crate) fn max_wire_len(&self) -> usize {
        // id 5, kind 1, subtype 3, x 5, y 5, angle/health/flags 3, change mask 1.
        23 + self.info.as_ref().map_or(0, |i| 1 + i.name.len() + 5 + 6)
    }
}

/// Who should hear an event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Audience {
    All,
    Team(u32),
    Only(u32),
    /// Only these players.
    Involved([Option<u32>; 2]),
    /// Those whose view contains `at`, and the players involved.
    Around {
        at: Vec2,
        involved: [Option<u32>; 2],
    },
}

/// Identity of a chain of frames (compared by address; see [`FrameCapture`]).
#[derive(Debug)]
pub(crate) struct Chain;

/// An entity that left a grid cell (moved to another one or left the world) at a tick:
/// its id, the cell it was in at the previous frame, and its index there (usually its
/// index in the frames around it too: a hint for look-ups).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Departure {
    pub id: u32,
    pub index: u32,
    pub x: u16,
    pub y: u16,
}

/// Ticks of departures a frame remembers: baselines older than this fall back to the
/// full comparison (the default 8 baselines every 2 ticks fit).
const DEPARTURE_HISTORY: usize = 64;

/// The entity data of a frame: kept alive (behind an `Arc`) by the baselines of the
/// clients that were sent this tick, so deltas can look back at it.
#[derive(Debug)]
pub(crate) struct FrameCore {
    pub tick: u64,
    /// Unique among the frames of this process (see `ChangeTables`).
    pub serial: u64,
    pub chain: Arc<Chain>,
    /// The tick the chain started at: `changed` counts ticks from it.
    pub chain_start: u64,
    /// Kept alive by its capture for a while (see [`FrameCapture::retaining`]):
    /// baselines refer to it without keeping it alive.
    pub retained: bool,
    /// Hot arrays, one entry per entity, sorted by id.
    pub compacts: Vec<Compact>,
    pub positions: Vec<Vec2>,
    pub wire_lens: Vec<u16>,
    /// Shared with the previous frame while unchanged, so a tick allocates no names.
    pub infos: Vec<Option<Arc<PlayerInfo>>>,
    /// The tick of the chain's frame from which on the entity's compact state and exact
    /// position have been what they are now, counted from `chain_start` (see
    /// [`FrameCore::chain_tick`]): 4 bytes instead of 8 per entity.
    pub changed: Vec<u32>,
    /// Grid cell of each entity.
    pub cells: Vec<u32>,
    pub cell: f32,
    pub cols: usize,
    /// Entities grouped by grid cell: cell `c` holds `items[starts[c]..starts[c + 1]]`,
    /// most recently changed first, with copies of what a scan reads so a cell is one
    /// contiguous read.
    starts: Vec<u32>,
    items: Vec<CellEntry>,
    /// Open-addressing table of `(id, index)` (index `u32::MAX` = empty slot), so a
    /// look-up touches one place.
    table: Vec<(u32, u32)>,
    /// Departures of the chain's recent frames up to this one, by ascending tick; each
    /// tick's sorted by cell row, then column.
    pub departures: Vec<(u64, Arc<[Departure]>)>,
    /// Departures after this tick are all in `departures`: a baseline of this tick or
    /// later in the same chain can be compared by changes only.
    pub oldest_base: u64,
    /// What the arrays above hold on the heap (see [`frames_alive`]).
    heap_bytes: usize,
}

/// Frames alive in this process and the heap their arrays hold: a frame lives while a
/// connection's queue or a client's baseline still refers to it (with a retaining
/// capture, while the capture keeps it for a baseline).
static FRAMES_ALIVE: AtomicUsize = AtomicUsize::new(0);
static FRAME_BYTES_ALIVE: AtomicUsize = AtomicUsize::new(0);

/// How many captured frames are alive in this process and the bytes their arrays hold
/// on the heap (events and player names not counted). Each client keeps the frames of
/// its unacknowledged views, so this grows with clients that acknowledge late, up to
/// what a [`FrameCapture::retaining`] allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FramesAlive {
    /// Frames.
    pub frames: usize,
    /// Bytes of their per-entity arrays.
    pub bytes: usize,
}

/// The frames alive now; see [`FramesAlive`].
pub fn frames_alive() -> FramesAlive {
    FramesAlive {
        frames: FRAMES_ALIVE.load(Ordering::Relaxed),
        bytes: FRAME_BYTES_ALIVE.load(Ordering::Relaxed),
    }
}

impl FrameCore {
    /// `core`, counted in [`frames_alive`] until dropped.
    fn counted(mut core: FrameCore) -> FrameCore {
        fn bytes<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        core.heap_bytes = bytes(&core.compacts)
            + bytes(&core.positions)
            + bytes(&core.wire_lens)
            + bytes(&core.infos)
            + bytes(&core.changed)
            + bytes(&core.cells)
            + bytes(&core.starts)
            + bytes(&core.items)
            + bytes(&core.table)
            + bytes(&core.departures);
        FRAMES_ALIVE.fetch_add(1, Ordering::Relaxed);
        FRAME_BYTES_ALIVE.fetch_add(core.heap_bytes, Ordering::Relaxed);
        core
    }
}

impl Drop for FrameCore {
    fn drop(&mut self) {
        FRAMES_ALIVE.fetch_sub(1, Ordering::Relaxed);
        FRAME_BYTES_ALIVE.fetch_sub(self.heap_bytes, Ordering::Relaxed);
    }
}

/// The events of one tick with who should hear them.
pub(crate) type TickEvents = Arc<[(Audience, GameEvent)]>;

/// Ticks of events a frame carries (its own and the ones before it in its chain), so a
/// client that is handed only every few frames still hears everything: covers a
/// `snapshot_interval` of up to this many ticks.
pub const EVENT_HISTORY: usize = 8;

/// The world at one tick, prepared for replication to many clients.
#[derive(Debug, Clone)]
pub struct TickFrame {
    pub(crate) core: Arc<FrameCore>,
    /// Events of this tick and of up to [`EVENT_HISTORY`]` - 1` ticks before it in the
    /// same chain, by ascending tick.
    pub(crate) events: Vec<(u64, TickEvents)>,
}

/// Captures one [`TickFrame`] per tick and links each to the previous one, so that
/// clients are sent work proportional to what changed rather than to what they see.
/// Use one per world, call [`FrameCapture::capture`] after every step. A tick that
/// does not follow the previous one (a restored or replayed world) starts a new chain,
/// which only costs one full comparison per client.
#[derive(Debug)]
pub struct FrameCapture {
    chain: Arc<Chain>,
    prev: Option<Arc<FrameCore>>,
    history: VecDeque<(u64, Arc<[Departure]>)>,
    oldest_base: u64,
    /// See [`FrameCore::chain_start`].
    chain_start: u64,
    events: VecDeque<(u64, TickEvents)>,
    /// Frames retained as possible baselines (see [`FrameCapture::retaining`]), and how
    /// many (0: baselines keep their frames alive themselves).
    retained: VecDeque<Arc<FrameCore>>,
    retain: usize,
}

impl Default for FrameCapture {
    fn default() -> Self {
        Self::new()
    }
}

/// An entity in a grid cell.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CellEntry {
    /// `FrameCore::changed` of the entity.
    pub changed: u32,
    pub pos: Vec2,
    pub id: u32,
    /// Index in the frame's arrays.
    pub index: u32,
}

/// Cells per side at most, so a huge world does not make a huge grid.
const MAX_GRID_SIDE: f32 = 256.0;
const MIN_GRID_CELL: f32 = 200.0;
/// A cell counts as inside a rectangle only with this much room (world units), so that
/// rounding in the cell computation can never put a point of the cell outside it.
const CELL_SLACK: f32 = 1.0;

fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A non-zero hash of the player info.
pub(crate) fn info_hash(info: &PlayerInfo) -> u32 {
    info_hash_parts(&info.name, info.level, info.team)
}

/// [`info_hash`] of a player info's fields.
fn info_hash_parts(name: &str, level: u32, team: Option<u32>) -> u32 {
    let mut h = fnv(name.as_bytes(), 0xcbf2_9ce4_8422_2325);
    h = fnv(&level.to_le_bytes(), h);
    h = fnv(
        &team.map_or([0xff; 5], |t| {
            let b = t.to_le_bytes();
            [1, b[0], b[1], b[2], b[3]]
        }),
        h,
    );
    ((h >> 32) as u32 ^ h as u32) | 1
}

fn compact(v: &EntityView, info_hash: u32) -> Compact {
    Compact {
        id: v.id.0,
        kind: v.kind,
        subtype: v.subtype,
        x: pos_to_wire(v.pos.x),
        y: pos_to_wire(v.pos.y),
        angle: angle_to_u8(v.angle),
        health: v.health_pct.min(100),
        flags: v.flags,
        info_hash,
    }
}

fn same_pos(a: Vec2, b: Vec2) -> bool {
    a.x.to_bits() == b.x.to_bits() && a.y.to_bits() == b.y.to_bits()
}

/// The slot of the id table where the look-up for `id` starts: a multiplicative hash
/// scaled to the table's `size` (any size, not only powers of two).
fn hash_slot(id: u32, size: usize) -> usize {
    ((u64::from(id.wrapping_mul(0x9e37_79b1)) * size as u64) >> 32) as usize
}

/// Slots of the id table for `n` entities: filled to at most two thirds, so a look-up
/// probes about two slots. Sized to the entities rather than to a power of two, which
/// cost up to four slots per entity (a frame with 8,200 entities: 256 KiB instead
/// of ~96 KiB).
fn table_size(n: usize) -> usize {
    (n + n / 2 + 1).max(16)
}

/// Grid geometry for a world of this size.
fn geometry(world_size: f32) -> (f32, usize) {
    let cell = (world_size / MAX_GRID_SIDE).max(MIN_GRID_CELL);
    let cols = ((world_size / cell).ceil() as usize).max(1);
    (cell, cols)
}

fn axis(cell: f32, cols: usize, v: f32) -> usize {
    let c = (v / cell).floor();
    if c.is_nan() || c < 0.0 {
        0
    } else {
        (c as usize).min(cols - 1)
    }
}

impl FrameCapture {
    /// A capture that starts a new chain.
    pub fn new() -> Self {
        Self {
            chain: Arc::new(Chain),
            prev: None,
            history: VecDeque::new(),
            oldest_base: 0,
            chain_start: 0,
            retained: VecDeque::new(),
            retain: 0,
            events: VecDeque::new(),
        }
    }

    /// A capture that keeps each frame alive as a possible baseline for its next
    /// `frames` captures at most (at least one), and only while a baseline refers to
    /// it or it is still handed around: a client's baselines then refer to frames
    /// without keeping them alive. A client whose acknowledged frame is older
    /// gets a full snapshot, as for an ack older than its kept baselines. Bounds the
    /// frames alive however far a connection's task falls behind, which otherwise
    /// keeps the frames of its baselines alive for every client; use
    /// [`crate::ReplicationConfig::baseline_ticks`].
    pub fn retaining(frames: usize) -> Self {
        Self {
            retain: frames.max(1),
            ..Self::new()
        }
    }

    /// The ticks of the frames retained now, oldest first.
    #[cfg(test)]
    pub(crate) fn retained_ticks(&self) -> Vec<u64> {
        self.retained.iter().map(|f| f.tick).collect()
    }

    /// Captures the world after a step: call once per tick, then
    /// [`crate::ClientReplica::update`] for every client.
    pub fn capture(&mut self, world: &World, output: &StepOutput) -> TickFrame {
        let size = world.config().world_size;
        let prev = self.prev.clone();
        let mut entities = Vec::with_capacity(world.entity_count());
        world.for_each_entity_view(|v, parts| {
            let (info, hash) = match parts {
                Some(p) if v.kind == EntityKind::Player => {
                    let name = truncate_str(p.name, crate::limits::MAX_NAME_BYTES);
                    let hash = info_hash_parts(name, p.level, p.team);
                    // Unchanged since the previous frame: share its copy.
                    let same = prev.as_ref().and_then(|f| {
                        let j = f.lookup(v.id.0)?;
                        (f.compacts[j].info_hash == hash)
                            .then(|| f.infos[j].clone())
                            .flatten()
                    });
                    let info = same.unwrap_or_else(|| {
                        Arc::new(PlayerInfo {
                            name: name.to_owned(),
                            level: p.level,
                            team: p.team,
                        })
                    });
                    (Some(info), hash)
                }
                _ => (None, 0),
            };
            entities.push(FrameEntity {
                compact: compact(&v, hash),
                pos: v.pos,
                info,
            });
        });
        self.capture_parts(output.tick, size, entities, &output.events)
    }

    /// Builds the frame from entities (sorted here by id; already sorted runs are cheap).
    pub(crate) fn capture_parts(
        &mut self,
        tick: u64,
        world_size: f32,
        mut entities: Vec<FrameEntity>,
        events: &[Event],
    ) -> TickFrame {
        entities.sort_by_key(|e| e.compact.id);
        entities.dedup_by_key(|e| e.compact.id);
        let (cell, cols) = geometry(world_size);
        let follows = self
            .prev
            .as_ref()
            .is_some_and(|p| p.tick < tick && p.cols == cols && p.cell == cell)
            // A chain ends before its ticks outgrow `changed` (after 6.8 years at 20 Hz).
            && tick - self.chain_start < u64::from(u32::MAX);
        if !follows {
            self.chain = Arc::new(Chain);
            self.prev = None;
            self.history.clear();
            self.events.clear();
            self.oldest_base = tick;
            self.chain_start = tick;
        }
        let n = entities.len();
        let mut compacts = Vec::with_capacity(n);
        let mut positions = Vec::with_capacity(n);
        let mut wire_lens = Vec::with_capacity(n);
        let mut infos = Vec::with_capacity(n);
        let mut cells = Vec::with_capacity(n);
        for e in entities {
            wire_lens.push(e.max_wire_len().min(usize::from(u16::MAX)) as u16);
            cells.push((axis(cell, cols, e.pos.y) * cols + axis(cell, cols, e.pos.x)) as u32);
            compacts.push(e.compact);
            positions.push(e.pos);
            infos.push(e.info);
        }
        let mut changed = vec![(tick - self.chain_start) as u32; n];
        if let Some(prev) = &self.prev {
            // Both sorted by id: one merge finds what stayed the same, what moved to
            // another cell, and what left.
            let mut departures = Vec::new();
            let mut j = 0;
            for i in 0..n {
                let id = compacts[i].id;
                while j < prev.compacts.len() && prev.compacts[j].id < id {
                    departures.push(prev.departure(j));
                    j += 1;
                }
                if j < prev.compacts.len() && prev.compacts[j].id == id {
                    if prev.compacts[j] == compacts[i] && same_pos(prev.positions[j], positions[i])
                    {
                        changed[i] = prev.changed[j];
                    }
                    if prev.cells[j] != cells[i] {
                        departures.push(prev.departure(j));
                    }
                    j += 1;
                }
            }
            departures.extend((j..prev.compacts.len()).map(|j| prev.departure(j)));
            // By row, so a client reads only the rows its old view covered.
            departures.sort_unstable_by_key(|d: &Departure| (d.y, d.x));
            self.history.push_back((tick, departures.into()));
            while self.history.len() > DEPARTURE_HISTORY {
                if let Some((t, _)) = self.history.pop_front() {
                    self.oldest_base = t;
                }
            }
        }
        let (starts, items) = index(&cells, &changed, &positions, &compacts, cols * cols);
        let table = id_table(&compacts);
        static SERIAL: AtomicU64 = AtomicU64::new(0);
        let core = Arc::new(FrameCore::counted(FrameCore {
            tick,
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
            chain: self.chain.clone(),
            chain_start: self.chain_start,
            retained: self.retain > 0,
            compacts,
            positions,
            wire_lens,
            infos,
            changed,
            cells,
            cell,
            cols,
            starts,
            items,
            table,
            departures: self.history.iter().cloned().collect(),
            oldest_base: self.oldest_base,
            heap_bytes: 0,
        }));
        self.prev = Some(core.clone());
        if self.retain > 0 {
            // A frame held only here, with no baseline referring to it, can never be
            // referred to again (that takes a reference to it): let it go now, so the
            // capture bounds the frames kept without keeping more than are needed.
            self.retained
                .retain(|f| Arc::strong_count(f) > 1 || Arc::weak_count(f) > 0);
            if self.retained.len() == self.retain {
                self.retained.pop_front();
            }
            self.retained.push_back(core.clone());
        }
        let mut frame = TickFrame {
            core,
            events: Vec::new(),
        };
        let routed: TickEvents = events.iter().filter_map(|e| frame.route(e)).collect();
        self.events.push_back((tick, routed));
        while self.events.len() > EVENT_HISTORY {
            self.events.pop_front();
        }
        frame.events = self.events.iter().cloned().collect();
        frame
    }
}

/// Counting sort of entity indices by cell (CSR layout: no per-cell allocations), each
/// cell's entities most recently changed first.
fn index(
    cells: &[u32],
    changed: &[u32],
    positions: &[Vec2],
    compacts: &[Compact],
    n: usize,
) -> (Vec<u32>, Vec<CellEntry>) {
    let mut counts = vec![0u32; n + 1];
    for c in cells {
        counts[*c as usize + 1] += 1;
    }
    for i in 0..n {
        counts[i + 1] += counts[i];
    }
    let mut fill = counts.clone();
    let mut items = vec![0; cells.len()];
    for (i, c) in cells.iter().enumerate() {
        items[fill[*c as usize] as usize] = i as u32;
        fill[*c as usize] += 1;
    }
    let mut entries: Vec<CellEntry> = items
        .iter()
        .map(|i| {
            let i = *i as usize;
            CellEntry {
                changed: changed[i],
                pos: positions[i],
                id: compacts[i].id,
                index: i as u32,
            }
        })
        .collect();
    for c in 0..n {
        let slice = &mut entries[counts[c] as usize..counts[c + 1] as usize];
        if slice.len() > 1 {
            slice.sort_unstable_by(|a, b| b.changed.cmp(&a.changed).then(a.index.cmp(&b.index)));
        }
    }
    (counts, entries)
}

fn id_table(compacts: &[Compact]) -> Vec<(u32, u32)> {
    let size = table_size(compacts.len());
    let mut table = vec![(0, u32::MAX); size];
    for (i, c) in compacts.iter().enumerate() {
        let mut s = hash_slot(c.id, size);
        while table[s].1 != u32::MAX {
            s += 1;
            if s == size {
                s = 0;
            }
        }
        table[s] = (c.id, i as u32);
    }
    table
}

/// The index `table` (made by [`id_table`]) holds for `id`.
fn table_lookup(table: &[(u32, u32)], id: u32) -> Option<usize> {
    let size = table.len();
    let mut s = hash_slot(id, size);
    loop {
        let (key, i) = *table.get(s)?;
        if i == u32::MAX {
            return None;
        }
        if key == id {
            return Some(i as usize);
        }
        s += 1;
        if s == size {
            s = 0;
        }
    }
}

/// Cell index ranges `(x0, x1, y0, y1)` (inclusive) a rectangle covers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CellRange {
    pub x0: usize,
    pub x1: usize,
    pub y0: usize,
    pub y1: usize,
}

impl CellRange {
    pub(crate) fn contains(&self, x: usize, y: usize) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }
}

impl FrameCore {
    /// A tick of this frame's chain as `changed` counts it: an entity is unchanged since
    /// a baseline of the chain at `tick` when its `changed` is at most this.
    pub(crate) fn chain_tick(&self, tick: u64) -> u32 {
        tick.saturating_sub(self.chain_start)
            .min(u64::from(u32::MAX)) as u32
    }

    fn axis(&self, v: f32) -> usize {
        axis(self.cell, self.cols, v)
    }

    /// Entity `j` leaving its cell.
    fn departure(&self, j: usize) -> Departure {
        let (x, y) = self.cell_xy(self.cells[j]);
        Departure {
            id: self.compacts[j].id,
            index: j as u32,
            x: x as u16,
            y: y as u16,
        }
    }

    /// The index of the entity with this id, trying `hint` first: the same entity's
    /// index in a nearby frame of the chain is usually the same (entities are sorted by
    /// id, and few leave between ticks), and the hit reads the line the caller needs next.
    #[inline]
    pub(crate) fn lookup_near(&self, id: u32, hint: usize) -> Option<usize> {
        if self.compacts.get(hint).is_some_and(|c| c.id == id) {
            return Some(hint);
        }
        self.lookup(id)
    }

    /// The index of the entity with this id.
    pub(crate) fn lookup(&self, id: u32) -> Option<usize> {
        table_lookup(&self.table, id)
    }

    pub(crate) fn range(&self, rect: Rect) -> CellRange {
        CellRange {
            x0: self.axis(rect.min.x),
            x1: self.axis(rect.max.x),
            y0: self.axis(rect.min.y),
            y1: self.axis(rect.max.y),
        }
    }

    /// The entities of cell `(x, y)`, most recently changed first.
    pub(crate) fn cell_items(&self, x: usize, y: usize) -> &[CellEntry] {
        let c = y * self.cols + x;
        &self.items[self.starts[c] as usize..self.starts[c + 1] as usize]
    }

    /// Whether every entity the grid puts in cell `(x, y)` is certainly inside `rect`.
    /// Border cells also hold what lies outside the world, so they never are.
    pub(crate) fn cell_inside(&self, x: usize, y: usize, rect: &Rect) -> bool {
        let last = self.cols - 1;
        if x == 0 || y == 0 || x == last || y == last {
            return false;
        }
        let (x0, y0) = (x as f32 * self.cell, y as f32 * self.cell);
        rect.min.x <= x0 - CELL_SLACK
            && rect.min.y <= y0 - CELL_SLACK
            && x0 + self.cell + CELL_SLACK <= rect.max.x
            && y0 + self.cell + CELL_SLACK <= rect.max.y
    }

    /// The cell of entity `i` as `(x, y)`.
    pub(crate) fn cell_xy(&self, cell: u32) -> (usize, usize) {
        let c = cell as usize;
        (c % self.cols, c / self.cols)
    }

    pub(crate) fn state(&self, i: usize) -> EntityState {
        let mut e = self.state_without_info(i);
        e.player = self.infos[i].as_deref().cloned();
        e
    }

    /// [`FrameCore::state`] without the player info.
    pub(crate) fn state_without_info(&self, i: usize) -> EntityState {
        let c = &self.compacts[i];
        EntityState {
            id: c.id,
            kind: c.kind,
            subtype: c.subtype,
            x: c.x,
            y: c.y,
            angle: c.angle,
            health: c.health,
            flags: c.flags,
            player: None,
        }
    }

    /// Appends the indices (ascending, i.e. by id) of the entities inside `rect`.
    /// `bits` is scratch space: marking indices in a bitset and reading it back in
    /// order is cheaper than sorting what the grid cells return.
    pub(crate) fn query(&self, rect: Rect, bits: &mut Vec<u64>, out: &mut Vec<u32>) {
        let words = self.compacts.len().div_ceil(64);
        bits.clear();
        bits.resize(words, 0);
        let r = self.range(rect);
        let (mut lo, mut hi) = (words, 0);
        for y in r.y0..=r.y1 {
            let a = self.starts[y * self.cols + r.x0] as usize;
            let b = self.starts[y * self.cols + r.x1 + 1] as usize;
            for e in &self.items[a..b] {
                let i = e.index;
                if rect.contains(e.pos) {
                    let w = i as usize / 64;
                    bits[w] |= 1 << (i % 64);
                    lo = lo.min(w);
                    hi = hi.max(w);
                }
            }
        }
        for (w, word) in bits.iter().enumerate().take(hi + 1).skip(lo) {
            let mut word = *word;
            while word != 0 {
                let bit = word.trailing_zeros();
                out.push((w * 64) as u32 + bit);
                word &= word - 1;
            }
        }
    }
}

impl TickFrame {
    /// Captures the world after a step as a frame of its own (no chain: every client
    /// is compared in full). Servers should keep a [`FrameCapture`] instead.
    pub fn capture(world: &World, output: &StepOutput) -> Self {
        FrameCapture::new().capture(world, output)
    }

    #[cfg(test)]
    pub(crate) fn from_parts(
        tick: u64,
        world_size: f32,
        entities: Vec<FrameEntity>,
        events: &[Event],
    ) -> Self {
        FrameCapture::new().capture_parts(tick, world_size, entities, events)
    }

    /// The tick captured.
    pub fn tick(&self) -> u64 {
        self.core.tick
    }

    /// Whether this frame carries the events of every tick from `tick` on (its own and
    /// the [`EVENT_HISTORY`] ticks before it in its chain): then a client handed this
    /// frame instead of an earlier one still hears everything since `tick`.
    pub fn carries_events_since(&self, tick: u64) -> bool {
        self.events.first().is_some_and(|(first, _)| *first <= tick)
    }

    /// Entities captured.
    pub fn entity_count(&self) -> usize {
        self.core.compacts.len()
    }

    /// Position of the entity with this id.
    pub(crate) fn position_of(&self, id: u32) -> Option<Vec2> {
        self.core.lookup(id).map(|i| self.core.positions[i])
    }

    /// The team of a player, from their public info.
    pub(crate) fn team_of(&self, player: PlayerId) -> Option<u32> {
        let i = self.core.lookup(player.0)?;
        self.core.infos[i].as_ref()?.team
    }

    fn route(&self, e: &Event) -> Option<(Audience, GameEvent)> {
        let xy = |p: Vec2| (pos_to_wire(p.x), pos_to_wire(p.y));
        Some(match e {
            Event::Chat {
                from,
                name,
                channel,
                team,
                text,
            } => {
                let audience = match (channel, team) {
                    (ChatChannel::Global, _) => Audience::All,
                    (ChatChannel::Team, Some(t)) => Audience::Team(*t),
                    (ChatChannel::Team, None) => Audience::Only(from.0),
                };
                let ev = GameEvent::Chat {
                    from: from.0,
                    name: truncate_utf8(name, crate::limits::MAX_NAME_BYTES),
                    channel: *channel,
                    text: truncate_utf8(text, crate::limits::MAX_CHAT_BYTES),
                };
                (audience, ev)
            }
            Event::Hit {
                attacker,
                target,
                damage,
                at,
            } => {
                let (x, y) = xy(*at);
                (
                    // Only the two sides get the damage number: onlookers see the hurt
                    // flash in the target's replicated flags. In a crowded fight this is
                    // most of the event bytes (hundreds of hits a second in one view).
                    Audience::Involved([Some(attacker.0), Some(target.0)]),
                    GameEvent::Hit {
                        attacker: attacker.0,
                        target: target.0,
                        damage: damage_to_wire(*damage),
                        x,
                        y,
                    },
                )
            }
            Event::Death { victim, killer, at } => {
                let (x, y) = xy(*at);
                (
                    Audience::Around {
                        at: *at,
                        involved: [Some(victim.0), killer.map(|k| k.0)],
                    },
                    GameEvent::Death {
                        victim: victim.0,
                        killer: killer.map(|k| k.0),
                        x,
                        y,
                    },
                )
            }
            Event::Gathered {
                player,
                item,
                count,
            } => (
                Audience::Only(player.0),
                GameEvent::Gathered {
                    item: *item,
                    count: *count,
                },
            ),
            Event::CraftStarted {
                player,
                recipe,
                ticks,
            } => (
                Audience::Only(player.0),
                GameEvent::CraftStarted {
                    recipe: *recipe,
                    ticks: *ticks,
                },
            ),
            Event::Crafted { player, recipe } => (
                Audience::Only(player.0),
                GameEvent::Crafted { recipe: *recipe },
            ),
            Event::CraftCancelled { player, recipe } => (
                Audience::Only(player.0),
                GameEvent::CraftCancelled { recipe: *recipe },
            ),
            Event::LevelUp { player, level } => {
                let at = self.position_of(player.0)?;
                (
                    Audience::Around {
                        at,
                        involved: [Some(player.0), None],
                    },
                    GameEvent::LevelUp {
                        player: player.0,
                        level: *level,
                    },
                )
            }
            Event::Respawned { player, at } => {
                let (x, y) = xy(*at);
                (
                    Audience::Around {
                        at: *at,
                        involved: [Some(player.0), None],
                    },
                    GameEvent::Respawned {
                        player: player.0,
                        x,
                        y,
                    },
                )
            }
            Event::StructurePlaced {
                entity,
                item,
                owner,
            } => (
                Audience::Only(owner.0),
                GameEvent::StructurePlaced {
                    entity: entity.0,
                    item: *item,
                },
            ),
            Event::Consumed { player, item } => (
                Audience::Only(player.0),
                GameEvent::Consumed { item: *item },
            ),
            Event::TeamChanged { player, team } => {
                let at = self.position_of(player.0)?;
                (
                    Audience::Around {
                        at,
                        involved: [Some(player.0), None],
                    },
                    GameEvent::TeamChanged {
                        player: player.0,
                        team: *team,
                    },
                )
            }
            // Replication shows depleted nodes (their inactive flag); no event needed.
            Event::NodeDepleted { .. } => return None,
            Event::Rejected { player, reason } => {
                let (code, item) = RejectCode::from_reason(*reason);
                (Audience::Only(player.0), GameEvent::Rejected { code, item })
            }
        })
    }
}

/// `s` cut to at most `max` bytes on a character boundary (the simulation limits
/// names and chat already; this keeps the wire limit even if it did not).
pub(crate) fn truncate_utf8(s: &str, max: usize) -> String {
    truncate_str(s, max).to_owned()
}

/// [`truncate_utf8`] without copying.
fn truncate_str(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(id: u32) -> Compact {
        Compact {
            id,
            kind: EntityKind::Node,
            subtype: 0,
            x: 0,
            y: 0,
            angle: 0,
            health: 0,
            flags: 0,
            info_hash: 0,
        }
    }

    #[test]
    fn the_id_table_finds_every_entity_and_no_other_at_any_size() {
        for n in [0usize, 1, 15, 16, 17, 100, 1_000, 8_200] {
            // Sorted ids with gaps, as a frame holds them, and a few near u32::MAX.
            let ids: Vec<u32> = (0..n as u32)
                .map(|k| {
                    if k + 3 >= n as u32 {
                        u32::MAX - (n as u32 - k)
                    } else {
                        k * 7 + 1
                    }
                })
                .collect();
            let compacts: Vec<Compact> = ids.iter().map(|&id| compact(id)).collect();
            let table = id_table(&compacts);
            assert_eq!(table.len(), table_size(n));
            assert!(table.len() * 2 >= n * 3, "filled to at most two thirds");
            for (i, &id) in ids.iter().enumerate() {
                assert_eq!(table_lookup(&table, id), Some(i), "n {n}, id {id}");
            }
            for absent in [0, 2, 3, 7 * n as u32 + 2, u32::MAX] {
                assert_eq!(table_lookup(&table, absent), None, "n {n}, id {absent}");
            }
        }
    }
}
