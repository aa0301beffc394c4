//! What one player asks the world to do in one tick.

use serde::{Deserialize, Serialize};

/// One player's input for one tick. Every field is validated by the world: the move
/// vector is clamped to length 1, actions respect cooldowns and reach, and anything
/// impossible becomes a [`crate::Event::Rejected`] instead of an error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlayerInput {
    /// The client's input sequence number, echoed back for reconciliation.
    pub seq: u32,
    /// Desired movement direction; clamped to length 1.
    pub move_x: f32,
    /// Desired movement direction (down is positive); clamped to length 1.
    pub move_y: f32,
    /// Sprint while moving (costs stamina).
    pub sprint: bool,
    /// Facing / aim angle in radians.
    pub aim: f32,
    /// Primary action held: swing the hand item (gather, attack) or fire the bow.
    pub primary: bool,
    /// Secondary action: use the selected item (eat, drink at water, place).
    pub secondary: bool,
    /// Interact: pick up a loot bag, open a chest, toggle a door.
    pub interact: bool,
    /// Select a hotbar/inventory slot.
    pub select_slot: Option<u8>,
    /// Start crafting the recipe with this index in [`crate::Content`].
    pub craft: Option<u16>,
    /// Cancel the current craft.
    pub cancel_craft: bool,
    /// Place a structure.
    pub build: Option<BuildCommand>,
    /// Drop the stack in this inventory slot.
    pub drop_slot: Option<u8>,
    /// Equip the item in this inventory slot; [`PlayerInput::UNEQUIP_HEAD`],
    /// [`PlayerInput::UNEQUIP_BODY`] and [`PlayerInput::UNEQUIP_HAND`] take equipment off.
    pub equip_slot: Option<u8>,
    /// Say something.
    pub chat: Option<ChatCommand>,
    /// Team management.
    pub team: Option<TeamCommand>,
    /// Move the stack in this inventory slot into the open chest.
    pub chest_put: Option<u8>,
    /// Take the stack in this slot of the open chest into the inventory.
    pub chest_take: Option<u8>,
}

impl PlayerInput {
    /// `equip_slot` value that takes off the head item.
    pub const UNEQUIP_HEAD: u8 = 200;
    /// `equip_slot` value that takes off the body armor.
    pub const UNEQUIP_BODY: u8 = 201;
    /// `equip_slot` value that empties the hand.
    pub const UNEQUIP_HAND: u8 = 202;
}

/// Place the structure item from `slot` at grid cell (`cell_x`, `cell_y`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildCommand {
    /// Inventory slot holding the structure item.
    pub slot: u8,
    /// Grid column (40 u cells).
    pub cell_x: i32,
    /// Grid row (40 u cells).
    pub cell_y: i32,
}

/// Where a chat line goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChatChannel {
    /// Everyone in the world.
    Global,
    /// The sender's team only.
    Team,
}

/// A chat line as sent; the world strips control characters and enforces limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatCommand {
    /// Global or team.
    pub channel: ChatChannel,
    /// The text (at most [`crate::World::CHAT_MAX_CHARS`] characters are kept).
    pub text: String,
}

/// Team actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TeamCommand {
    /// Found a new team with this name.
    Create(String),
    /// Join the team of this player (their invitation or an open team).
    Join(u32),
    /// Leave the current team.
    Leave,
}
