//! The world and the order of its systems.
//!
//! This is the first cut: players join, move within the bounds and leave. The rest of
//! GAME.md's systems land behind the same API (issue #2).

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::{
    Content, EntityId, EntityKind, EntityView, Event, GameConfig, PlayerId, PlayerInput,
    PlayerProgress, PlayerPublic, PrivateView, Rect, SimError, SpatialGrid, StepOutput, Vec2,
    WorldCheckpoint,
};

/// Why a player could not join.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// The world has `max_players` players already.
    #[error("the world is full ({0} players)")]
    Full(u32),
}

#[derive(Debug, Clone)]
struct Player {
    name: String,
    pos: Vec2,
    angle: f32,
    progress: PlayerProgress,
    last_input_seq: u32,
    input: PlayerInput,
}

/// One game world. Only [`World::step`], [`World::join`], [`World::leave`] and
/// [`World::restore`] change it.
#[derive(Debug, Clone)]
pub struct World {
    config: GameConfig,
    content: Content,
    seed: u64,
    tick: u64,
    rng: ChaCha8Rng,
    next_entity: u32,
    players: BTreeMap<PlayerId, Player>,
    grid: SpatialGrid,
}

impl World {
    /// Longest chat line kept, in characters.
    pub const CHAT_MAX_CHARS: usize = 200;
    /// Side of a spatial grid cell in world units.
    pub const GRID_CELL: f32 = 100.0;

    /// Generates a world from `seed`.
    pub fn new(config: GameConfig, content: Content, seed: u64) -> Result<Self, SimError> {
        config.validate()?;
        let grid = SpatialGrid::new(config.world_size, Self::GRID_CELL);
        Ok(Self {
            config,
            content,
            seed,
            tick: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_entity: 1,
            players: BTreeMap::new(),
            grid,
        })
    }

    /// The configuration the world runs with.
    pub fn config(&self) -> &GameConfig {
        &self.config
    }

    /// The content the world runs with.
    pub fn content(&self) -> &Content {
        &self.content
    }

    /// The seed the world was generated from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The number of ticks simulated so far.
    pub fn tick(&self) -> u64 {
        self.tick
    }

    /// Players in the world.
    pub fn player_count(&self) -> usize {
        self.players.len()
    }

    /// Adds a player called `name`, restoring `progress` if given.
    pub fn join(
        &mut self,
        name: &str,
        progress: Option<PlayerProgress>,
    ) -> Result<PlayerId, JoinError> {
        if self.players.len() >= self.config.max_players as usize {
            return Err(JoinError::Full(self.config.max_players));
        }
        let id = PlayerId(self.next_entity);
        self.next_entity += 1;
        let progress = progress.unwrap_or_default();
        let half = self.config.world_size / 2.0;
        let pos = progress.position.unwrap_or(Vec2::new(half, half));
        let pos = self.clamp_to_world(pos);
        self.grid.insert(id.entity(), pos);
        self.players.insert(
            id,
            Player {
                name: name.to_owned(),
                pos,
                angle: 0.0,
                progress,
                last_input_seq: 0,
                input: PlayerInput::default(),
            },
        );
        Ok(id)
    }

    /// Removes a player and returns their progress for saving.
    pub fn leave(&mut self, id: PlayerId) -> Option<PlayerProgress> {
        let player = self.players.remove(&id)?;
        self.grid.remove(id.entity(), player.pos);
        Some(Self::progress_of(&player))
    }

    /// A player's progress as it stands, for autosave.
    pub fn progress(&self, id: PlayerId) -> Option<PlayerProgress> {
        self.players.get(&id).map(Self::progress_of)
    }

    fn progress_of(p: &Player) -> PlayerProgress {
        PlayerProgress {
            position: Some(p.pos),
            ..p.progress.clone()
        }
    }

    fn clamp_to_world(&self, p: Vec2) -> Vec2 {
        let r = self.config.player_radius;
        let max = self.config.world_size - r;
        let fix = |v: f32| if v.is_finite() { v.clamp(r, max) } else { r };
        Vec2::new(fix(p.x), fix(p.y))
    }

