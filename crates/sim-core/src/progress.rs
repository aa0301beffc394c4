//! What persistence saves: a player's progress and the world's durable state.
//!
//! Items are saved by name, not by index, so content changes between versions do not
//! scramble saved inventories; unknown names are dropped on restore.

use serde::{Deserialize, Serialize};

use crate::Vec2;

/// A stack as saved: by item name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedStack {
    /// Item name from the content files.
    pub item: String,
    /// Count.
    pub count: u32,
    /// Remaining durability, for tools, weapons and armor.
    pub durability: Option<u32>,
}

/// Everything about a player that outlives a visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlayerProgress {
    /// Format version of this record.
    pub version: u32,
    /// Total experience.
    pub xp: u64,
    /// Level (derived from xp, stored for leaderboards).
    pub level: u32,
    /// Last position; `None` spawns at a random safe spot.
    pub position: Option<Vec2>,
    /// Health 0..=100.
    pub health: f32,
    /// Hunger 0..=100.
    pub hunger: f32,
    /// Thirst 0..=100.
    pub thirst: f32,
    /// Stamina 0..=100.
    pub stamina: f32,
    /// Inventory slots.
    pub inventory: Vec<Option<SavedStack>>,
    /// Equipment: head, body, hand.
    pub equipment: Vec<Option<SavedStack>>,
    /// Team name, if any.
    pub team: Option<String>,
    /// Seconds played in total.
    pub playtime_s: u64,
    /// Times died.
    pub deaths: u32,
    /// Players and creatures killed.
    pub kills: u32,
    /// Resource units gathered.
    pub gathered: u64,
    /// Items crafted.
    pub crafted: u64,
}

impl PlayerProgress {
    /// The current format version.
    pub const VERSION: u32 = 1;
}

impl Default for PlayerProgress {
    fn default() -> Self {
        Self {
            version: Self::VERSION,
            xp: 0,
            level: 1,
            position: None,
            health: 100.0,
            hunger: 100.0,
            thirst: 100.0,
            stamina: 100.0,
            inventory: Vec::new(),
            equipment: Vec::new(),
            team: None,
            playtime_s: 0,
            deaths: 0,
            kills: 0,
            gathered: 0,
            crafted: 0,
        }
    }
}

/// The durable part of a world: what must survive a server restart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WorldCheckpoint {
    /// Format version of this record.
    pub version: u32,
    /// The world's seed (a checkpoint only applies to the world it came from).
    pub seed: u64,
    /// The tick it was taken at.
    pub tick: u64,
    /// Depleted or partly used nodes: (node index, amount left, respawn tick if depleted).
    pub nodes: Vec<SavedNode>,
    /// Placed structures.
    pub structures: Vec<SavedStructure>,
}

/// A resource node that differs from its freshly generated state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedNode {
    /// Index of the node in generation order.
    pub index: u32,
    /// Units left.
    pub amount: u32,
    /// Tick at which a depleted node grows back.
    pub respawn_tick: Option<u64>,
    /// Units left per drop of the node kind (`amount` is their sum).
    #[serde(default)]
    pub amounts: Vec<u32>,
}

/// A placed structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedStructure {
    /// Structure item name.
    pub item: String,
    /// Grid column.
    pub cell_x: i32,
    /// Grid row.
    pub cell_y: i32,
    /// Health left.
    pub health: f32,
    /// Owner's account name.
    pub owner: Option<String>,
    /// Chest contents.
    pub contents: Vec<Option<SavedStack>>,
    /// Whether a door stands open.
    #[serde(default)]
    pub open: bool,
}
