//! What a client learns once per session: the handshake answer, the content tables,
//! the biome map; and the live leaderboard.

use serde::{Deserialize, Serialize};
use sim_core::content::ItemKind;

use crate::codec::reader::Reader;
use crate::codec::writer::Writer;
use crate::codec::{Body, Validate, check_len, get_opt, put_opt};
use crate::limits::{
    MAX_ITEMS, MAX_LEADERBOARD, MAX_MAP_CELLS, MAX_NAME_BYTES, MAX_RECIPE_INPUTS, MAX_RECIPES,
    MAX_SESSION_ID_BYTES, MAX_TOKEN_BYTES,
};
use crate::{DecodeError, EncodeError};

/// World facts the client needs to draw and predict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldInfo {
    /// Side of the square world in world units.
    pub world_size: u32,
    /// Width of the replicated view rectangle in world units.
    pub view_width: u32,
    /// Height of the replicated view rectangle in world units.
    pub view_height: u32,
    /// Snapshots/deltas come every this many ticks.
    pub snapshot_interval: u8,
    /// Side of a building grid cell in world units.
    pub build_cell: u16,
    /// Length of a day/night cycle in ticks (tick 0 = dawn).
    pub day_length_ticks: u32,
    /// Ticks of daylight at the start of each cycle.
    pub daylight_ticks: u32,
    /// Hash of the content tables; a client may cache them by it.
    pub content_version: u64,
}

/// The server's answer to a successful handshake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandshakeAck {
    /// The chosen protocol version (all further frames use it).
    pub version: u16,
    /// Session id (as in the HTTP API).
    pub session_id: String,
    /// The player's id; their entity has the same id.
    pub player: u32,
    /// Simulation ticks per second.
    pub tick_rate: u16,
    /// The server's current tick.
    pub server_tick: u64,
    /// World facts.
    pub world: WorldInfo,
    /// Present this in a later handshake to resume after a dropped connection.
    pub resume_token: String,
}

/// One item definition for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemInfo {
    /// Unique name.
    pub name: String,
    /// Category.
    pub kind: ItemKind,
}

/// One input of a recipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipeInput {
    /// Item index.
    pub item: u16,
    /// Count.
    pub count: u16,
}

/// One recipe definition for the crafting menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipeInfo {
    /// Unique name.
    pub name: String,
    /// Output item index.
    pub output: u16,
    /// Output count.
    pub count: u16,
    /// Craft time in ticks.
    pub time_ticks: u32,
    /// Station item index, if one is needed nearby.
    pub station: Option<u16>,
    /// Experience granted.
    pub xp: u32,
    /// Inputs.
    pub inputs: Vec<RecipeInput>,
}

/// The content tables, indexed as every other message indexes items and recipes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentTables {
    /// Items in index order.
    pub items: Vec<ItemInfo>,
    /// Recipes in index order.
    pub recipes: Vec<RecipeInfo>,
}

/// The static biome map: `cols × rows` cells of `cell_size` units, row-major from the
/// top-left; each byte is a biome code the simulation defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldMap {
    /// Side of a cell in world units.
    pub cell_size: u16,
    /// Cells per row.
    pub cols: u16,
    /// Rows.
    pub rows: u16,
    /// `cols * rows` biome codes.
    pub cells: Vec<u8>,
}

/// One row of the live leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderEntry {
    /// Player id.
    pub player: u32,
    /// Display name.
    pub name: String,
    /// Level.
    pub level: u32,
    /// Score.
    pub score: u32,
}

/// The live top of the current world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leaderboard {
    /// Best first.
    pub entries: Vec<LeaderEntry>,
}

fn item_kind_to_u8(k: ItemKind) -> u8 {
    match k {
        ItemKind::Resource => 0,
        ItemKind::Food => 1,
        ItemKind::Tool => 2,
        ItemKind::Weapon => 3,
        ItemKind::Armor => 4,
        ItemKind::Structure => 5,
        ItemKind::Ammo => 6,
        ItemKind::Misc => 7,
    }
}

fn item_kind_from_u8(v: u8) -> Result<ItemKind, DecodeError> {
    Ok(match v {
        0 => ItemKind::Resource,
        1 => ItemKind::Food,
        2 => ItemKind::Tool,
        3 => ItemKind::Weapon,
        4 => ItemKind::Armor,
        5 => ItemKind::Structure,
        6 => ItemKind::Ammo,
        7 => ItemKind::Misc,
        _ => {
            return Err(DecodeError::InvalidValue {
                field: "item.kind",
                value: u64::from(v),
            });
        }
    })
}

impl Validate for HandshakeAck {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len(
            "ack.session_id",
            self.session_id.len(),
            MAX_SESSION_ID_BYTES,
        )?;
        check_len("ack.resume_token", self.resume_token.len(), MAX_TOKEN_BYTES)
    }
}

