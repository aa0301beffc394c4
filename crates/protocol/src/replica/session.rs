//! The once-per-session messages built from the world: content tables and world info.

use sim_core::{Content, GameConfig, LeaderboardEntry, Terrain};

use crate::codec::Body;
use crate::codec::writer::Writer;
use crate::limits::{
    MAX_ITEMS, MAX_LEADERBOARD, MAX_MAP_CELLS, MAX_NAME_BYTES, MAX_RECIPE_INPUTS, MAX_RECIPES,
};
use crate::msg::world::{
    ContentTables, ItemInfo, LeaderEntry, Leaderboard, RecipeInfo, RecipeInput, WorldInfo, WorldMap,
};
use crate::replica::client::ReplicationConfig;
use crate::replica::frame::truncate_utf8;

fn clamp_u16(v: i64) -> u16 {
    v.clamp(0, i64::from(u16::MAX)) as u16
}

impl ContentTables {
    /// The tables of `content`, craft times in ticks at `tick_rate`. Content beyond the
    /// wire limits (more than 1024 items, ...) is cut, which the limits make room for.
    pub fn from_content(content: &Content, tick_rate: u32) -> Self {
        let items = content
            .items()
            .iter()
            .take(MAX_ITEMS)
            .map(|i| ItemInfo {
                name: truncate_utf8(&i.name, MAX_NAME_BYTES),
                kind: i.kind,
            })
            .collect();
        let index = |name: &str| content.item_index(name).unwrap_or(u16::MAX);
        let recipes = content
            .recipes()
            .iter()
            .take(MAX_RECIPES)
            .map(|r| RecipeInfo {
                name: truncate_utf8(&r.name, MAX_NAME_BYTES),
                output: index(&r.output),
                count: clamp_u16(r.count),
                time_ticks: (r.time_s.max(0.0) * tick_rate as f32).round() as u32,
                station: content.item_index(&r.station),
                xp: r.xp.clamp(0, i64::from(u32::MAX)) as u32,
                inputs: r
                    .inputs
                    .iter()
                    .take(MAX_RECIPE_INPUTS)
                    .map(|(name, count)| RecipeInput {
                        item: index(name),
                        count: clamp_u16(*count),
                    })
                    .collect(),
            })
            .collect();
        Self { items, recipes }
    }

    /// A stable hash of the tables (FNV-1a of their binary payload), for
    /// [`WorldInfo::content_version`].
    pub fn version_hash(&self) -> u64 {
        let mut bytes = Vec::new();
        self.put(&mut Writer::new(&mut bytes));
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    }
}

impl WorldInfo {
    /// World facts for the handshake answer.
    pub fn new(config: &GameConfig, replication: &ReplicationConfig, content_version: u64) -> Self {
        let ticks = |s: f32| (s.max(0.0) * config.tick_rate as f32).round() as u32;
        Self {
            world_size: config.world_size.max(0.0) as u32,
            view_width: replication.view_width.max(0.0) as u32,
            view_height: replication.view_height.max(0.0) as u32,
            snapshot_interval: replication.snapshot_interval.clamp(1, 255) as u8,
            build_cell: 40,
            day_length_ticks: ticks(config.day_length_s),
            daylight_ticks: ticks(config.daylight_s),
            content_version,
        }
    }
}

impl WorldMap {
    /// The biome map of `terrain` (codes are `sim_core::Biome as u8`). A map with more
    /// than [`MAX_MAP_CELLS`] cells is sampled every k-th cell (cell size × k).
    pub fn from_terrain(terrain: &Terrain) -> Self {
        let side = terrain.side();
        let mut k = 1;
        while side.div_ceil(k).pow(2) > MAX_MAP_CELLS {
            k += 1;
        }
        let (n, cells) = terrain.coarse_ids(k);
        Self {
            cell_size: (Terrain::CELL * k as f32).min(f32::from(u16::MAX)) as u16,
            cols: n as u16,
            rows: n as u16,
            cells,
        }
    }
}

impl Leaderboard {
    /// The live leaderboard from `World::leaderboard`, at most [`MAX_LEADERBOARD`] rows.
    pub fn from_entries(entries: &[LeaderboardEntry]) -> Self {
        Self {
            entries: entries
                .iter()
                .take(MAX_LEADERBOARD)
                .map(|e| LeaderEntry {
                    player: e.player.0,
                    name: truncate_utf8(&e.name, MAX_NAME_BYTES),
                    level: e.level,
                    score: e.score.min(u64::from(u32::MAX)) as u32,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::codec::Validate;

    #[test]
    fn session_tables_of_the_builtin_world_fit_the_wire() {
        let config = GameConfig::default();
        let content = Content::builtin().unwrap();
        let tables = ContentTables::from_content(&content, config.tick_rate);
        assert!(tables.validate().is_ok());
        assert_eq!(tables.items.len(), content.items().len());
        assert!(
            tables
                .recipes
                .iter()
                .all(|r| r.time_ticks > 0 || r.name.is_empty())
        );
        let map = WorldMap::from_terrain(&Terrain::generate(3, config.world_size));
        assert_eq!((map.cols, map.rows, map.cell_size), (100, 100, 40));
        assert!(map.validate().is_ok());
        let framed = crate::encode(
            &crate::ServerMessage::WorldMap(map.clone()),
            &crate::EncodeOptions {
                compression: crate::Compression::level(6),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(
            framed.len() < 2500,
            "the biome map deflates well: {} bytes",
            framed.len()
        );
        let huge = WorldMap::from_terrain(&Terrain::generate(3, 20_000.0));
        assert!(huge.validate().is_ok() && huge.cell_size > 40);
        let info = WorldInfo::new(
            &config,
            &ReplicationConfig::default(),
            tables.version_hash(),
        );
        assert_eq!(info.day_length_ticks, 24_000);
    }
}
