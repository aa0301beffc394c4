//! Arrows: fly straight, stop at the first player, creature or structure they touch,
//! vanish at the end of their life or the world's edge.

use crate::systems::combat::{Attacker, apply_damage, radius_of, target_pos};
use crate::{EntityId, PlayerId, Rect, Vec2, World};

/// Parameter t in [0, 1] where segment a→b first comes within `r` of `c`.
fn segment_hit(a: Vec2, b: Vec2, c: Vec2, r: f32) -> Option<f32> {
    let d = b - a;
    let f = a - c;
    let aa = d.length_squared();
    let bb = 2.0 * (f.x * d.x + f.y * d.y);
    let cc = f.length_squared() - r * r;
    if cc <= 0.0 {
        return Some(0.0);
    }
    if aa <= 0.0 {
        return None;
    }
    let disc = bb * bb - 4.0 * aa * cc;
    if disc < 0.0 {
        return None;
    }
    let t = (-bb - disc.sqrt()) / (2.0 * aa);
    (0.0..=1.0).contains(&t).then_some(t)
}

/// Advances every arrow one tick.
pub(crate) fn run(world: &mut World) {
    let dt = world.config.dt();
    let size = world.config.world_size;
    let mut ids = std::mem::take(&mut world.entity_scratch);
    ids.clear();
    ids.extend(world.projectiles.keys().copied());
    let mut found = std::mem::take(&mut world.scratch);
    for &id in &ids {
        let Some(pr) = world.projectiles.get(&id) else {
            continue;
        };
        let (a, owner, team, damage) = (pr.pos, pr.owner, pr.team, pr.damage);
        let b = a + pr.vel * dt;
        let expired = pr.expires_at <= world.tick;
        let lo = Vec2::new(a.x.min(b.x), a.y.min(b.y));
        let hi = Vec2::new(a.x.max(b.x), a.y.max(b.y));
        let pad = Vec2::new(World::MAX_RADIUS, World::MAX_RADIUS);
        found.clear();
        world.grid.query(
            Rect {
                min: lo - pad,
                max: hi + pad,
            },
            &mut found,
        );
        found.sort_unstable();
        let mut best: Option<(f32, EntityId)> = None;
        for &t in &found {
            if t == owner || t == id {
                continue;
            }
            let is_being =
                world.players.contains_key(&PlayerId(t.0)) || world.creatures.contains_key(&t);
            let is_structure = world.structures.contains_key(&t);
            if !is_being && !is_structure {
                continue;
            }
            if let Some(p) = world.players.get(&PlayerId(t.0))
                && team.is_some()
                && p.team == team
            {
                continue;
            }
            let Some(r) = radius_of(world, t) else {
                continue;
            };
            if let Some(h) = segment_hit(a, b, target_pos(world, t), r)
                && best.is_none_or(|(bt, bid)| (h, t) < (bt, bid))
            {
                best = Some((h, t));
            }
        }
        let out = !(0.0..=size).contains(&b.x) || !(0.0..=size).contains(&b.y);
        if let Some((_, target)) = best {
            let dir = b - a;
            let len = dir.length().max(1e-3);
            let push = dir * (world.config.knockback * 0.5 / len);
            apply_damage(world, Attacker { id: owner, team }, target, damage, push);
            remove(world, id, a);
        } else if expired || out {
            remove(world, id, a);
        } else if let Some(pr) = world.projectiles.get_mut(&id) {
            pr.pos = b;
            world.grid.relocate(id, a, b);
        }
    }
    world.scratch = found;
    world.entity_scratch = ids;
}

fn remove(world: &mut World, id: EntityId, at: Vec2) {
    world.projectiles.remove(&id);
    world.grid.remove(id, at);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_hits_circle_at_the_near_side() {
        let t = segment_hit(
            Vec2::new(0.0, 0.0),
            Vec2::new(100.0, 0.0),
            Vec2::new(50.0, 0.0),
            10.0,
        );
        assert!((t.unwrap_or(-1.0) - 0.4).abs() < 1e-4);
        assert!(
            segment_hit(
                Vec2::new(0.0, 0.0),
                Vec2::new(100.0, 0.0),
                Vec2::new(50.0, 30.0),
                10.0
            )
            .is_none()
        );
    }
}
