//! Identifiers handed out by the world.

use serde::{Deserialize, Serialize};

/// An entity in the world: player, node, creature, structure, loot bag or projectile.
///
/// Ids are never reused within one world's lifetime, so a stale id simply finds nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntityId(pub u32);

/// A connected player. A player's entity id is the same number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PlayerId(pub u32);

impl PlayerId {
    /// The entity that carries this player in the world.
    pub fn entity(self) -> EntityId {
        EntityId(self.0)
    }
}
