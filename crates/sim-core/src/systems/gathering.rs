//! Gathering from resource nodes: yields by tool class and tier, depletion and respawn
//! after a uniform delay from the seeded RNG.

use crate::entities::HAND;
use crate::random::range_f32;
use crate::{EntityId, Event, PlayerId, RejectReason, World};

/// One hit on node `ni` by player `id`; returns whether anything was gathered.
pub(crate) fn gather(world: &mut World, id: PlayerId, ni: usize) -> bool {
    let Some(node) = world.nodes.get(ni) else {
        return false;
    };
    let Some(def) = world.content.nodes().get(usize::from(node.kind)) else {
        return false;
    };
    let Some(p) = world.players.get(&id) else {
        return false;
    };
    let tool = p.equipment[HAND].and_then(|s| world.content.item(s.item));
    let (mult, tier) = match (tool, def.tool) {
        (Some(t), Some(class)) if t.tool == Some(class) => (t.gather_mult.max(1), t.tier),
        _ => (1, 0),
    };
    if def.min_tier > tier {
        world.events.push(Event::Rejected {
            player: id,
            reason: RejectReason::ToolTooWeak,
        });
        return false;
    }
    // Take from the drop with the most left, so mixed nodes (ore + coal) give both.
    let Some((k, left)) = node
        .left
        .iter()
        .enumerate()
        .take(def.drops.len())
        .max_by_key(|(k, v)| (**v, std::cmp::Reverse(*k)))
        .map(|(k, v)| (k, *v))
    else {
        return false;
    };
    let item = def.drops[k].item_index;
    let want = mult.min(u32::from(left));
    if want == 0 {
        return false;
    }
    let Some(p) = world.players.get_mut(&id) else {
        return false;
    };
    let unfit = p.inventory.add(&world.content, item, want);
    let got = want - unfit;
    if got == 0 {
        world.events.push(Event::Rejected {
            player: id,
            reason: RejectReason::InventoryFull,
        });
        return false;
    }
    p.gathered = p.gathered.saturating_add(u64::from(got));
    world.nodes[ni].left[k] -= got as u16;
    world.events.push(Event::Gathered {
        player: id,
        item,
        count: got,
    });
    crate::systems::progression::add_xp(world, id, u64::from(got));
    if world.nodes[ni].left.iter().all(|v| *v == 0) {
        deplete(world, ni);
    }
    true
}

/// Marks a node empty and schedules its regrowth.
pub(crate) fn deplete(world: &mut World, ni: usize) {
    let kind = world.nodes[ni].kind;
    let factor = world
        .content
        .nodes()
        .get(usize::from(kind))
        .map_or(1.0, |d| d.respawn_factor);
    let (lo, hi) = (
        world.config.resource_respawn_min_s * factor,
        world.config.resource_respawn_max_s * factor,
    );
    let delay_s = range_f32(&mut world.rng, lo, hi.max(lo));
    let at = world.tick + world.config.ticks(delay_s).max(1);
    world.nodes[ni].respawn_at = Some(at);
    world.node_respawns.insert((at, ni as u32));
    world.events.push(Event::NodeDepleted {
        node: EntityId(ni as u32 + 1),
        respawn_tick: at,
    });
}

/// Regrows nodes whose time has come.
pub(crate) fn respawn_nodes(world: &mut World) {
    while let Some(&(at, ni)) = world.node_respawns.first() {
        if at > world.tick {
            break;
        }
        world.node_respawns.pop_first();
        let ni = ni as usize;
        if ni < world.nodes.len() && world.nodes[ni].respawn_at == Some(at) {
            let kind = world.nodes[ni].kind;
            world.nodes[ni].left = crate::worldgen::full_amounts(world, kind);
            world.nodes[ni].respawn_at = None;
        }
    }
}
