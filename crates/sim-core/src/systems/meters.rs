//! Hunger, thirst, stamina, regeneration, starvation and the cold.

use crate::{Biome, ItemKind, World};

/// Updates every living player's meters for one tick.
pub(crate) fn run(world: &mut World) {
    let c = &world.config;
    let dt = c.dt();
    // The cold only bites at night; by day the players are walked once, mutably.
    let mut cold = std::mem::take(&mut world.ids_scratch);
    cold.clear();
    if world.is_night() {
        cold.extend(
            world
                .players
                .iter()
                .filter(|(_, p)| {
                    p.respawn_at.is_none()
                        && world.terrain.biome_at(p.pos) == Biome::Snow
                        && !near_fire(world, p.pos)
                })
                .map(|(id, _)| *id),
        );
    }
    let mut cold_iter = cold.iter().peekable();
    for (id, p) in world.players.iter_mut() {
        let is_cold = cold_iter.next_if_eq(&id).is_some();
        // Dead (health 0 this tick) stays dead: regeneration must not revive anyone.
        if p.respawn_at.is_some() || p.health <= 0.0 {
            continue;
        }
        p.ticks_played += 1;
        p.hunger = (p.hunger - dt / c.hunger_interval_s).max(0.0);
        p.thirst = (p.thirst - dt / c.thirst_interval_s).max(0.0);
        if !p.sprinting && !p.acting {
            p.stamina = (p.stamina + c.stamina_regen_per_s * dt).min(100.0);
        }
        let mut delta = 0.0;
        if p.hunger >= c.regen_threshold && p.thirst >= c.regen_threshold {
            delta += c.regen_per_s * dt;
        }
        if p.hunger < c.starving_threshold {
            delta -= c.starve_damage_per_s * dt;
        }
        if p.thirst < c.starving_threshold {
            delta -= c.starve_damage_per_s * dt;
        }
        if is_cold {
            delta -= c.cold_damage_per_s * dt;
        }
        if delta < 0.0 {
            // Hunger, thirst and cold are nobody's kill.
            p.last_attacker = None;
        }
        p.health = (p.health + delta).clamp(0.0, 100.0);
    }
    world.ids_scratch = cold;
}

/// Whether a warming structure (campfire) is within its radius of `p`.
pub(crate) fn near_fire(world: &World, p: crate::Vec2) -> bool {
    let reach = world
        .content
        .items()
        .iter()
        .filter(|d| d.kind == ItemKind::Structure)
        .map(|d| d.warm_radius)
        .fold(0.0f32, f32::max);
    if reach <= 0.0 {
        return false;
    }
    let mut found = false;
    world.grid.for_each_in(
        crate::Rect::centered(p, reach * 2.0, reach * 2.0),
        |id, _| {
            if let Some(s) = world.structures.get(&id)
                && let Some(def) = world.content.item(s.item)
                && def.warm_radius > 0.0
                && s.pos.distance_squared(p) <= def.warm_radius * def.warm_radius
            {
                found = true;
            }
        },
    );
    found
}
