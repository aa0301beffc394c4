//! What every new connection gets after the handshake ack: the item and recipe tables
//! and the world's biome map (built with protocol's constructors).

use protocol::{ContentTables, ServerMessage, WorldMap};
use sim_core::World;

/// The intro messages and the content version they carry.
#[derive(Debug, Clone)]
pub struct Intro {
    /// Sent in order after the handshake ack.
    pub messages: Vec<ServerMessage>,
    /// Hash of the tables, for the ack's `content_version`.
    pub content_version: u64,
}

/// Builds the tables and the map of `world`.
pub fn messages(world: &World) -> Intro {
    let tables = ContentTables::from_content(world.content(), world.config().tick_rate);
    let content_version = tables.version_hash();
    Intro {
        messages: vec![
            ServerMessage::Content(tables),
            ServerMessage::WorldMap(WorldMap::from_terrain(world.terrain())),
        ],
        content_version,
    }
}
