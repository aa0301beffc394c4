//! What every new connection gets after the handshake ack: the item and recipe tables
//! (and their version hash, so a client may cache them).

use anyhow::{Result, bail};
use protocol::{ContentTables, ItemInfo, RecipeInfo, RecipeInput, ServerMessage};
use sim_core::{Content, GameConfig};

/// The intro messages and the content version they carry.
#[derive(Debug, Clone)]
pub struct Intro {
    /// Sent in order after the handshake ack.
    pub messages: Vec<ServerMessage>,
    /// FNV-1a hash of the tables, for the ack's `content_version`.
    pub content_version: u64,
}

/// Builds the tables from the content the worlds run with.
pub fn messages(content: &Content, game: &GameConfig) -> Result<Intro> {
    let index = |name: &str| -> Result<u16> {
        match content.item_index(name) {
            Some(i) => Ok(i),
            None => bail!("content refers to unknown item {name:?}"),
        }
    };
    let items: Vec<ItemInfo> = content
        .items()
        .iter()
        .map(|i| ItemInfo {
            name: i.name.clone(),
            kind: i.kind,
        })
        .collect();
    let mut recipes = Vec::new();
    for r in content.recipes() {
        let mut inputs = Vec::new();
        for (name, count) in &r.inputs {
            inputs.push(RecipeInput {
                item: index(name)?,
                count: u16::try_from(*count).unwrap_or(u16::MAX),
            });
        }
        recipes.push(RecipeInfo {
            name: r.name.clone(),
            output: index(&r.output)?,
            count: u16::try_from(r.count).unwrap_or(u16::MAX),
            time_ticks: (r.time_s * game.tick_rate as f32).round().max(0.0) as u32,
            station: if r.station == "none" {
                None
            } else {
                Some(index(&r.station)?)
            },
            xp: u32::try_from(r.xp).unwrap_or(0),
            inputs,
        });
    }
    let tables = ContentTables { items, recipes };
    let json = protocol::to_json(&ServerMessage::Content(tables.clone()))?;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in json.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    Ok(Intro {
        messages: vec![ServerMessage::Content(tables)],
        content_version: h,
    })
}
