//! One tick of the world as replication sees it, captured once and shared by every
//! client's [`crate::ClientReplica`]: quantised entity states sorted by id, a grid over
//! them for view queries, and the tick's events with who should hear them.

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
    /// Hash of the player info (0 = none), so a change is found without comparing strings.
    pub info_hash: u64,
}

/// One captured entity.
#[derive(Debug, Clone)]
pub(crate) struct FrameEntity {
    pub compact: Compact,
    pub pos: Vec2,
    pub info: Option<PlayerInfo>,
}

impl FrameEntity {
    pub(crate) fn state(&self) -> EntityState {
        let c = &self.compact;
        EntityState {
            id: c.id,
            kind: c.kind,
            subtype: c.subtype,
            x: c.x,
            y: c.y,
            angle: c.angle,
            health: c.health,
            flags: c.flags,
            player: self.info.clone(),
        }
    }

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
    /// Those whose view contains `at`, and the players involved.
    Around {
        at: Vec2,
        involved: [Option<u32>; 2],
    },
}

/// The world at one tick, prepared for replication to many clients.
#[derive(Debug, Clone)]
pub struct TickFrame {
    pub(crate) tick: u64,
    pub(crate) entities: Vec<FrameEntity>,
    /// Hot copies of `entities[i].compact`, `.pos` and `.max_wire_len()`, contiguous so
    /// that every client's view query and baseline diff stays in cache.
    pub(crate) compacts: Vec<Compact>,
    positions: Vec<Vec2>,
    pub(crate) wire_lens: Vec<u16>,
    pub(crate) events: Vec<(Audience, GameEvent)>,
    cell: f32,
    cols: usize,
    /// Entity indices grouped by grid cell: cell `c` holds `items[starts[c]..starts[c + 1]]`.
    starts: Vec<u32>,
    items: Vec<u32>,
}

/// Cells per side at most, so a huge world does not make a huge grid.
const MAX_GRID_SIDE: f32 = 256.0;
const MIN_GRID_CELL: f32 = 200.0;

fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A non-zero hash of the player info.
pub(crate) fn info_hash(info: &PlayerInfo) -> u64 {
    let mut h = fnv(info.name.as_bytes(), 0xcbf2_9ce4_8422_2325);
    h = fnv(&info.level.to_le_bytes(), h);
    h = fnv(
        &info.team.map_or([0xff; 5], |t| {
            let b = t.to_le_bytes();
            [1, b[0], b[1], b[2], b[3]]
        }),
        h,
    );
    h | 1
}

fn compact(v: &EntityView, info: Option<&PlayerInfo>) -> Compact {
    Compact {
        id: v.id.0,
        kind: v.kind,
        subtype: v.subtype,
        x: pos_to_wire(v.pos.x),
        y: pos_to_wire(v.pos.y),
        angle: angle_to_u8(v.angle),
        health: v.health_pct.min(100),
        flags: v.flags,
        info_hash: info.map_or(0, info_hash),
    }
}

impl TickFrame {
    /// Captures the world after a step: call once per tick, then
    /// [`crate::ClientReplica::update`] for every client.
    pub fn capture(world: &World, output: &StepOutput) -> Self {
        let size = world.config().world_size;
        let mut ids = Vec::new();
        world.query_rect(
            Rect {
                min: Vec2::new(-size, -size),
                max: Vec2::new(2.0 * size, 2.0 * size),
            },
            &mut ids,
        );
        ids.dedup();
        let entities = ids
            .iter()
            .filter_map(|id| world.entity_view(*id))
            .map(|v| {
                let info = if v.kind == EntityKind::Player {
                    world.player_public(v.id).map(|p| PlayerInfo {
                        name: truncate_utf8(&p.name, crate::limits::MAX_NAME_BYTES),
                        level: p.level,
                        team: p.team,
                    })
                } else {
                    None
                };
                FrameEntity {
                    compact: compact(&v, info.as_ref()),
                    pos: v.pos,
                    info,
                }
            })
            .collect();
        Self::from_parts(output.tick, size, entities, &output.events)
    }

    pub(crate) fn from_parts(
        tick: u64,
        world_size: f32,
        entities: Vec<FrameEntity>,
        events: &[Event],
    ) -> Self {
        let cell = (world_size / MAX_GRID_SIDE).max(MIN_GRID_CELL);
        let cols = ((world_size / cell).ceil() as usize).max(1);
        let compacts = entities.iter().map(|e| e.compact).collect();
        let positions = entities.iter().map(|e| e.pos).collect();
        let wire_lens = entities
            .iter()
            .map(|e| e.max_wire_len().min(usize::from(u16::MAX)) as u16)
            .collect();
        let mut frame = Self {
            tick,
            entities,
            compacts,
            positions,
            wire_lens,
            events: Vec::new(),
            cell,
            cols,
            starts: Vec::new(),
            items: Vec::new(),
        };
        frame.index();
        frame.events = events.iter().filter_map(|e| frame.route(e)).collect();
        frame
    }

    /// Counting sort of entity indices by cell (CSR layout: no per-cell allocations).
    fn index(&mut self) {
        let n = self.cols * self.cols;
        let mut counts = vec![0u32; n + 1];
        let cells: Vec<usize> = self.positions.iter().map(|p| self.cell_of(*p)).collect();
        for c in &cells {
            counts[c + 1] += 1;
        }
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let mut fill = counts.clone();
        self.items = vec![0; self.entities.len()];
        for (i, c) in cells.iter().enumerate() {
            self.items[fill[*c] as usize] = i as u32;
            fill[*c] += 1;
        }
        self.starts = counts;
    }

    fn axis(&self, v: f32) -> usize {
        let c = (v / self.cell).floor();
        if c.is_nan() || c < 0.0 {
            0
        } else {
            (c as usize).min(self.cols - 1)
        }
    }

    fn cell_of(&self, p: Vec2) -> usize {
        self.axis(p.y) * self.cols + self.axis(p.x)
    }

    /// The tick captured.
    pub fn tick(&self) -> u64 {
        self.tick
    }

    /// Entities captured.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// Appends the indices (ascending, i.e. by id) of the entities inside `rect`.
    /// `bits` is scratch space: marking indices in a bitset and reading it back in
    /// order is cheaper than sorting what the grid cells return.
    pub(crate) fn query(&self, rect: Rect, bits: &mut Vec<u64>, out: &mut Vec<u32>) {
        let words = self.entities.len().div_ceil(64);
        bits.clear();
        bits.resize(words, 0);
        let (x0, x1) = (self.axis(rect.min.x), self.axis(rect.max.x));
        let (y0, y1) = (self.axis(rect.min.y), self.axis(rect.max.y));
        let (mut lo, mut hi) = (words, 0);
        for y in y0..=y1 {
            let a = self.starts[y * self.cols + x0] as usize;
            let b = self.starts[y * self.cols + x1 + 1] as usize;
            for &i in &self.items[a..b] {
                if rect.contains(self.positions[i as usize]) {
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

    /// The index of the entity with this id.
    pub(crate) fn find(&self, id: u32) -> Option<&FrameEntity> {
        self.entities
            .binary_search_by_key(&id, |e| e.compact.id)
            .ok()
            .map(|i| &self.entities[i])
    }

    /// The team of a player, from their public info.
    pub(crate) fn team_of(&self, player: PlayerId) -> Option<u32> {
        self.find(player.0)?.info.as_ref()?.team
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
                    Audience::Around {
                        at: *at,
                        involved: [Some(attacker.0), Some(target.0)],
                    },
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
                let at = self.find(player.0)?.pos;
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
                let at = self.find(player.0)?.pos;
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
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}
