//! Walking and sprinting, blocked by water, solid structures and the world's edge.

use crate::entities::Player;
use crate::terrain::circle_hits_cell;
use crate::{PlayerId, Terrain, Vec2, World};

/// Whether a solid structure (a closed door counts) stands on cell (`cx`, `cy`).
pub(crate) fn solid_cell(world: &World, cx: i64, cy: i64) -> bool {
    let side = world.terrain.side() as i64;
    if cx < 0 || cy < 0 || cx >= side || cy >= side {
        return false;
    }
    let id = world.occupancy[(cy * side + cx) as usize];
    if id == 0 {
        return false;
    }
    let Some(s) = world.structures.get(&crate::EntityId(id)) else {
        return false;
    };
    let Some(def) = world.content.item(s.item) else {
        return false;
    };
    def.solid && !(def.door && s.open)
}

/// The cell index along one axis; `floor` only for negatives (the common case is a
/// plain truncation, which matters in the hot movement loop).
fn cell_axis(v: f32) -> i64 {
    let c = v / Terrain::CELL;
    if c >= 0.0 { c as i64 } else { c.floor() as i64 }
}

/// Whether a circle may not stand at `p`: water, a solid structure or off the map, in
/// one pass over the few cells its bounding box touches.
pub(crate) fn blocked(world: &World, p: Vec2, r: f32) -> bool {
    let cell = Terrain::CELL;
    for cy in cell_axis(p.y - r)..=cell_axis(p.y + r) {
        for cx in cell_axis(p.x - r)..=cell_axis(p.x + r) {
            let wet = world.terrain.biome_cell(cx, cy) == crate::Biome::Water;
            if (wet || solid_cell(world, cx, cy)) && circle_hits_cell(p, r, cx, cy, cell) {
                return true;
            }
        }
    }
    false
}

/// Moves a circle by `delta`; when the straight move is blocked, one axis at a time so
/// it slides along walls and shores. A circle that is already stuck (a wall built
/// around it) may move freely to get out.
pub(crate) fn slide(world: &World, from: Vec2, delta: Vec2, r: f32) -> Vec2 {
    let straight = world.clamp_to_world(from + delta, r);
    if !blocked(world, straight, r) {
        return straight;
    }
    let stuck = blocked(world, from, r);
    let mut p = from;
    let tx = world.clamp_to_world(Vec2::new(p.x + delta.x, p.y), r);
    if stuck || !blocked(world, tx, r) {
        p = tx;
    }
    let ty = world.clamp_to_world(Vec2::new(p.x, p.y + delta.y), r);
    if stuck || !blocked(world, ty, r) {
        p = ty;
    }
    p
}

fn speed_of(world: &World, p: &Player, moving: bool) -> (f32, bool) {
    let c = &world.config;
    let mut speed = c.walk_speed;
    let sprinting = p.input.sprint && moving && p.stamina > 0.0;
    if sprinting {
        speed *= c.sprint_multiplier;
    }
    if p.hunger < c.hungry_threshold || p.thirst < c.hungry_threshold {
        speed *= c.hungry_speed_factor;
    }
    (speed, sprinting)
}

/// Moves every living player by their input and knockback.
pub(crate) fn run(world: &mut World) {
    let dt = world.config.dt();
    let r = world.config.player_radius;
    let mut ids = std::mem::take(&mut world.ids_scratch);
    ids.clear();
    ids.extend(world.players.keys().copied());
    for &id in &ids {
        let Some(p) = world.players.get(&id) else {
            continue;
        };
        if p.respawn_at.is_some() {
            continue;
        }
        let dir = Vec2::new(p.input.move_x, p.input.move_y).clamp_length(1.0);
        let moving = dir.length_squared() > 1e-6;
        let (speed, sprinting) = speed_of(world, p, moving);
        let delta = dir * (speed * dt) + p.knock * dt;
        let from = p.pos;
        let to = if delta.length_squared() > 0.0 {
            slide(world, from, delta, r)
        } else {
            from
        };
        apply(world, id, from, to, sprinting, dt);
    }
    world.ids_scratch = ids;
}

fn apply(world: &mut World, id: PlayerId, from: Vec2, to: Vec2, sprinting: bool, dt: f32) {
    let cost = world.config.sprint_stamina_per_s * dt;
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    p.pos = to;
    p.knock = p.knock * 0.7;
    if p.knock.length_squared() < 1.0 {
        p.knock = Vec2::ZERO;
    }
    if p.input.aim.is_finite() {
        p.angle = p.input.aim.rem_euclid(std::f32::consts::TAU);
    }
    p.sprinting = sprinting;
    if sprinting {
        p.stamina = (p.stamina - cost).max(0.0);
    }
    world.grid.relocate(id.entity(), from, to);
}
