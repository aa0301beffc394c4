//! Walking and sprinting, blocked by water, solid structures and the world's edge.

use std::collections::BTreeMap;

use crate::entities::{Player, Structure};
use crate::terrain::circle_hits_cell;
use crate::{Content, EntityId, GameConfig, Terrain, Vec2, World};

/// What collision needs of the world, borrowed field by field so the movement loop can
/// walk the players mutably at the same time.
pub(crate) struct Ground<'a> {
    terrain: &'a Terrain,
    occupancy: &'a [u32],
    structures: &'a BTreeMap<EntityId, Structure>,
    content: &'a Content,
    world_size: f32,
}

impl<'a> Ground<'a> {
    pub(crate) fn of(world: &'a World) -> Self {
        Self {
            terrain: &world.terrain,
            occupancy: &world.occupancy,
            structures: &world.structures,
            content: &world.content,
            world_size: world.config.world_size,
        }
    }

    /// Whether a solid structure (a closed door counts) stands on cell (`cx`, `cy`).
    pub(crate) fn solid_cell(&self, cx: i64, cy: i64) -> bool {
        let side = self.terrain.side() as i64;
        if cx < 0 || cy < 0 || cx >= side || cy >= side {
            return false;
        }
        let id = self.occupancy[(cy * side + cx) as usize];
        if id == 0 {
            return false;
        }
        let Some(s) = self.structures.get(&EntityId(id)) else {
            return false;
        };
        let Some(def) = self.content.item(s.item) else {
            return false;
        };
        def.solid && !(def.door && s.open)
    }

    /// Whether a circle may not stand at `p`: water, a solid structure or off the map,
    /// in one pass over the few cells its bounding box touches.
    pub(crate) fn blocked(&self, p: Vec2, r: f32) -> bool {
        let cell = Terrain::CELL;
        for cy in cell_axis(p.y - r)..=cell_axis(p.y + r) {
            for cx in cell_axis(p.x - r)..=cell_axis(p.x + r) {
                let wet = self.terrain.biome_cell(cx, cy) == crate::Biome::Water;
                if (wet || self.solid_cell(cx, cy)) && circle_hits_cell(p, r, cx, cy, cell) {
                    return true;
                }
            }
        }
        false
    }

    fn clamp(&self, p: Vec2, r: f32) -> Vec2 {
        let max = self.world_size - r;
        let fix = |v: f32| if v.is_finite() { v.clamp(r, max) } else { r };
        Vec2::new(fix(p.x), fix(p.y))
    }

    /// Moves a circle by `delta`; when the straight move is blocked, one axis at a time
    /// so it slides along walls and shores. A circle that is already stuck (a wall built
    /// around it) may move freely to get out.
    pub(crate) fn slide(&self, from: Vec2, delta: Vec2, r: f32) -> Vec2 {
        let straight = self.clamp(from + delta, r);
        if !self.blocked(straight, r) {
            return straight;
        }
        let stuck = self.blocked(from, r);
        let mut p = from;
        let tx = self.clamp(Vec2::new(p.x + delta.x, p.y), r);
        if stuck || !self.blocked(tx, r) {
            p = tx;
        }
        let ty = self.clamp(Vec2::new(p.x, p.y + delta.y), r);
        if stuck || !self.blocked(ty, r) {
            p = ty;
        }
        p
    }
}

/// The cell index along one axis; `floor` only for negatives (the common case is a
/// plain truncation, which matters in the hot movement loop).
fn cell_axis(v: f32) -> i64 {
    let c = v / Terrain::CELL;
    if c >= 0.0 { c as i64 } else { c.floor() as i64 }
}

/// Whether a circle may not stand at `p`.
pub(crate) fn blocked(world: &World, p: Vec2, r: f32) -> bool {
    Ground::of(world).blocked(p, r)
}

/// Moves a circle by `delta`, sliding along obstacles (see [`Ground::slide`]).
pub(crate) fn slide(world: &World, from: Vec2, delta: Vec2, r: f32) -> Vec2 {
    Ground::of(world).slide(from, delta, r)
}

fn speed_of(c: &GameConfig, p: &Player, moving: bool) -> (f32, bool) {
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

/// Moves every living player by their input and knockback, in one pass.
pub(crate) fn run(world: &mut World) {
    let c = &world.config;
    let (dt, r) = (c.dt(), c.player_radius);
    let cost = c.sprint_stamina_per_s * dt;
    let ground = Ground {
        terrain: &world.terrain,
        occupancy: &world.occupancy,
        structures: &world.structures,
        content: &world.content,
        world_size: c.world_size,
    };
    for (id, p) in world.players.iter_mut() {
        if p.respawn_at.is_some() {
            continue;
        }
        let dir = Vec2::new(p.input.move_x, p.input.move_y).clamp_length(1.0);
        let moving = dir.length_squared() > 1e-6;
        let (speed, sprinting) = speed_of(c, p, moving);
        let delta = dir * (speed * dt) + p.knock * dt;
        let from = p.pos;
        let to = if delta.length_squared() > 0.0 {
            ground.slide(from, delta, r)
        } else {
            from
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
}
