//! The things that live in the world, as the systems store them.

use crate::inventory::Inventory;
use crate::{EntityId, ItemStack, PlayerInput, Vec2};

/// Equipment slot indices.
pub(crate) const HEAD: usize = 0;
pub(crate) const BODY: usize = 1;
pub(crate) const HAND: usize = 2;

/// A craft in progress.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Craft {
    pub(crate) recipe: u16,
    pub(crate) done_tick: u64,
    /// The station structure it needs to stay near, if any.
    pub(crate) station: Option<EntityId>,
}

/// A player in the world (alive or waiting to respawn).
#[derive(Debug, Clone)]
pub(crate) struct Player {
    pub(crate) name: String,
    pub(crate) pos: Vec2,
    pub(crate) angle: f32,
    pub(crate) knock: Vec2,
    pub(crate) health: f32,
    pub(crate) hunger: f32,
    pub(crate) thirst: f32,
    pub(crate) stamina: f32,
    pub(crate) inventory: Inventory,
    pub(crate) equipment: [Option<ItemStack>; 3],
    pub(crate) selected: u8,
    pub(crate) xp: u64,
    pub(crate) level: u32,
    pub(crate) kills: u32,
    pub(crate) deaths: u32,
    pub(crate) gathered: u64,
    pub(crate) crafted: u64,
    /// Ticks alive in this world, added to the saved playtime.
    pub(crate) ticks_played: u64,
    pub(crate) base_playtime_s: u64,
    pub(crate) team: Option<u32>,
    pub(crate) input: PlayerInput,
    pub(crate) last_input_seq: u32,
    pub(crate) swing_ready: u64,
    pub(crate) use_ready: u64,
    pub(crate) craft: Option<Craft>,
    /// Tick at which a dead player comes back.
    pub(crate) respawn_at: Option<u64>,
    /// Chat limiter: the theoretical arrival time of the next line (GCRA), in ticks.
    pub(crate) chat_tat: u64,
    pub(crate) open_chest: Option<EntityId>,
    pub(crate) last_attacker: Option<EntityId>,
    pub(crate) sprinting: bool,
    pub(crate) acting: bool,
    pub(crate) hurt: bool,
}

/// A resource node; its entity id is its index + 1.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) kind: u16,
    pub(crate) pos: Vec2,
    /// Units left per drop of the node kind.
    pub(crate) left: [u16; 4],
    pub(crate) respawn_at: Option<u64>,
}

/// A creature.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Creature {
    pub(crate) kind: u16,
    /// The spawn table entry that made it, for the caps.
    pub(crate) spawn: u16,
    pub(crate) pos: Vec2,
    pub(crate) angle: f32,
    pub(crate) health: f32,
    pub(crate) knock: Vec2,
    pub(crate) target: Option<EntityId>,
    pub(crate) heading: Vec2,
    pub(crate) attack_ready: u64,
    pub(crate) last_attacker: Option<EntityId>,
    pub(crate) acting: bool,
    pub(crate) hurt: bool,
}

/// A placed structure.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Structure {
    pub(crate) item: u16,
    pub(crate) cell_x: i32,
    pub(crate) cell_y: i32,
    pub(crate) pos: Vec2,
    pub(crate) health: f32,
    pub(crate) owner: Option<String>,
    pub(crate) team: Option<u32>,
    pub(crate) open: bool,
    pub(crate) contents: Inventory,
    pub(crate) last_attacker: Option<EntityId>,
    pub(crate) hurt: bool,
}

/// Items left on the ground.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LootBag {
    pub(crate) pos: Vec2,
    pub(crate) items: Vec<ItemStack>,
    pub(crate) expires_at: u64,
}

/// An arrow in flight.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Projectile {
    pub(crate) pos: Vec2,
    pub(crate) vel: Vec2,
    pub(crate) damage: f32,
    pub(crate) owner: EntityId,
    pub(crate) team: Option<u32>,
    pub(crate) expires_at: u64,
}

/// A team of up to `team_max` players.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Team {
    pub(crate) name: String,
    pub(crate) members: Vec<crate::PlayerId>,
}
