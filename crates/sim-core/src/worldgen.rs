//! Placing resource nodes per biome density, and finding safe spots to stand on.

use crate::entities::Node;
use crate::random::{range_f32, range_u64, unit};
use crate::{Biome, EntityId, Terrain, Vec2, World};

/// Visits every terrain cell in row order; the first node kind whose density for the
/// cell's biome wins the roll grows there, jittered inside the cell.
pub(crate) fn place_nodes(world: &mut World) {
    let side = world.terrain.side();
    let cell = Terrain::CELL;
    for cy in 0..side {
        for cx in 0..side {
            let biome = world.terrain.cells()[cy * side + cx];
            if biome == Biome::Water {
                continue;
            }
            let roll = unit(&mut world.rng);
            let mut acc = 0.0;
            let mut chosen = None;
            for (k, def) in world.content.nodes().iter().enumerate() {
                acc += def.density.get(&biome).copied().unwrap_or(0.0);
                if roll < acc {
                    chosen = Some(k as u16);
                    break;
                }
            }
            let Some(kind) = chosen else { continue };
            let jx = range_f32(&mut world.rng, 0.3, 0.7);
            let jy = range_f32(&mut world.rng, 0.3, 0.7);
            let pos = Vec2::new((cx as f32 + jx) * cell, (cy as f32 + jy) * cell);
            let id = world.alloc_entity();
            debug_assert_eq!(id.0 as usize, world.nodes.len() + 1);
            let left = full_amounts(world, kind);
            world.nodes.push(Node {
                kind,
                pos,
                left,
                respawn_at: None,
            });
            world.grid.insert(id, crate::EntityKind::Node, pos);
        }
    }
}

/// A node kind's units when fresh.
pub(crate) fn full_amounts(world: &World, kind: u16) -> [u16; 4] {
    let mut left = [0u16; 4];
    if let Some(def) = world.content.nodes().get(usize::from(kind)) {
        for (slot, d) in left.iter_mut().zip(&def.drops) {
            *slot = u16::try_from(d.count).unwrap_or(u16::MAX);
        }
    }
    left
}

/// The node index of an entity id, if it is a node.
pub(crate) fn node_index(world: &World, id: EntityId) -> Option<usize> {
    let i = (id.0 as usize).checked_sub(1)?;
    (i < world.nodes.len()).then_some(i)
}

/// A random spot where a player can stand safely; after many misses, the first dry
/// cell scanning from the centre outward, so a spot is always found on any sane map.
pub(crate) fn safe_spot(world: &mut World) -> Vec2 {
    let r = world.config.player_radius;
    let size = world.config.world_size;
    for _ in 0..64 {
        let p = Vec2::new(
            range_f32(&mut world.rng, r, size - r),
            range_f32(&mut world.rng, r, size - r),
        );
        if world.is_safe_spot(p) {
            return p;
        }
    }
    let side = world.terrain.side() as i64;
    let start = range_u64(&mut world.rng, 0, (side * side) as u64 - 1) as i64;
    for k in 0..side * side {
        let i = (start + k) % (side * side);
        let p = Vec2::new(
            ((i % side) as f32 + 0.5) * Terrain::CELL,
            ((i / side) as f32 + 0.5) * Terrain::CELL,
        );
        let p = world.clamp_to_world(p, r);
        if !crate::systems::movement::blocked(world, p, r) {
            return p;
        }
    }
    Vec2::new(size / 2.0, size / 2.0)
}
