//! The secondary action (eat, drink at water, use a backpack) and interact (pick up a
//! loot bag, open a chest, toggle a door), plus moving stacks in and out of chests.

use crate::{EntityId, Event, ItemKind, PlayerId, Rect, RejectReason, World};

fn reject(world: &mut World, player: PlayerId, reason: RejectReason) {
    world.events.push(Event::Rejected { player, reason });
}

fn may_use(world: &World, id: PlayerId, owner: Option<&str>, team: Option<u32>) -> bool {
    let Some(p) = world.players.get(&id) else {
        return false;
    };
    owner.is_none_or(|o| o == p.name) || (team.is_some() && team == p.team)
}

/// Reach for interacting: the player's radius plus the gather reach plus half a cell.
fn reach(world: &World) -> f32 {
    world.config.player_radius + world.config.gather_reach + World::BUILD_CELL / 2.0
}

/// Uses the selected item, or drinks if standing at water.
pub(crate) fn use_selected(world: &mut World, id: PlayerId) {
    let Some(p) = world.players.get(&id) else {
        return;
    };
    if p.use_ready > world.tick {
        return;
    }
    let ready = world.tick + world.config.ticks(world.config.use_cooldown_s).max(1);
    let slot = usize::from(p.selected);
    let stack = p.inventory.slots.get(slot).copied().flatten();
    let def = stack.and_then(|s| world.content.item(s.item));
    let near_water = world.terrain.circle_touches_water(
        p.pos,
        world.config.player_radius + world.config.gather_reach,
    );
    let base_slots = world.config.inventory_slots as usize;
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    p.use_ready = ready;
    match (stack, def) {
        (Some(s), Some(d)) if d.kind == ItemKind::Food => {
            p.hunger = (p.hunger + d.food).min(100.0);
            p.thirst = (p.thirst + d.water).min(100.0);
            p.health = (p.health + d.heal).min(100.0);
            p.inventory.remove(s.item, 1);
            world.events.push(Event::Consumed {
                player: id,
                item: Some(s.item),
            });
        }
        (Some(s), Some(d)) if d.extra_slots > 0 => {
            let target = base_slots + usize::from(d.extra_slots);
            if p.inventory.slots.len() >= target {
                return reject(world, id, RejectReason::WrongItem);
            }
            p.inventory.remove(s.item, 1);
            p.inventory.grow_to(target);
            world.events.push(Event::Consumed {
                player: id,
                item: Some(s.item),
            });
        }
        _ if near_water => {
            p.thirst = (p.thirst + world.config.drink_amount).min(100.0);
            world.events.push(Event::Consumed {
                player: id,
                item: None,
            });
        }
        _ => reject(world, id, RejectReason::WrongItem),
    }
}

/// Interacts with the nearest loot bag, chest or door within reach.
pub(crate) fn interact(world: &mut World, id: PlayerId) {
    let Some(p) = world.players.get(&id) else {
        return;
    };
    if p.use_ready > world.tick {
        return;
    }
    let pos = p.pos;
    let reach = reach(world);
    let mut best: Option<(f32, EntityId)> = None;
    let area = Rect::centered(pos, reach * 2.0, reach * 2.0);
    let mut consider = |e: EntityId, at: crate::Vec2| {
        let d = at.distance_squared(pos);
        if d <= reach * reach && best.is_none_or(|(bd, bid)| (d, e) < (bd, bid)) {
            best = Some((d, e));
        }
    };
    world.bag_grid.for_each_in(area, |e, _| {
        if let Some(b) = world.bags.get(&e) {
            consider(e, b.pos);
        }
    });
    world.grid.for_each_in(area, |e, kind| {
        if kind != crate::EntityKind::Structure {
            return;
        }
        if let Some(s) = world.structures.get(&e)
            && world
                .content
                .item(s.item)
                .is_some_and(|d| d.door || d.chest_slots > 0)
        {
            consider(e, s.pos);
        }
    });
    let ready = world.tick + world.config.ticks(world.config.use_cooldown_s).max(1);
    if let Some(p) = world.players.get_mut(&id) {
        p.use_ready = ready;
    }
    let Some((_, target)) = best else {
        return reject(world, id, RejectReason::OutOfReach);
    };
    if world.bags.contains_key(&target) {
        return pick_up(world, id, target);
    }
    let Some(s) = world.structures.get(&target) else {
        return;
    };
    if !may_use(world, id, s.owner.as_deref(), s.team) {
        return reject(world, id, RejectReason::NotOwner);
    }
    let is_door = world.content.item(s.item).is_some_and(|d| d.door);
    if is_door {
        if let Some(s) = world.structures.get_mut(&target) {
            s.open = !s.open;
        }
    } else if let Some(p) = world.players.get_mut(&id) {
        p.open_chest = Some(target);
    }
}

fn pick_up(world: &mut World, id: PlayerId, bag: EntityId) {
    let Some(b) = world.bags.get_mut(&bag) else {
        return;
    };
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    let items = std::mem::take(&mut b.items);
    for s in items {
        if let Some(rest) = p.inventory.add_stack(&world.content, s) {
            b.items.push(rest);
        }
    }
    if b.items.is_empty() {
        let pos = b.pos;
        world.bags.remove(&bag);
        world.bag_grid.remove(bag, pos);
    } else {
        reject(world, id, RejectReason::InventoryFull);
    }
}

/// The chest a player has open, if it still stands within reach.
fn open_chest(world: &World, id: PlayerId) -> Option<EntityId> {
    let p = world.players.get(&id)?;
    let chest = p.open_chest?;
    let s = world.structures.get(&chest)?;
    let r = reach(world);
    (s.pos.distance_squared(p.pos) <= r * r).then_some(chest)
}

/// Moves inventory slot `slot` into the open chest.
pub(crate) fn chest_put(world: &mut World, id: PlayerId, slot: u8) {
    let Some(chest) = open_chest(world, id) else {
        return reject(world, id, RejectReason::OutOfReach);
    };
    let Some(stack) = world
        .players
        .get_mut(&id)
        .and_then(|p| p.inventory.take(usize::from(slot)))
    else {
        return reject(world, id, RejectReason::Unknown);
    };
    let Some(s) = world.structures.get_mut(&chest) else {
        return;
    };
    if let Some(rest) = s.contents.add_stack(&world.content, stack) {
        if let Some(p) = world.players.get_mut(&id) {
            p.inventory.slots[usize::from(slot)] = Some(rest);
        }
        reject(world, id, RejectReason::InventoryFull);
    }
}

/// Moves chest slot `slot` of the open chest into the inventory.
pub(crate) fn chest_take(world: &mut World, id: PlayerId, slot: u8) {
    let Some(chest) = open_chest(world, id) else {
        return reject(world, id, RejectReason::OutOfReach);
    };
    let Some(stack) = world
        .structures
        .get_mut(&chest)
        .and_then(|s| s.contents.take(usize::from(slot)))
    else {
        return reject(world, id, RejectReason::Unknown);
    };
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    if let Some(rest) = p.inventory.add_stack(&world.content, stack) {
        if let Some(s) = world.structures.get_mut(&chest) {
            s.contents.slots[usize::from(slot)] = Some(rest);
        }
        reject(world, id, RejectReason::InventoryFull);
    }
}
