//! Creatures: spawned per biome near players up to the table's caps (more at night),
//! fleeing or chasing players, biting, and vanishing far from every player.

use crate::content::Behavior;
use crate::entities::Creature;
use crate::random::{range_f32, range_u64, unit};
use crate::systems::combat::{Attacker, apply_damage};
use crate::systems::movement::{blocked, slide};
use crate::{EntityKind, PlayerId, Rect, Vec2, World};

/// Whether a hostile (chasing) creature is within `dist` of `p`.
pub(crate) fn hostile_near(world: &World, p: Vec2, dist: f32) -> bool {
    world.creatures.values().any(|c| {
        world
            .content
            .creatures()
            .get(usize::from(c.kind))
            .is_some_and(|d| d.behavior == Behavior::Chase)
            && c.pos.distance_squared(p) < dist * dist
    })
}

/// Spawns groups where the table allows, near randomly chosen players.
pub(crate) fn spawn(world: &mut World) {
    let every = world
        .config
        .ticks(world.config.creature_spawn_interval_s)
        .max(1);
    if !world.tick.is_multiple_of(every) || world.players.is_empty() {
        return;
    }
    let night = world.is_night();
    for si in 0..world.content.spawns().len() {
        let entry = world.content.spawns()[si].clone();
        let cap = if night { entry.night_cap } else { entry.cap } as usize;
        let alive = world
            .creatures
            .values()
            .filter(|c| usize::from(c.spawn) == si)
            .count();
        if alive >= cap {
            continue;
        }
        let nth = range_u64(&mut world.rng, 0, world.players.len() as u64 - 1) as usize;
        let Some(anchor) = world
            .players
            .values()
            .nth(nth)
            .filter(|p| p.respawn_at.is_none())
            .map(|p| p.pos)
        else {
            continue;
        };
        let angle = range_f32(&mut world.rng, 0.0, std::f32::consts::TAU);
        let dist = range_f32(
            &mut world.rng,
            world.config.creature_spawn_min_distance,
            world.config.creature_spawn_max_distance,
        );
        let centre = anchor + Vec2::from_angle(angle) * dist;
        if world.terrain.biome_at(centre) != entry.biome {
            continue;
        }
        let group = range_u64(
            &mut world.rng,
            entry.group_min as u64,
            entry.group_max as u64,
        ) as usize;
        let Some(def) = world
            .content
            .creatures()
            .get(usize::from(entry.creature_index))
        else {
            continue;
        };
        let (radius, health) = (def.radius, def.health);
        for _ in 0..group.min(cap - alive) {
            let jitter = Vec2::new(
                range_f32(&mut world.rng, -60.0, 60.0),
                range_f32(&mut world.rng, -60.0, 60.0),
            );
            let pos = world.clamp_to_world(centre + jitter, radius);
            if blocked(world, pos, radius) {
                continue;
            }
            let id = world.alloc_entity();
            world.grid.insert(id, crate::EntityKind::Creature, pos);
            world.creatures.insert(
                id,
                Creature {
                    kind: entry.creature_index,
                    spawn: si as u16,
                    pos,
                    angle: 0.0,
                    health,
                    knock: Vec2::ZERO,
                    target: None,
                    heading: Vec2::ZERO,
                    attack_ready: 0,
                    last_attacker: None,
                    acting: false,
                    hurt: false,
                },
            );
        }
    }
}

/// The nearest living player within `range` of `p`.
fn nearest_player(world: &World, p: Vec2, range: f32) -> Option<(PlayerId, Vec2)> {
    let mut best: Option<(f32, PlayerId, Vec2)> = None;
    world
        .grid
        .for_each_in(Rect::centered(p, range * 2.0, range * 2.0), |id, kind| {
            if kind != EntityKind::Player {
                return;
            }
            let pid = PlayerId(id.0);
            if let Some(pl) = world.players.get(&pid)
                && pl.respawn_at.is_none()
            {
                let d = pl.pos.distance_squared(p);
                if d <= range * range && best.is_none_or(|(bd, bid, _)| (d, pid) < (bd, bid)) {
                    best = Some((d, pid, pl.pos));
                }
            }
        });
    best.map(|(_, id, pos)| (id, pos))
}

