//! Deaths and comebacks: a dead player's inventory becomes a loot bag, the killer gets
//! the credit, and after the respawn delay the player returns at a safe spot with the
//! starter kit. Dead creatures give their drops to the killer; broken structures go.

use crate::inventory::Inventory;
use crate::systems::{crafting, loot, progression};
use crate::{Content, EntityId, Event, PlayerId, World};

/// Fills an inventory with the content's starter kit.
pub(crate) fn give_starter_kit(content: &Content, inv: &mut Inventory) {
    for d in content.starter_kit() {
        inv.add(content, d.item_index, d.count as u32);
    }
}

/// Credits a kill to `killer` if it is a player.
fn credit(world: &mut World, killer: Option<EntityId>, xp: u64) {
    let Some(k) = killer else { return };
    let pid = PlayerId(k.0);
    if let Some(p) = world.players.get_mut(&pid) {
        p.kills = p.kills.saturating_add(1);
        progression::add_xp(world, pid, xp);
    }
}

/// Handles every player, creature and structure whose health reached zero this tick.
pub(crate) fn run(world: &mut World) {
    let mut ids = std::mem::take(&mut world.ids_scratch);
    ids.clear();
    ids.extend(
        world
            .players
            .iter()
            .filter(|(_, p)| p.health <= 0.0 && p.respawn_at.is_none())
            .map(|(id, _)| *id),
    );
    for &id in &ids {
        player_dies(world, id);
    }
    world.ids_scratch = ids;
    let dead: Vec<EntityId> = world
        .creatures
        .iter()
        .filter(|(_, c)| c.health <= 0.0)
        .map(|(id, _)| *id)
        .collect();
    for id in dead {
        creature_dies(world, id);
    }
    let broken: Vec<EntityId> = world
        .structures
        .iter()
        .filter(|(_, s)| s.health <= 0.0)
        .map(|(id, _)| *id)
        .collect();
    for id in broken {
        let (killer, at) = match world.structures.get(&id) {
            Some(s) => (s.last_attacker, s.pos),
            None => continue,
        };
        crate::systems::building::remove(world, id);
        world.events.push(Event::Death {
            victim: id,
            killer,
            at,
        });
    }
}

fn player_dies(world: &mut World, id: PlayerId) {
    crafting::cancel(world, id, true);
    let delay = world.config.ticks(world.config.respawn_delay_s).max(1);
    let tick = world.tick;
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    let mut items: Vec<_> = p.inventory.drain().collect();
    items.extend(p.equipment.iter_mut().filter_map(Option::take));
    p.deaths = p.deaths.saturating_add(1);
    p.respawn_at = Some(tick + delay);
    p.open_chest = None;
    p.health = 0.0;
    p.knock = crate::Vec2::ZERO;
    let (pos, killer) = (p.pos, p.last_attacker.take());
    world.grid.remove(id.entity(), pos);
    loot::drop_bag(world, pos, items);
    let killer = killer.filter(|k| *k != id.entity());
    let xp = u64::from(world.config.player_kill_xp);
    credit(world, killer, xp);
    world.events.push(Event::Death {
        victim: id.entity(),
        killer,
        at: pos,
    });
}

fn creature_dies(world: &mut World, id: EntityId) {
    let Some(c) = world.creatures.remove(&id) else {
        return;
    };
    world.grid.remove(id, c.pos);
    let Some(def) = world.content.creatures().get(usize::from(c.kind)) else {
        return;
    };
    let drops: Vec<(u16, u32)> = def
        .drops
        .iter()
        .map(|d| (d.item_index, d.count as u32))
        .collect();
    let xp = def.xp as u64;
    let killer_player = c
        .last_attacker
        .map(|k| PlayerId(k.0))
        .filter(|p| world.players.contains_key(p));
    match killer_player {
        Some(pid) => {
            for (item, n) in drops {
                loot::give(world, pid, item, n);
            }
        }
        None => {
            let items = drops
                .into_iter()
                .map(|(item, n)| Inventory::fresh(&world.content, item, n as u16))
                .collect();
            loot::drop_bag(world, c.pos, items);
        }
    }
    credit(world, c.last_attacker, xp);
    world.events.push(Event::Death {
        victim: id,
        killer: c.last_attacker,
        at: c.pos,
    });
}

/// Brings back players whose respawn delay is over.
pub(crate) fn respawn(world: &mut World) {
    let tick = world.tick;
    let mut ids = std::mem::take(&mut world.ids_scratch);
    ids.clear();
    ids.extend(
        world
            .players
            .iter()
            .filter(|(_, p)| p.respawn_at.is_some_and(|t| t <= tick))
            .map(|(id, _)| *id),
    );
    for &id in &ids {
        let at = crate::worldgen::safe_spot(world);
        let Some(p) = world.players.get_mut(&id) else {
            continue;
        };
        p.respawn_at = None;
        p.pos = at;
        p.health = 100.0;
        p.hunger = 100.0;
        p.thirst = 100.0;
        p.stamina = 100.0;
        give_starter_kit(&world.content, &mut p.inventory);
        world
            .grid
            .insert(id.entity(), crate::EntityKind::Player, at);
        world.events.push(Event::Respawned { player: id, at });
    }
    world.ids_scratch = ids;
}
