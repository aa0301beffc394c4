//! The world: its state, how it is made from a seed, and how players come and go.
//! The order of the systems of one tick is in `step.rs`.

use std::collections::{BTreeMap, BTreeSet};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::entities::{Creature, LootBag, Node, Player, Projectile, Structure, Team};
use crate::{
    Biome, Content, EntityId, Event, GameConfig, PlayerId, PlayerInput, PlayerProgress, SimError,
    SpatialGrid, Terrain, Vec2,
};

/// Why a player could not join.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// The world has `max_players` players already.
    #[error("the world is full ({0} players)")]
    Full(u32),
}

/// One game world. Only [`World::step`], [`World::join`], [`World::leave`] and
/// [`World::restore`] change it.
#[derive(Debug, Clone)]
pub struct World {
    pub(crate) config: GameConfig,
    pub(crate) content: Content,
    pub(crate) seed: u64,
    pub(crate) tick: u64,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) next_entity: u32,
    pub(crate) terrain: Terrain,
    pub(crate) grid: SpatialGrid,
    /// Loot bags have a grid of their own: only pick-ups and area-of-interest queries
    /// look for them, and where fights are dense they would crowd every other scan.
    pub(crate) bag_grid: SpatialGrid,
    pub(crate) players: BTreeMap<PlayerId, Player>,
    /// Node `i` is entity `i + 1`.
    pub(crate) nodes: Vec<Node>,
    /// Depleted nodes by (respawn tick, node index).
    pub(crate) node_respawns: BTreeSet<(u64, u32)>,
    pub(crate) creatures: BTreeMap<EntityId, Creature>,
    pub(crate) structures: BTreeMap<EntityId, Structure>,
    /// Per terrain cell: the structure standing there (entity id) or 0.
    pub(crate) occupancy: Vec<u32>,
    pub(crate) bags: BTreeMap<EntityId, LootBag>,
    pub(crate) projectiles: BTreeMap<EntityId, Projectile>,
    pub(crate) teams: BTreeMap<u32, Team>,
    pub(crate) next_team: u32,
    /// Events of the tick being simulated.
    pub(crate) events: Vec<Event>,
    /// Reused buffer for grid queries, so a tick allocates nothing in steady state.
    pub(crate) scratch: Vec<EntityId>,
    pub(crate) ids_scratch: Vec<PlayerId>,
    /// Reused list of creature or arrow ids for the systems that walk them.
    pub(crate) entity_scratch: Vec<EntityId>,
    /// Reused buffer for a swing's candidates with their grid kind.
    pub(crate) tagged_scratch: Vec<(EntityId, crate::EntityKind)>,
    /// Where every player stands during the held actions of a tick, by ascending id:
    /// `(id, position, dead)`. Swings look targets up here (a binary search over one
    /// array) instead of in the player map; positions do not change until movement.
    pub(crate) player_spots: Vec<(PlayerId, Vec2, bool)>,
}

impl World {
    /// Longest chat line kept, in characters.
    pub const CHAT_MAX_CHARS: usize = 200;
    /// Side of a spatial grid cell in world units.
    pub const GRID_CELL: f32 = 100.0;
    /// Side of a building grid cell in world units (also the terrain cell).
    pub const BUILD_CELL: f32 = Terrain::CELL;
    /// Largest entity radius the grid queries widen by.
    pub(crate) const MAX_RADIUS: f32 = 40.0;

    /// Generates a world from `seed`: terrain, water, resource nodes.
    pub fn new(config: GameConfig, content: Content, seed: u64) -> Result<Self, SimError> {
        config.validate()?;
        if content.nodes().iter().any(|n| n.drops.len() > 4) {
            return Err(SimError::ContentInvalid(
                "a node may have at most 4 drops".into(),
            ));
        }
        let terrain = Terrain::generate(seed, config.world_size);
        let side = terrain.side();
        let mut world = Self {
            grid: SpatialGrid::new(config.world_size, Self::GRID_CELL),
            bag_grid: SpatialGrid::new(config.world_size, Self::GRID_CELL),
            config,
            content,
            seed,
            tick: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_entity: 1,
            terrain,
            players: BTreeMap::new(),
            nodes: Vec::new(),
            node_respawns: BTreeSet::new(),
            creatures: BTreeMap::new(),
            structures: BTreeMap::new(),
            occupancy: vec![0; side * side],
            bags: BTreeMap::new(),
            projectiles: BTreeMap::new(),
            teams: BTreeMap::new(),
            next_team: 1,
            events: Vec::new(),
            scratch: Vec::new(),
            ids_scratch: Vec::new(),
            entity_scratch: Vec::new(),
            tagged_scratch: Vec::new(),
            player_spots: Vec::new(),
        };
        crate::worldgen::place_nodes(&mut world);
        Ok(world)
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

    /// Ids of the players in the world, ascending.
    pub fn player_ids(&self) -> impl Iterator<Item = PlayerId> + '_ {
        self.players.keys().copied()
    }

