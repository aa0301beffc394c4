//! Items on the ground: loot bags from deaths, drops and overflowing inventories.

use crate::entities::LootBag;
use crate::{EntityId, ItemStack, PlayerId, Vec2, World};

/// Puts `items` on the ground at `pos` as a new bag (nothing if empty).
pub(crate) fn drop_bag(world: &mut World, pos: Vec2, items: Vec<ItemStack>) -> Option<EntityId> {
    if items.is_empty() {
        return None;
    }
    let id = world.alloc_entity();
    let expires_at = world.tick + world.config.ticks(world.config.loot_bag_lifetime_s);
    world.bag_grid.insert(id, crate::EntityKind::LootBag, pos);
    world.bags.insert(
        id,
        LootBag {
            pos,
            items,
            expires_at,
        },
    );
    Some(id)
}

/// Gives `count` of `item` to a player; what does not fit drops at their feet.
pub(crate) fn give(world: &mut World, id: PlayerId, item: u16, count: u32) {
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    let left = p.inventory.add(&world.content, item, count);
    if left > 0 {
        let pos = p.pos;
        let mut items = Vec::new();
        let mut rest = left;
        let max = u32::from(world.content.item(item).map_or(1, |d| d.max_stack()));
        while rest > 0 && items.len() < 64 {
            let n = rest.min(max);
            items.push(crate::inventory::Inventory::fresh(
                &world.content,
                item,
                n as u16,
            ));
            rest -= n;
        }
        drop_bag(world, pos, items);
    }
}

/// Removes bags whose time is up. Every bag lives the same configured time and ids
/// only grow, so the oldest id always expires first: only the front is looked at.
pub(crate) fn expire(world: &mut World) {
    let tick = world.tick;
    while let Some((&id, bag)) = world.bags.first_key_value() {
        if bag.expires_at > tick {
            break;
        }
        let pos = bag.pos;
        world.bag_grid.remove(id, pos);
        world.bags.remove(&id);
    }
}