    /// Advances the world one tick. Inputs for unknown players are ignored; a player
    /// without input this tick repeats their last one.
    pub fn step(&mut self, inputs: &[(PlayerId, PlayerInput)]) -> StepOutput {
        self.tick += 1;
        for (id, input) in inputs {
            if let Some(p) = self.players.get_mut(id) {
                p.last_input_seq = input.seq;
                p.input = input.clone();
            }
        }
        let dt = self.config.dt();
        let speed = self.config.walk_speed;
        let ids: Vec<PlayerId> = self.players.keys().copied().collect();
        for id in ids {
            let Some(p) = self.players.get(&id) else {
                continue;
            };
            let dir = Vec2::new(p.input.move_x, p.input.move_y).clamp_length(1.0);
            let from = p.pos;
            let to = self.clamp_to_world(from + dir * (speed * dt));
            if let Some(p) = self.players.get_mut(&id) {
                p.pos = to;
                if p.input.aim.is_finite() {
                    p.angle = p.input.aim;
                }
            }
            self.grid.relocate(id.entity(), from, to);
        }
        let events: Vec<Event> = Vec::new();
        StepOutput {
            tick: self.tick,
            events,
        }
    }

    /// Entities whose grid cell overlaps `rect`, in ascending id order.
    pub fn query_rect(&self, rect: Rect, out: &mut Vec<EntityId>) {
        let start = out.len();
        self.grid.query(rect, out);
        out[start..].sort_unstable();
    }

    /// The replicated public state of an entity.
    pub fn entity_view(&self, id: EntityId) -> Option<EntityView> {
        let p = self.players.get(&PlayerId(id.0))?;
        Some(EntityView {
            id,
            kind: EntityKind::Player,
            subtype: 0,
            pos: p.pos,
            angle: p.angle,
            health_pct: p.progress.health.clamp(0.0, 100.0) as u8,
            flags: 0,
        })
    }

    /// Name, level and team of a player entity.
    pub fn player_public(&self, id: EntityId) -> Option<PlayerPublic> {
        let p = self.players.get(&PlayerId(id.0))?;
        Some(PlayerPublic {
            name: p.name.clone(),
            level: p.progress.level,
            team: None,
        })
    }

    /// What only the player themself sees.
    pub fn private_view(&self, id: PlayerId) -> Option<PrivateView> {
        let p = self.players.get(&id)?;
        Some(PrivateView {
            entity: id.entity(),
            health: p.progress.health,
            hunger: p.progress.hunger,
            thirst: p.progress.thirst,
            stamina: p.progress.stamina,
            inventory: Vec::new(),
            equipment: [None, None, None],
            selected_slot: 0,
            crafting: None,
            xp: p.progress.xp,
            level: p.progress.level,
            last_input_seq: p.last_input_seq,
            dead: false,
        })
    }

    /// The durable world state for a checkpoint.
    pub fn checkpoint(&self) -> WorldCheckpoint {
        WorldCheckpoint {
            version: 1,
            seed: self.seed,
            tick: self.tick,
            nodes: Vec::new(),
            structures: Vec::new(),
        }
    }

    /// Applies a checkpoint taken from a world with the same seed.
    pub fn restore(&mut self, checkpoint: &WorldCheckpoint) -> Result<(), SimError> {
        if checkpoint.seed != self.seed {
            return Err(SimError::CheckpointMismatch(format!(
                "checkpoint seed {} but world seed {}",
                checkpoint.seed, self.seed
            )));
        }
        self.tick = checkpoint.tick;
        Ok(())
    }

    /// A hash of the canonical state: equal worlds hash equal at every tick.
    pub fn state_hash(&self) -> u64 {
        let mut h = StateHasher::new();
        h.u64(self.seed);
        h.u64(self.tick);
        h.u32(self.next_entity);
        for (id, p) in &self.players {
            h.u32(id.0);
            h.f32(p.pos.x);
            h.f32(p.pos.y);
            h.f32(p.angle);
        }
        let _ = &self.rng;
        h.finish()
    }
}

/// FNV-1a over explicitly written fields: stable across platforms and releases, unlike
/// `std::hash`'s SipHash keys.
struct StateHasher(u64);

impl StateHasher {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, b: &[u8]) {
        for byte in b {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    fn f32(&mut self, v: f32) {
        self.u32(v.to_bits());
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