impl Body for HandshakeAck {
    fn put(&self, w: &mut Writer<'_>) {
        w.u16(self.version);
        w.str(&self.session_id);
        w.var(u64::from(self.player));
        w.var(u64::from(self.tick_rate));
        w.var(self.server_tick);
        let wi = &self.world;
        w.var(u64::from(wi.world_size));
        w.var(u64::from(wi.view_width));
        w.var(u64::from(wi.view_height));
        w.u8(wi.snapshot_interval);
        w.var(u64::from(wi.build_cell));
        w.var(u64::from(wi.day_length_ticks));
        w.var(u64::from(wi.daylight_ticks));
        w.u64_fixed(wi.content_version);
        w.str(&self.resume_token);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            version: r.u16("ack.version")?,
            session_id: r.str("ack.session_id", MAX_SESSION_ID_BYTES)?,
            player: r.var_u32("ack.player")?,
            tick_rate: r.var_u16("ack.tick_rate")?,
            server_tick: r.var("ack.server_tick")?,
            world: WorldInfo {
                world_size: r.var_u32("world.world_size")?,
                view_width: r.var_u32("world.view_width")?,
                view_height: r.var_u32("world.view_height")?,
                snapshot_interval: r.u8("world.snapshot_interval")?,
                build_cell: r.var_u16("world.build_cell")?,
                day_length_ticks: r.var_u32("world.day_length_ticks")?,
                daylight_ticks: r.var_u32("world.daylight_ticks")?,
                content_version: r.u64_fixed("world.content_version")?,
            },
            resume_token: r.str("ack.resume_token", MAX_TOKEN_BYTES)?,
        })
    }
}

impl Validate for ContentTables {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len("content.items", self.items.len(), MAX_ITEMS)?;
        check_len("content.recipes", self.recipes.len(), MAX_RECIPES)?;
        for i in &self.items {
            check_len("item.name", i.name.len(), MAX_NAME_BYTES)?;
        }
        for rcp in &self.recipes {
            check_len("recipe.name", rcp.name.len(), MAX_NAME_BYTES)?;
            check_len("recipe.inputs", rcp.inputs.len(), MAX_RECIPE_INPUTS)?;
        }
        Ok(())
    }
}

impl Body for ContentTables {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(self.items.len() as u64);
        for i in &self.items {
            w.str(&i.name);
            w.u8(item_kind_to_u8(i.kind));
        }
        w.var(self.recipes.len() as u64);
        for rcp in &self.recipes {
            w.str(&rcp.name);
            w.var(u64::from(rcp.output));
            w.var(u64::from(rcp.count));
            w.var(u64::from(rcp.time_ticks));
            put_opt(w, &rcp.station, |w, s| w.var(u64::from(*s)));
            w.var(u64::from(rcp.xp));
            w.var(rcp.inputs.len() as u64);
            for inp in &rcp.inputs {
                w.var(u64::from(inp.item));
                w.var(u64::from(inp.count));
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.count("content.items", MAX_ITEMS, 2)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(ItemInfo {
                name: r.str("item.name", MAX_NAME_BYTES)?,
                kind: item_kind_from_u8(r.u8("item.kind")?)?,
            });
        }
        let n = r.count("content.recipes", MAX_RECIPES, 7)?;
        let mut recipes = Vec::with_capacity(n);
        for _ in 0..n {
            let name = r.str("recipe.name", MAX_NAME_BYTES)?;
            let output = r.var_u16("recipe.output")?;
            let count = r.var_u16("recipe.count")?;
            let time_ticks = r.var_u32("recipe.time_ticks")?;
            let station = get_opt(r, "recipe.station", |r| r.var_u16("recipe.station"))?;
            let xp = r.var_u32("recipe.xp")?;
            let k = r.count("recipe.inputs", MAX_RECIPE_INPUTS, 2)?;
            let mut inputs = Vec::with_capacity(k);
            for _ in 0..k {
                inputs.push(RecipeInput {
                    item: r.var_u16("recipe.input.item")?,
                    count: r.var_u16("recipe.input.count")?,
                });
            }
            recipes.push(RecipeInfo {
                name,
                output,
                count,
                time_ticks,
                station,
                xp,
                inputs,
            });
        }
        Ok(Self { items, recipes })
    }
}

impl Validate for WorldMap {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len("map.cells", self.cells.len(), MAX_MAP_CELLS)?;
        if self.cells.len() != usize::from(self.cols) * usize::from(self.rows) {
            return Err(EncodeError::InvalidValue {
                field: "map.cells",
                problem: "must hold exactly cols * rows cells",
            });
        }
        Ok(())
    }
}

impl Body for WorldMap {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(u64::from(self.cell_size));
        w.var(u64::from(self.cols));
        w.var(u64::from(self.rows));
        w.bytes(&self.cells);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let cell_size = r.var_u16("map.cell_size")?;
        let cols = r.var_u16("map.cols")?;
        let rows = r.var_u16("map.rows")?;
        let n = usize::from(cols) * usize::from(rows);
        if n > MAX_MAP_CELLS {
            return Err(DecodeError::LimitExceeded {
                field: "map.cells",
                len: n,
                max: MAX_MAP_CELLS,
            });
        }
        let cells = r.take(n, "map.cells")?.to_vec();
        Ok(Self {
            cell_size,
            cols,
            rows,
            cells,
        })
    }
}

impl Validate for Leaderboard {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len("leaderboard", self.entries.len(), MAX_LEADERBOARD)?;
        for e in &self.entries {
            check_len("leader.name", e.name.len(), MAX_NAME_BYTES)?;
        }
        Ok(())
    }
}

impl Body for Leaderboard {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(self.entries.len() as u64);
        for e in &self.entries {
            w.var(u64::from(e.player));
            w.str(&e.name);
            w.var(u64::from(e.level));
            w.var(u64::from(e.score));
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.count("leaderboard", MAX_LEADERBOARD, 4)?;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            entries.push(LeaderEntry {
                player: r.var_u32("leader.player")?,
                name: r.str("leader.name", MAX_NAME_BYTES)?,
                level: r.var_u32("leader.level")?,
                score: r.var_u32("leader.score")?,
            });
        }
        Ok(Self { entries })
    }
}
