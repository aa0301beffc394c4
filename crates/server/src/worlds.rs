//! The worlds on this server: starting them, choosing one for a player, and the numbers
//! `/api/v1/worlds` and `/ready` report.

use std::sync::Arc;

use net_gateway::WorldInfo;
use protocol::ServerMessage;

use crate::game::WorldHandle;

/// A world as the network side holds it.
pub type World = Arc<WorldHandle<ServerMessage>>;

/// Every world of this server, in id order.
pub struct Worlds {
    worlds: Vec<World>,
}

/// Why no world was found for a player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickError {
    /// The requested world does not exist.
    Unknown(String),
    /// The requested (or every) world is full; the message names the others.
    Full(String),
}

/// A tick older than this (ms) makes `/ready` report the simulation as stalled.
pub const TICK_STALE_MS: u64 = 1000;

impl Worlds {
    /// The directory of running worlds.
    pub fn new(worlds: Vec<World>) -> Self {
        Self { worlds }
    }

    /// All worlds.
    pub fn all(&self) -> &[World] {
        &self.worlds
    }

    /// For `/api/v1/worlds`.
    pub fn infos(&self) -> Vec<WorldInfo> {
        self.worlds
            .iter()
            .map(|w| WorldInfo {
                id: w.id().to_owned(),
                players: w.status().players(),
                capacity: w.capacity(),
                tick_rate: w.tick_rate(),
                tick: w.status().tick(),
            })
            .collect()
    }

    /// Whether every world ticked recently.
    pub fn all_ticking(&self) -> bool {
        !self.worlds.is_empty()
            && self
                .worlds
                .iter()
                .all(|w| w.status().ticking(TICK_STALE_MS))
    }

    /// The requested world, or the emptiest one with room. A full world's error names
    /// the worlds that still have room.
    pub fn pick(&self, requested: Option<&str>) -> Result<World, PickError> {
        let has_room = |w: &World| w.status().players() < w.capacity();
        let others = |except: Option<&str>| -> String {
            let list: Vec<String> = self
                .worlds
                .iter()
                .filter(|w| Some(w.id()) != except && has_room(w))
                .map(|w| format!("{} ({}/{})", w.id(), w.status().players(), w.capacity()))
                .collect();
            if list.is_empty() {
                "every world on this server is full; try again later".to_owned()
            } else {
                format!("worlds with room: {}", list.join(", "))
            }
        };
        match requested {
            Some(id) => {
                let w = self.worlds.iter().find(|w| w.id() == id).ok_or_else(|| {
                    PickError::Unknown(format!("no world named {id:?}; {}", others(None)))
                })?;
                if has_room(w) {
                    Ok(w.clone())
                } else {
                    Err(PickError::Full(format!(
                        "{id} is full ({}/{} players); {}",
                        w.status().players(),
                        w.capacity(),
                        others(Some(id))
                    )))
                }
            }
            None => self
                .worlds
                .iter()
                .filter(|w| has_room(w))
                .min_by_key(|w| w.status().players())
                .cloned()
                .ok_or_else(|| PickError::Full(others(None))),
        }
    }
}