/// Whether any player (alive or waiting to respawn) is within `range` of `p`.
fn player_within(world: &World, p: Vec2, range: f32) -> bool {
    world
        .grid
        .any_in(Rect::centered(p, range * 2.0, range * 2.0), |id, kind| {
            kind == EntityKind::Player
                && world
                    .players
                    .get(&PlayerId(id.0))
                    .is_some_and(|pl| pl.pos.distance_squared(p) <= range * range)
        })
}

/// Thinks, moves and bites for every creature; removes those far from all players.
pub(crate) fn run(world: &mut World) {
    let dt = world.config.dt();
    let despawn = world.config.creature_despawn_distance;
    let mut ids = std::mem::take(&mut world.entity_scratch);
    ids.clear();
    ids.extend(world.creatures.keys().copied());
    for &id in &ids {
        let Some(c) = world.creatures.get(&id) else {
            continue;
        };
        let Some(def) = world.content.creatures().get(usize::from(c.kind)) else {
            continue;
        };
        let (behavior, speed, radius, aggro) =
            (def.behavior, def.speed, def.radius, def.aggro_range);
        let (bite, bite_range, bite_cd) = (def.damage, def.attack_range, def.attack_cooldown_s);
        let pos = c.pos;
        // Staggered by id, each creature checks for far-away players once a second.
        if (u64::from(id.0) + world.tick).is_multiple_of(20) && !player_within(world, pos, despawn)
        {
            world.creatures.remove(&id);
            world.grid.remove(id, pos);
            continue;
        }
        // A creature looks around five times a second (staggered by id) and otherwise
        // keeps following the player it last saw while that one stays in range.
        let seen = if (u64::from(id.0) + world.tick).is_multiple_of(4) {
            nearest_player(world, pos, aggro)
        } else {
            c.target.and_then(|t| {
                let pid = PlayerId(t.0);
                let pl = world.players.get(&pid)?;
                (pl.respawn_at.is_none() && pl.pos.distance_squared(pos) <= aggro * aggro)
                    .then_some((pid, pl.pos))
            })
        };
        let wander = unit(&mut world.rng) < 0.02;
        let new_heading = if wander {
            let a = range_f32(&mut world.rng, 0.0, std::f32::consts::TAU);
            Some(Vec2::from_angle(a) * 0.4)
        } else {
            None
        };
        let Some(c) = world.creatures.get_mut(&id) else {
            continue;
        };
        c.acting = false;
        let mut bite_target = None;
        match (behavior, seen) {
            (Behavior::Flee, Some((pid, at))) => {
                let away = pos - at;
                c.heading = away * (1.0 / away.length().max(1e-3));
                c.target = Some(pid.entity());
            }
            (Behavior::Chase, Some((pid, at))) => {
                let to = at - pos;
                let dist = to.length();
                c.target = Some(pid.entity());
                c.angle = to.y.atan2(to.x);
                if dist - radius - world.config.player_radius <= bite_range {
                    c.heading = Vec2::ZERO;
                    if c.attack_ready <= world.tick {
                        c.attack_ready = world.tick + world.config.ticks(bite_cd).max(1);
                        c.acting = true;
                        bite_target =
                            Some((pid, to * (world.config.knockback * 0.5 / dist.max(1e-3))));
                    }
                } else {
                    c.heading = to * (1.0 / dist.max(1e-3));
                }
            }
            _ => {
                c.target = None;
                if let Some(h) = new_heading {
                    c.heading = h;
                }
            }
        }
        let delta = c.heading * (speed * dt) + c.knock * dt;
        c.knock = c.knock * 0.7;
        if c.heading.length_squared() > 1e-6 {
            c.angle = c.heading.y.atan2(c.heading.x);
        }
        let to = if delta.length_squared() > 0.0 {
            slide(world, pos, delta, radius)
        } else {
            pos
        };
        if let Some(c) = world.creatures.get_mut(&id) {
            c.pos = to;
        }
        world.grid.relocate(id, pos, to);
        if let Some((pid, push)) = bite_target {
            apply_damage(world, Attacker { id, team: None }, pid.entity(), bite, push);
        }
    }
    world.entity_scratch = ids;
}