    /// The biome map (water included), for the client's map and minimap.
    pub fn terrain(&self) -> &Terrain {
        &self.terrain
    }

    /// The biome under `p`.
    pub fn biome_at(&self, p: Vec2) -> Biome {
        self.terrain.biome_at(p)
    }

    /// Number of resource nodes (entities `1..=node_count`).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of live creatures.
    pub fn creature_count(&self) -> usize {
        self.creatures.len()
    }

    /// Number of placed structures.
    pub fn structure_count(&self) -> usize {
        self.structures.len()
    }

    /// Every entity in the world (nodes, players, creatures, structures, bags, arrows).
    pub fn entity_count(&self) -> usize {
        self.nodes.len()
            + self.players.len()
            + self.creatures.len()
            + self.structures.len()
            + self.bags.len()
            + self.projectiles.len()
    }

    /// Seconds into the current day/night cycle.
    pub fn time_of_day_s(&self) -> f32 {
        let cycle = self.config.ticks(self.config.day_length_s).max(1);
        (self.tick % cycle) as f32 / self.config.tick_rate as f32
    }

    /// Whether it is night now.
    pub fn is_night(&self) -> bool {
        self.time_of_day_s() >= self.config.daylight_s
    }

    pub(crate) fn alloc_entity(&mut self) -> EntityId {
        let id = EntityId(self.next_entity);
        self.next_entity = self.next_entity.saturating_add(1);
        id
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
        let id = PlayerId(self.alloc_entity().0);
        let fresh = progress.is_none();
        let progress = progress.unwrap_or_default();
        let mut player = crate::progress_io::player_from_progress(self, name, &progress);
        if fresh {
            crate::systems::death::give_starter_kit(&self.content, &mut player.inventory);
        }
        let pos = match progress.position {
            Some(p) if self.is_safe_spot(self.clamp_to_world(p, self.config.player_radius)) => {
                self.clamp_to_world(p, self.config.player_radius)
            }
            _ => crate::worldgen::safe_spot(self),
        };
        player.pos = pos;
        self.grid
            .insert(id.entity(), crate::EntityKind::Player, pos);
        self.players.insert(id, player);
        if let Some(team) = progress.team.as_deref() {
            crate::systems::teams::rejoin_by_name(self, id, team);
        }
        Ok(id)
    }

    /// Removes a player and returns their progress for saving. A craft in progress is
    /// refunded first so nothing is lost.
    pub fn leave(&mut self, id: PlayerId) -> Option<PlayerProgress> {
        crate::systems::crafting::cancel(self, id, false);
        // Read out before leaving the team, so the saved progress keeps its name.
        let progress = self.progress(id)?;
        crate::systems::teams::leave_team(self, id);
        let player = self.players.remove(&id)?;
        if player.respawn_at.is_none() {
            self.grid.remove(id.entity(), player.pos);
        }
        Some(progress)
    }

    /// A player's progress as it stands, for autosave.
    pub fn progress(&self, id: PlayerId) -> Option<PlayerProgress> {
        self.players
            .get(&id)
            .map(|p| crate::progress_io::progress_of(self, p))
    }

    pub(crate) fn clamp_to_world(&self, p: Vec2, r: f32) -> Vec2 {
        let max = self.config.world_size - r;
        let fix = |v: f32| if v.is_finite() { v.clamp(r, max) } else { r };
        Vec2::new(fix(p.x), fix(p.y))
    }

    /// Whether a player could stand at `p`: dry, not inside a structure, no hostile near.
    pub(crate) fn is_safe_spot(&self, p: Vec2) -> bool {
        let r = self.config.player_radius;
        !crate::systems::movement::blocked(self, p, r)
            && !crate::systems::creatures::hostile_near(
                self,
                p,
                self.config.respawn_hostile_distance,
            )
    }

    /// The last input a player sent (repeated while no new one arrives).
    pub fn last_input(&self, id: PlayerId) -> Option<&PlayerInput> {
        self.players.get(&id).map(|p| &p.input)
    }

    /// The contents of the chest a player has open, if they still stand near it.
    pub fn open_chest(&self, id: PlayerId) -> Option<(EntityId, Vec<Option<crate::ItemStack>>)> {
        let chest = self.players.get(&id)?.open_chest?;
        let s = self.structures.get(&chest)?;
        Some((chest, s.contents.slots.clone()))
    }
}
