//! What happened in one tick, for the network layer to tell the clients.

use serde::{Deserialize, Serialize};

use crate::{ChatChannel, EntityId, PlayerId, Vec2};

/// The result of one [`crate::World::step`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StepOutput {
    /// The tick that was just simulated.
    pub tick: u64,
    /// Events in the order they happened.
    pub events: Vec<Event>,
}

/// Something clients should hear about. Events carry ids, not names, except chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// A chat line, already cleaned and limited.
    Chat {
        /// Who said it.
        from: PlayerId,
        /// The sender's display name at the time.
        name: String,
        /// Global or team.
        channel: ChatChannel,
        /// The team it went to, for team lines.
        team: Option<u32>,
        /// The cleaned text.
        text: String,
    },
    /// Damage dealt.
    Hit {
        /// Who struck (player, creature or the projectile's shooter).
        attacker: EntityId,
        /// Who was struck.
        target: EntityId,
        /// Health removed.
        damage: f32,
        /// Where it happened.
        at: Vec2,
    },
    /// An entity died.
    Death {
        /// Who died.
        victim: EntityId,
        /// Who killed it, if anyone.
        killer: Option<EntityId>,
        /// Where.
        at: Vec2,
    },
    /// A player gathered from a node.
    Gathered {
        /// Who.
        player: PlayerId,
        /// Item index in the content table.
        item: u16,
        /// How many units.
        count: u32,
    },
    /// A craft started (inputs taken).
    CraftStarted {
        /// Who.
        player: PlayerId,
        /// Recipe index.
        recipe: u16,
        /// Ticks until done.
        ticks: u32,
    },
    /// A craft finished and its output went to the inventory.
    Crafted {
        /// Who.
        player: PlayerId,
        /// Recipe index.
        recipe: u16,
    },
    /// A craft was cancelled and its inputs refunded.
    CraftCancelled {
        /// Who.
        player: PlayerId,
        /// Recipe index.
        recipe: u16,
    },
    /// A player reached a new level.
    LevelUp {
        /// Who.
        player: PlayerId,
        /// The new level.
        level: u32,
    },
    /// A player came back to life.
    Respawned {
        /// Who.
        player: PlayerId,
        /// Where.
        at: Vec2,
    },
    /// A structure was placed.
    StructurePlaced {
        /// The new structure entity.
        entity: EntityId,
        /// Item index of the structure.
        item: u16,
        /// Who placed it.
        owner: PlayerId,
    },
    /// A resource node ran out; it grows back at `respawn_tick`.
    NodeDepleted {
        /// The node entity.
        node: EntityId,
        /// The tick it grows back.
        respawn_tick: u64,
    },
    /// A player ate or drank something (item index), or drank at water (`None`).
    Consumed {
        /// Who.
        player: PlayerId,
        /// The item eaten, or `None` for water.
        item: Option<u16>,
    },
    /// A player's team changed.
    TeamChanged {
        /// Who.
        player: PlayerId,
        /// The new team, or `None` after leaving.
        team: Option<u32>,
    },
    /// An input was refused; only the player who sent it needs to know.
    Rejected {
        /// Who sent it.
        player: PlayerId,
        /// Why it was refused.
        reason: RejectReason,
    },
}

/// Why an input was refused. Rejections are data, never panics or aborted ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RejectReason {
    /// No such recipe, item or slot.
    Unknown,
    /// Not enough of an input item (index in the content table).
    MissingItem(u16),
    /// The recipe's station is not within range.
    NoStation,
    /// The target is too far away.
    OutOfReach,
    /// The action is still cooling down.
    Cooldown,
    /// No free inventory slot.
    InventoryFull,
    /// A structure cannot be placed there.
    BlockedPlacement,
    /// The tool is not good enough for this node.
    ToolTooWeak,
    /// Already crafting something.
    Busy,
    /// The player is dead.
    Dead,
    /// Chat text was empty after cleaning.
    EmptyChat,
    /// Chat sent too fast.
    ChatRateLimited,
    /// The team is full, missing or the player is already in one.
    TeamUnavailable,
    /// The item cannot be used that way (not food, not a structure, not equippable).
    WrongItem,
    /// Only the owner or their team may do that.
    NotOwner,
}

impl std::fmt::Display for RejectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            RejectReason::Unknown => "no such thing",
            RejectReason::MissingItem(_) => "not enough materials",
            RejectReason::NoStation => "the required station is not nearby",
            RejectReason::OutOfReach => "out of reach",
            RejectReason::Cooldown => "not ready yet",
            RejectReason::InventoryFull => "inventory is full",
            RejectReason::BlockedPlacement => "cannot build there",
            RejectReason::ToolTooWeak => "a better tool is needed",
            RejectReason::Busy => "already crafting",
            RejectReason::Dead => "you are dead",
            RejectReason::EmptyChat => "empty message",
            RejectReason::ChatRateLimited => "you are sending messages too fast",
            RejectReason::TeamUnavailable => "team action not possible",
            RejectReason::WrongItem => "that item cannot be used that way",
            RejectReason::NotOwner => "it belongs to someone else",
        };
        f.write_str(text)
    }
}
