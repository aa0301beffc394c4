//! Read-only views of the world for replication: what the network layer may see.

use serde::{Deserialize, Serialize};

use crate::{EntityId, Vec2};

/// The category of an entity; `subtype` in [`EntityView`] indexes the matching content table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum EntityKind {
    /// A player.
    Player = 0,
    /// A resource node (tree, rock, bush, ...); subtype = node kind index.
    Node = 1,
    /// A creature; subtype = creature kind index.
    Creature = 2,
    /// A placed structure; subtype = item index of the structure item.
    Structure = 3,
    /// A loot bag dropped at a death.
    LootBag = 4,
    /// An arrow in flight.
    Projectile = 5,
}

/// The public, replicated state of one entity: small and `Copy`, so comparing a
/// client's baseline with the current tick is cheap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EntityView {
    /// Which entity.
    pub id: EntityId,
    /// Its category.
    pub kind: EntityKind,
    /// Index into the content table of its category.
    pub subtype: u16,
    /// Position in world units.
    pub pos: Vec2,
    /// Facing in radians.
    pub angle: f32,
    /// Health as a percentage of its maximum, 0..=100.
    pub health_pct: u8,
    /// Bit flags: see the `FLAG_*` constants.
    pub flags: u8,
}

impl EntityView {
    /// The entity is swinging / attacking this tick.
    pub const FLAG_ACTING: u8 = 1;
    /// A player is sprinting.
    pub const FLAG_SPRINTING: u8 = 2;
    /// A node is depleted (waiting to respawn) or a door is open.
    pub const FLAG_INACTIVE: u8 = 4;
    /// The entity was hurt this tick.
    pub const FLAG_HURT: u8 = 8;
}

/// Public facts about a player entity that change rarely (sent when it enters view or changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerPublic {
    /// Display name.
    pub name: String,
    /// Level.
    pub level: u32,
    /// Team id, if in a team.
    pub team: Option<u32>,
}

/// One inventory stack as the owning client sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemStack {
    /// Item index in the content table.
    pub item: u16,
    /// Count (1 for tools and weapons).
    pub count: u16,
    /// Remaining durability for tools, weapons and armor; 0 for other items.
    pub durability: u16,
}

/// The state only its owner sees: meters, inventory, crafting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivateView {
    /// The player's entity.
    pub entity: EntityId,
    /// Health 0..=100.
    pub health: f32,
    /// Hunger 0..=100 (100 = full).
    pub hunger: f32,
    /// Thirst 0..=100 (100 = quenched).
    pub thirst: f32,
    /// Stamina 0..=100.
    pub stamina: f32,
    /// Inventory slots.
    pub inventory: Vec<Option<ItemStack>>,
    /// Equipment: head, body, hand.
    pub equipment: [Option<ItemStack>; 3],
    /// Selected inventory slot.
    pub selected_slot: u8,
    /// Current craft: recipe index and ticks left.
    pub crafting: Option<(u16, u32)>,
    /// Total experience.
    pub xp: u64,
    /// Level derived from experience.
    pub level: u32,
    /// The last input sequence number the world applied.
    pub last_input_seq: u32,
    /// Whether the player is dead (waiting to respawn).
    pub dead: bool,
}

/// One row of the live world leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardEntry {
    /// The player.
    pub player: crate::PlayerId,
    /// Display name.
    pub name: String,
    /// Level.
    pub level: u32,
    /// Kills of players and creatures.
    pub kills: u32,
    /// Score (total experience).
    pub score: u64,
}

/// Convenience for callers that hold a position: the entity's position.
impl From<&EntityView> for Vec2 {
    fn from(v: &EntityView) -> Vec2 {
        v.pos
    }
}
