//! Melee swings, bow shots and damage: max(1, weapon − armor) × 0.9–1.1, knockback,
//! no friendly fire, wear on weapons and armor.

use crate::entities::{BODY, HAND, HEAD, Projectile};
use crate::random::range_f32;
use crate::{EntityId, EntityKind, Event, ItemKind, PlayerId, Rect, RejectReason, Vec2, World};

/// Who is attacking: their entity and team (teammates are never hurt).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attacker {
    pub(crate) id: EntityId,
    pub(crate) team: Option<u32>,
}

/// Whether `dir` (from the attacker to the target) lies in the 90° arc around `facing`.
pub(crate) fn in_arc(facing: f32, dir: Vec2) -> bool {
    let len = dir.length();
    if len < 1e-3 {
        return true;
    }
    let f = Vec2::from_angle(facing);
    (f.x * dir.x + f.y * dir.y) / len >= std::f32::consts::FRAC_1_SQRT_2
}

/// The body radius of a damageable entity, if it is one.
pub(crate) fn radius_of(world: &World, id: EntityId) -> Option<f32> {
    if let Some(p) = world.players.get(&crate::PlayerId(id.0)) {
        return p.respawn_at.is_none().then_some(world.config.player_radius);
    }
    if let Some(c) = world.creatures.get(&id) {
        return world
            .content
            .creatures()
            .get(usize::from(c.kind))
            .map(|d| d.radius);
    }
    world
        .structures
        .contains_key(&id)
        .then_some(World::BUILD_CELL / 2.0)
}

/// Deals `base` damage to `target`; returns whether it landed.
pub(crate) fn apply_damage(
    world: &mut World,
    by: Attacker,
    target: EntityId,
    base: f32,
    push: Vec2,
) -> bool {
    if by.id == target {
        return false;
    }
    let roll = range_f32(&mut world.rng, 0.9, 1.1);
    let at;
    let damage;
    if let Some(p) = world.players.get_mut(&PlayerId(target.0)) {
        if p.respawn_at.is_some() || (by.team.is_some() && by.team == p.team) {
            return false;
        }
        let mut armor = 0.0;
        for slot in [HEAD, BODY] {
            if let Some(s) = &mut p.equipment[slot] {
                armor += world.content.item(s.item).map_or(0.0, |d| d.armor);
                s.durability = s.durability.saturating_sub(1);
                if s.durability == 0 {
                    p.equipment[slot] = None;
                }
            }
        }
        damage = (base - armor).max(1.0) * roll;
        p.health = (p.health - damage).max(0.0);
        p.knock = p.knock + push;
        p.hurt = true;
        p.last_attacker = Some(by.id);
        at = p.pos;
    } else if let Some(c) = world.creatures.get_mut(&target) {
        damage = base.max(1.0) * roll;
        c.health = (c.health - damage).max(0.0);
        c.knock = c.knock + push;
        c.hurt = true;
        c.last_attacker = Some(by.id);
        at = c.pos;
    } else if let Some(s) = world.structures.get_mut(&target) {
        if by.team.is_some() && by.team == s.team {
            return false;
        }
        damage = base.max(1.0) * roll;
        s.health = (s.health - damage).max(0.0);
        s.hurt = true;
        s.last_attacker = Some(by.id);
        at = s.pos;
    } else {
        return false;
    }
    world.events.push(Event::Hit {
        attacker: by.id,
        target,
        damage,
        at,
    });
    true
}

/// Wears the hand item by one use; it breaks at zero.
pub(crate) fn wear_hand(world: &mut World, id: PlayerId) {
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    if let Some(s) = &mut p.equipment[HAND]
        && s.durability > 0
    {
        s.durability -= 1;
        if s.durability == 0 {
            p.equipment[HAND] = None;
        }
    }
}

