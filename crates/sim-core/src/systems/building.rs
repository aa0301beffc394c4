//! Placing structures on the 40 u grid: within reach, on dry free ground, not over
//! players, creatures, nodes or other structures.

use crate::entities::Structure;
use crate::inventory::Inventory;
use crate::terrain::circle_hits_cell;
use crate::{Biome, BuildCommand, Event, ItemKind, PlayerId, Rect, RejectReason, Vec2, World};

fn reject(world: &mut World, player: PlayerId, reason: RejectReason) {
    world.events.push(Event::Rejected { player, reason });
}

/// Radius of the part of a node that blocks building. Nodes sit at least 12 u inside
/// their cell (see `worldgen`), so this keeps each node to its own cell.
const NODE_FOOTPRINT: f32 = 10.0;

/// Why cell (`cx`, `cy`) cannot take a structure, if it cannot.
pub(crate) fn placement_problem(world: &World, cx: i32, cy: i32) -> Option<RejectReason> {
    let side = world.terrain.side() as i64;
    let (x, y) = (i64::from(cx), i64::from(cy));
    if x < 0 || y < 0 || x >= side || y >= side {
        return Some(RejectReason::BlockedPlacement);
    }
    if world.terrain.biome_cell(x, y) == Biome::Water
        || world.occupancy[(y * side + x) as usize] != 0
    {
        return Some(RejectReason::BlockedPlacement);
    }
    let cell = World::BUILD_CELL;
    let centre = cell_centre(cx, cy);
    let mut blocked = false;
    let reach = cell + World::MAX_RADIUS;
    world
        .grid
        .for_each_in(Rect::centered(centre, reach * 2.0, reach * 2.0), |id, _| {
            let hit = if let Some(ni) = crate::worldgen::node_index(world, id) {
                // A node takes its own cell: its trunk, not its canopy, blocks building,
                // or a forest with a node in every third cell would leave nowhere to build.
                let n = &world.nodes[ni];
                let r = world
                    .content
                    .nodes()
                    .get(usize::from(n.kind))
                    .map_or(0.0, |d| d.radius);
                n.respawn_at.is_none() && circle_hits_cell(n.pos, r.min(NODE_FOOTPRINT), x, y, cell)
            } else if let Some(p) = world.players.get(&PlayerId(id.0)) {
                p.respawn_at.is_none()
                    && circle_hits_cell(p.pos, world.config.player_radius, x, y, cell)
            } else if let Some(c) = world.creatures.get(&id) {
                let r = world
                    .content
                    .creatures()
                    .get(usize::from(c.kind))
                    .map_or(0.0, |d| d.radius);
                circle_hits_cell(c.pos, r, x, y, cell)
            } else {
                false
            };
            blocked |= hit;
        });
    blocked.then_some(RejectReason::BlockedPlacement)
}

/// The centre of a building cell.
pub(crate) fn cell_centre(cx: i32, cy: i32) -> Vec2 {
    let cell = World::BUILD_CELL;
    Vec2::new((cx as f32 + 0.5) * cell, (cy as f32 + 0.5) * cell)
}

/// Places the structure item from the command's slot, or rejects with the reason.
pub(crate) fn place(world: &mut World, id: PlayerId, cmd: BuildCommand) {
    let Some(p) = world.players.get(&id) else {
        return;
    };
    let Some(stack) = p
        .inventory
        .slots
        .get(usize::from(cmd.slot))
        .copied()
        .flatten()
    else {
        return reject(world, id, RejectReason::Unknown);
    };
    let Some(def) = world.content.item(stack.item) else {
        return reject(world, id, RejectReason::Unknown);
    };
    if def.kind != ItemKind::Structure {
        return reject(world, id, RejectReason::WrongItem);
    }
    let centre = cell_centre(cmd.cell_x, cmd.cell_y);
    let reach = world.config.build_reach;
    if centre.distance_squared(p.pos) > reach * reach || !centre.x.is_finite() {
        return reject(world, id, RejectReason::OutOfReach);
    }
    if let Some(reason) = placement_problem(world, cmd.cell_x, cmd.cell_y) {
        return reject(world, id, reason);
    }
    let (health, chest_slots, owner, team) = (
        def.health,
        usize::from(def.chest_slots),
        p.name.clone(),
        p.team,
    );
    if let Some(p) = world.players.get_mut(&id)
        && let Some(Some(s)) = p.inventory.slots.get_mut(usize::from(cmd.slot))
    {
        s.count -= 1;
        if s.count == 0 {
            p.inventory.slots[usize::from(cmd.slot)] = None;
        }
    }
    let entity = world.alloc_entity();
    let side = world.terrain.side();
    world.occupancy[cmd.cell_y as usize * side + cmd.cell_x as usize] = entity.0;
    world
        .grid
        .insert(entity, crate::EntityKind::Structure, centre);
    world.structures.insert(
        entity,
        Structure {
            item: stack.item,
            cell_x: cmd.cell_x,
            cell_y: cmd.cell_y,
            pos: centre,
            health,
            owner: Some(owner),
            team,
            open: false,
            contents: Inventory::new(chest_slots),
            last_attacker: None,
            hurt: false,
        },
    );
    world.events.push(Event::StructurePlaced {
        entity,
        item: stack.item,
        owner: id,
    });
}

/// Removes a structure, spilling a chest's contents as a loot bag.
pub(crate) fn remove(world: &mut World, id: crate::EntityId) {
    let Some(mut s) = world.structures.remove(&id) else {
        return;
    };
    let side = world.terrain.side();
    let i = s.cell_y as usize * side + s.cell_x as usize;
    if world.occupancy.get(i) == Some(&id.0) {
        world.occupancy[i] = 0;
    }
    world.grid.remove(id, s.pos);
    let items: Vec<_> = s.contents.drain().collect();
    crate::systems::loot::drop_bag(world, s.pos, items);
}
