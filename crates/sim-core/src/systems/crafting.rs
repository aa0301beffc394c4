//! Crafting: inputs are taken at the start, the output arrives after the recipe's
//! time; walking away from the station or dying cancels and refunds.

use crate::entities::Craft;
use crate::{EntityId, Event, PlayerId, Rect, RejectReason, Vec2, World};

fn reject(world: &mut World, player: PlayerId, reason: RejectReason) {
    world.events.push(Event::Rejected { player, reason });
}

/// The nearest structure providing `station` within the craft range of `pos`.
pub(crate) fn station_near(world: &World, pos: Vec2, station: &str) -> Option<EntityId> {
    let range = world.config.craft_station_range;
    let mut best: Option<(f32, EntityId)> = None;
    world
        .grid
        .for_each_in(Rect::centered(pos, range * 2.0, range * 2.0), |id, _| {
            let Some(s) = world.structures.get(&id) else {
                return;
            };
            let Some(def) = world.content.item(s.item) else {
                return;
            };
            let d = s.pos.distance_squared(pos);
            if def.station.as_deref() == Some(station)
                && d <= range * range
                && best.is_none_or(|(bd, bid)| (d, id) < (bd, bid))
            {
                best = Some((d, id));
            }
        });
    best.map(|(_, id)| id)
}

/// Starts crafting `recipe` for player `id`, or rejects with the reason.
pub(crate) fn start(world: &mut World, id: PlayerId, recipe: u16) {
    let Some(p) = world.players.get(&id) else {
        return;
    };
    if p.craft.is_some() {
        return reject(world, id, RejectReason::Busy);
    }
    let Some(r) = world.content.recipes().get(usize::from(recipe)) else {
        return reject(world, id, RejectReason::Unknown);
    };
    let station = if r.station == "none" {
        None
    } else {
        match station_near(world, p.pos, &r.station) {
            Some(s) => Some(s),
            None => return reject(world, id, RejectReason::NoStation),
        }
    };
    if let Some(&(item, _)) = r
        .input_items
        .iter()
        .find(|(item, n)| p.inventory.count(*item) < u32::from(*n))
    {
        return reject(world, id, RejectReason::MissingItem(item));
    }
    let ticks = world.config.ticks(r.time_s).max(1);
    let done_tick = world.tick + ticks;
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    for &(item, n) in &r.input_items {
        p.inventory.remove(item, u32::from(n));
    }
    p.craft = Some(Craft {
        recipe,
        done_tick,
        station,
    });
    world.events.push(Event::CraftStarted {
        player: id,
        recipe,
        ticks: ticks as u32,
    });
}

/// Cancels a player's craft and refunds its inputs (overflow drops at their feet).
pub(crate) fn cancel(world: &mut World, id: PlayerId, announce: bool) {
    let Some(craft) = world.players.get_mut(&id).and_then(|p| p.craft.take()) else {
        return;
    };
    let Some(r) = world.content.recipes().get(usize::from(craft.recipe)) else {
        return;
    };
    let inputs = r.input_items.clone();
    for (item, n) in inputs {
        crate::systems::loot::give(world, id, item, u32::from(n));
    }
    if announce {
        world.events.push(Event::CraftCancelled {
            player: id,
            recipe: craft.recipe,
        });
    }
}

/// Advances every craft: cancels those whose station is gone or out of range, and
/// delivers those whose time is up.
pub(crate) fn run(world: &mut World) {
    let range = world.config.craft_station_range;
    let mut ids = std::mem::take(&mut world.ids_scratch);
    ids.clear();
    ids.extend(
        world
            .players
            .iter()
            .filter(|(_, p)| p.craft.is_some())
            .map(|(id, _)| *id),
    );
    for &id in &ids {
        let Some(p) = world.players.get(&id) else {
            continue;
        };
        let Some(craft) = p.craft.clone() else {
            continue;
        };
        if let Some(station) = craft.station {
            let ok = world
                .structures
                .get(&station)
                .is_some_and(|s| s.pos.distance_squared(p.pos) <= range * range);
            if !ok {
                cancel(world, id, true);
                continue;
            }
        }
        if craft.done_tick > world.tick {
            continue;
        }
        let Some(r) = world.content.recipes().get(usize::from(craft.recipe)) else {
            continue;
        };
        let (item, count, xp) = (r.output_item, r.count as u32, r.xp as u64);
        if let Some(p) = world.players.get_mut(&id) {
            p.craft = None;
            p.crafted = p.crafted.saturating_add(1);
        }
        crate::systems::loot::give(world, id, item, count);
        world.events.push(Event::Crafted {
            player: id,
            recipe: craft.recipe,
        });
        crate::systems::progression::add_xp(world, id, xp);
    }
    world.ids_scratch = ids;
}
