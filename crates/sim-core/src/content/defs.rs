//! The shapes of the content files: one struct per kind of definition.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Biome;

/// What sort of thing an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// Raw or intermediate material.
    Resource,
    /// Edible.
    Food,
    /// Gathering tool.
    Tool,
    /// Weapon.
    Weapon,
    /// Wearable armor.
    Armor,
    /// Placeable structure.
    Structure,
    /// Ammunition.
    Ammo,
    /// Anything else.
    Misc,
}

/// The class of gathering tool; a node names the class that multiplies its yield.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolClass {
    /// Chops trees.
    Axe,
    /// Breaks rocks and ore.
    Pickaxe,
}

/// Where armor is worn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmorSlot {
    /// Head slot (equipment index 0).
    Head,
    /// Body slot (equipment index 1).
    Body,
}

/// One item definition. Fields that do not apply to the item's kind stay at their defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    /// Unique name, referenced by other content files and saved progress.
    pub name: String,
    /// Category.
    pub kind: ItemKind,
    /// Largest stack; 0 means the default (1 for tools, weapons and armor, else 100).
    #[serde(default)]
    pub stack: u16,
    /// Uses before it breaks (tools, weapons, armor); 0 for items that do not wear.
    #[serde(default)]
    pub durability: u16,
    /// Tool class, for tools.
    #[serde(default)]
    pub tool: Option<ToolClass>,
    /// Tool tier (1 stone, 2 metal).
    #[serde(default)]
    pub tier: u8,
    /// Units gathered per hit from nodes of the tool's class.
    #[serde(default)]
    pub gather_mult: u32,
    /// Melee (or projectile) damage.
    #[serde(default)]
    pub damage: f32,
    /// Melee reach beyond the player's radius.
    #[serde(default)]
    pub range: f32,
    /// Seconds between swings or shots.
    #[serde(default)]
    pub cooldown_s: f32,
    /// Ammunition item a ranged weapon consumes per shot.
    #[serde(default)]
    pub ammo: Option<String>,
    /// Projectile speed in u/s.
    #[serde(default)]
    pub projectile_speed: f32,
    /// Projectile life in seconds.
    #[serde(default)]
    pub projectile_life_s: f32,
    /// Damage absorbed per hit while worn.
    #[serde(default)]
    pub armor: f32,
    /// Where armor is worn.
    #[serde(default)]
    pub slot: Option<ArmorSlot>,
    /// Hunger restored when eaten.
    #[serde(default)]
    pub food: f32,
    /// Thirst restored when eaten.
    #[serde(default)]
    pub water: f32,
    /// Health restored when eaten.
    #[serde(default)]
    pub heal: f32,
    /// Structure health.
    #[serde(default)]
    pub health: f32,
    /// Whether the structure blocks movement (doors only while closed).
    #[serde(default)]
    pub solid: bool,
    /// The station name this structure provides to recipes.
    #[serde(default)]
    pub station: Option<String>,
    /// Storage slots of a chest.
    #[serde(default)]
    pub chest_slots: u8,
    /// Whether the structure is a door (interact toggles it).
    #[serde(default)]
    pub door: bool,
    /// Radius within which the structure warms players (campfire).
    #[serde(default)]
    pub warm_radius: f32,
    /// Inventory slots added when used (backpack).
    #[serde(default)]
    pub extra_slots: u8,
    /// Resolved index of `ammo`.
    #[serde(skip)]
    pub ammo_item: Option<u16>,
}

impl ItemDef {
    /// The largest stack of this item.
    pub fn max_stack(&self) -> u16 {
        match (self.stack, self.kind) {
            (0, ItemKind::Tool | ItemKind::Weapon | ItemKind::Armor) => 1,
            (0, _) => 100,
            (n, _) => n,
        }
    }
}

/// One recipe definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipeDef {
    /// Unique name.
    pub name: String,
    /// Inputs by item name.
    pub inputs: BTreeMap<String, i64>,
    /// Output item name.
    pub output: String,
    /// Output count.
    pub count: i64,
    /// Craft time in seconds.
    pub time_s: f32,
    /// Station name (a structure's `station`), or "none".
    pub station: String,
    /// Experience granted.
    pub xp: i64,
    /// Resolved inputs: (item index, count).
    #[serde(skip)]
    pub input_items: Vec<(u16, u16)>,
    /// Resolved output item index.
    #[serde(skip)]
    pub output_item: u16,
}

/// An item and a count, as written in content files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropDef {
    /// Item name.
    pub item: String,
    /// How many.
    pub count: i64,
    /// Resolved item index.
    #[serde(skip)]
    pub item_index: u16,
}

/// A resource node kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDef {
    /// Unique name.
    pub name: String,
    /// Collision / reach radius.
    pub radius: f32,
    /// Tool class that multiplies the yield.
    #[serde(default)]
    pub tool: Option<ToolClass>,
    /// Minimum tier of that tool class needed to get anything.
    #[serde(default)]
    pub min_tier: u8,
    /// Factor on the respawn window.
    #[serde(default = "one")]
    pub respawn_factor: f32,
    /// What the node holds when fresh.
    pub drops: Vec<DropDef>,
    /// Chance per terrain cell, by biome.
    pub density: BTreeMap<Biome, f32>,
}

fn one() -> f32 {
    1.0
}

/// How a creature reacts to players.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Behavior {
    /// Runs away from players within `aggro_range`.
    Flee,
    /// Chases and bites players within `aggro_range`.
    Chase,
}

/// A creature kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatureDef {
    /// Unique name.
    pub name: String,
    /// Maximum health.
    pub health: f32,
    /// Speed in u/s.
    pub speed: f32,
    /// Body radius.
    pub radius: f32,
    /// Reaction to players.
    pub behavior: Behavior,
    /// Distance at which it notices players.
    pub aggro_range: f32,
    /// Damage per bite.
    #[serde(default)]
    pub damage: f32,
    /// Bite reach beyond both radii.
    #[serde(default)]
    pub attack_range: f32,
    /// Seconds between bites.
    #[serde(default)]
    pub attack_cooldown_s: f32,
    /// Experience for the killer.
    pub xp: i64,
    /// Items dropped at death.
    pub drops: Vec<DropDef>,
}

/// One spawn table entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpawnDef {
    /// Creature name.
    pub creature: String,
    /// Biome it spawns in.
    pub biome: Biome,
    /// Most alive by day.
    pub cap: i64,
    /// Most alive by night.
    pub night_cap: i64,
    /// Smallest group.
    pub group_min: i64,
    /// Largest group.
    pub group_max: i64,
    /// Resolved creature index.
    #[serde(skip)]
    pub creature_index: u16,
}