/// The primary action: fire the bow, or swing at everything in the arc and gather the
/// nearest node in front.
pub(crate) fn swing(world: &mut World, id: PlayerId) {
    let Some(p) = world.players.get(&id) else {
        return;
    };
    if p.swing_ready > world.tick {
        return;
    }
    let hand = p.equipment[HAND]
        .and_then(|s| world.content.item(s.item))
        .map(|d| HandStats {
            kind: d.kind,
            cooldown_s: d.cooldown_s,
            ammo: d.ammo_item,
            damage: d.damage,
            range: d.range,
            speed: d.projectile_speed,
            life_s: d.projectile_life_s,
        });
    let c = &world.config;
    let cooldown = hand
        .map(|d| d.cooldown_s)
        .filter(|v| *v > 0.0)
        .unwrap_or(c.swing_cooldown_s);
    let ready = world.tick + c.ticks(cooldown).max(1);
    if let Some(h) = hand
        && let Some(ammo) = h.ammo
    {
        fire(world, id, ammo, h, ready);
        return;
    }
    let (pos, facing, team) = (p.pos, p.angle, p.team);
    let r = c.player_radius;
    let (range, damage, armed) = match hand {
        Some(d) if matches!(d.kind, ItemKind::Tool | ItemKind::Weapon) => (
            d.range.max(c.gather_reach),
            d.damage.max(c.hand_damage),
            true,
        ),
        _ => (c.gather_reach, c.hand_damage, false),
    };
    let knock = c.knockback;
    if let Some(p) = world.players.get_mut(&id) {
        p.swing_ready = ready;
        p.acting = true;
    }
    let reach = r + range + World::MAX_RADIUS;
    let by = Attacker {
        id: id.entity(),
        team,
    };
    // Only what a swing can touch: bags and arrows are skipped by their grid tag, and
    // structures unless armed. Grid order is a deterministic function of the world's
    // history, so the candidates need no sorting.
    let mut found = std::mem::take(&mut world.tagged_scratch);
    found.clear();
    world.grid.for_each_in(
        Rect::centered(pos, reach * 2.0, reach * 2.0),
        |e, kind| match kind {
            EntityKind::Node | EntityKind::Player | EntityKind::Creature if e != by.id => {
                found.push((e, kind))
            }
            EntityKind::Structure if armed => found.push((e, kind)),
            _ => {}
        },
    );
    let mut landed = false;
    let mut best_node: Option<(f32, usize)> = None;
    for &(target, kind) in &found {
        if kind == EntityKind::Node
            && let Some(ni) = crate::worldgen::node_index(world, target)
        {
            let n = &world.nodes[ni];
            let nr = world
                .content
                .nodes()
                .get(usize::from(n.kind))
                .map_or(0.0, |d| d.radius);
            let d = (n.pos - pos).length() - nr;
            if n.respawn_at.is_none()
                && d <= r + world.config.gather_reach
                && in_arc(facing, n.pos - pos)
                && best_node.is_none_or(|(bd, _)| d < bd)
            {
                best_node = Some((d, ni));
            }
            continue;
        }
        // The grid's kind says which store to look in; players from the tick's spots.
        let spot = (kind == EntityKind::Player)
            .then(|| {
                let spots = &world.player_spots;
                spots
                    .binary_search_by_key(&target.0, |s| s.0.0)
                    .ok()
                    .map(|i| spots[i])
            })
            .flatten();
        let (tpos, tr, is_structure) = if let Some((_, spot_pos, dead)) = spot {
            if dead {
                continue;
            }
            (spot_pos, r, false)
        } else if let Some(c) = world.creatures.get(&target) {
            let cr = world
                .content
                .creatures()
                .get(usize::from(c.kind))
                .map_or(0.0, |d| d.radius);
            (c.pos, cr, false)
        } else if let Some(s) = world.structures.get(&target) {
            if !armed {
                continue;
            }
            (s.pos, World::BUILD_CELL / 2.0, true)
        } else {
            continue;
        };
        let dir = tpos - pos;
        if dir.length() - tr > r + range || !in_arc(facing, dir) {
            continue;
        }
        let push = if is_structure {
            Vec2::ZERO
        } else {
            let len = dir.length().max(1e-3);
            dir * (knock / len)
        };
        landed |= apply_damage(world, by, target, damage, push);
    }
    world.tagged_scratch = found;
    if let Some((_, ni)) = best_node {
        landed |= crate::systems::gathering::gather(world, id, ni);
    }
    if landed {
        wear_hand(world, id);
    }
}

/// Where a damageable entity stands.
pub(crate) fn target_pos(world: &World, id: EntityId) -> Vec2 {
    if let Some(p) = world.players.get(&PlayerId(id.0)) {
        return p.pos;
    }
    if let Some(c) = world.creatures.get(&id) {
        return c.pos;
    }
    world.structures.get(&id).map_or(Vec2::ZERO, |s| s.pos)
}

/// The numbers of the item in hand that a swing needs, copied out of the content.
#[derive(Debug, Clone, Copy)]
struct HandStats {
    kind: ItemKind,
    cooldown_s: f32,
    ammo: Option<u16>,
    damage: f32,
    range: f32,
    speed: f32,
    life_s: f32,
}

fn fire(world: &mut World, id: PlayerId, ammo: u16, h: HandStats, ready: u64) {
    let tick = world.tick;
    let life = world.config.ticks(h.life_s).max(1);
    let r = world.config.player_radius;
    let size = world.config.world_size;
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    p.swing_ready = ready;
    if !p.inventory.remove(ammo, 1) {
        world.events.push(Event::Rejected {
            player: id,
            reason: RejectReason::MissingItem(ammo),
        });
        return;
    }
    p.acting = true;
    let dir = Vec2::from_angle(p.angle);
    let start = p.pos + dir * (r + 4.0);
    let pos = Vec2::new(start.x.clamp(0.0, size), start.y.clamp(0.0, size));
    let projectile = Projectile {
        pos,
        vel: dir * h.speed,
        damage: h.damage,
        owner: id.entity(),
        team: p.team,
        expires_at: tick + life,
    };
    let pid = world.alloc_entity();
    world.grid.insert(pid, crate::EntityKind::Projectile, pos);
    world.projectiles.insert(pid, projectile);
    wear_hand(world, id);
}
