//! The ground: biomes and water on a grid of 40 u cells, generated from the seed by
//! smooth value noise, plus a river that meanders across the map.

use serde::{Deserialize, Serialize};

use crate::Vec2;

/// The kind of ground under a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Biome {
    /// Lakes and the river: blocks walking, players drink here.
    Water = 0,
    /// Trees, berries, wolves and rabbits.
    Forest = 1,
    /// Open grass: bushes, fiber, rabbits.
    Meadow = 2,
    /// Sand: cacti and scorpions.
    Desert = 3,
    /// Rocks, ore and bears.
    Mountains = 4,
    /// Cold at night; rocks and ore.
    Snow = 5,
}

impl Biome {
    /// The biome with this id (`as u8`), if any.
    pub fn from_id(id: u8) -> Option<Biome> {
        Some(match id {
            0 => Biome::Water,
            1 => Biome::Forest,
            2 => Biome::Meadow,
            3 => Biome::Desert,
            4 => Biome::Mountains,
            5 => Biome::Snow,
            _ => return None,
        })
    }
}

/// Smooth 2D value noise: random values on an integer lattice, blended with a
/// smoothstep. Hash-based, so it needs no table and depends only on the seed.
fn lattice(seed: u64, x: i32, y: i32) -> f32 {
    let mut h = seed ^ (x as u32 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^= (y as u32 as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    h ^= h >> 31;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 29;
    h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^= h >> 32;
    (h >> 40) as f32 / (1u64 << 24) as f32
}

fn value_noise(seed: u64, x: f32, y: f32) -> f32 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (ix, iy) = (x0 as i32, y0 as i32);
    let s = |t: f32| t * t * (3.0 - 2.0 * t);
    let (sx, sy) = (s(fx), s(fy));
    let a = lattice(seed, ix, iy);
    let b = lattice(seed, ix + 1, iy);
    let c = lattice(seed, ix, iy + 1);
    let d = lattice(seed, ix + 1, iy + 1);
    let top = a + (b - a) * sx;
    let bottom = c + (d - c) * sx;
    top + (bottom - top) * sy
}

/// Three octaves of value noise, 0..1, with features about `scale` units wide.
fn fractal(seed: u64, p: Vec2, scale: f32) -> f32 {
    let mut sum = 0.0;
    let mut amp = 0.5;
    let mut freq = 1.0 / scale;
    let mut norm = 0.0;
    for octave in 0..3u64 {
        sum += amp * value_noise(seed.wrapping_add(octave * 7919), p.x * freq, p.y * freq);
        norm += amp;
        amp *= 0.5;
        freq *= 2.0;
    }
    sum / norm
}

/// The biome map of one world.
#[derive(Debug, Clone, PartialEq)]
pub struct Terrain {
    cell: f32,
    side: usize,
    cells: Vec<Biome>,
}

impl Terrain {
    /// Side of one terrain cell in world units (also the building grid).
    pub const CELL: f32 = 40.0;

    /// Generates the biome map of a world `world_size` across from `seed`.
    pub fn generate(seed: u64, world_size: f32) -> Self {
        let cell = Self::CELL;
        let side = ((world_size / cell).ceil() as usize).max(1);
        let mut cells = Vec::with_capacity(side * side);
        let river = River::new(seed, world_size);
        for cy in 0..side {
            for cx in 0..side {
                let p = Vec2::new((cx as f32 + 0.5) * cell, (cy as f32 + 0.5) * cell);
                cells.push(classify(seed, p, world_size, &river));
            }
        }
        Self { cell, side, cells }
    }

    /// Cells per side.
    pub fn side(&self) -> usize {
        self.side
    }

    /// The biome of every cell, row by row (ids are `Biome as u8`).
    pub fn cells(&self) -> &[Biome] {
        &self.cells
    }

    /// The biome ids (`Biome as u8`) of every `step`-th cell in both directions, row by
    /// row: a compact map for the client (step 1 is the full 40 u grid; step 2 gives
    /// 80 u cells, 2,500 bytes for the default world). Returns (cells per side, ids).
    pub fn coarse_ids(&self, step: usize) -> (usize, Vec<u8>) {
        let step = step.clamp(1, self.side);
        let n = self.side.div_ceil(step);
        let mut out = Vec::with_capacity(n * n);
        for cy in (0..self.side).step_by(step) {
            for cx in (0..self.side).step_by(step) {
                out.push(self.cells[cy * self.side + cx] as u8);
            }
        }
        (n, out)
    }

    /// The cell holding `p`, clamped to the map.
    pub fn cell_of(&self, p: Vec2) -> (usize, usize) {
        let axis = |v: f32| {
            let c = (v / self.cell).floor();
            if c.is_nan() || c < 0.0 {
                0
            } else {
                (c as usize).min(self.side - 1)
            }
        };
        (axis(p.x), axis(p.y))
    }

    /// The biome at cell (`cx`, `cy`); outside the map is water.
    pub fn biome_cell(&self, cx: i64, cy: i64) -> Biome {
        if cx < 0 || cy < 0 || cx >= self.side as i64 || cy >= self.side as i64 {
            return Biome::Water;
        }
        self.cells[cy as usize * self.side + cx as usize]
    }

    /// The biome under `p`.
    pub fn biome_at(&self, p: Vec2) -> Biome {
        let (cx, cy) = self.cell_of(p);
        self.cells[cy * self.side + cx]
    }

    /// Whether a circle at `p` of radius `r` touches water.
    pub fn circle_touches_water(&self, p: Vec2, r: f32) -> bool {
        let x0 = ((p.x - r) / self.cell).floor() as i64;
        let x1 = ((p.x + r) / self.cell).floor() as i64;
        let y0 = ((p.y - r) / self.cell).floor() as i64;
        let y1 = ((p.y + r) / self.cell).floor() as i64;
        for cy in y0..=y1 {
            for cx in x0..=x1 {
                if self.biome_cell(cx, cy) == Biome::Water
                    && circle_hits_cell(p, r, cx, cy, self.cell)
                {
                    return true;
                }
            }
        }
        false
    }
}

/// Whether the circle at `p`, radius `r`, overlaps the square cell (`cx`, `cy`).
pub(crate) fn circle_hits_cell(p: Vec2, r: f32, cx: i64, cy: i64, cell: f32) -> bool {
    let (minx, miny) = (cx as f32 * cell, cy as f32 * cell);
    let nx = p.x.clamp(minx, minx + cell);
    let ny = p.y.clamp(miny, miny + cell);
    let (dx, dy) = (p.x - nx, p.y - ny);
    dx * dx + dy * dy < r * r
}

/// A river flowing from the top edge to the bottom, its x wandering with noise.
struct River {
    seed: u64,
    base_x: f32,
    swing: f32,
    half_width: f32,
}

impl River {
    fn new(seed: u64, world_size: f32) -> Self {
        let t = lattice(seed ^ 0x0052_4956_4552, 3, 7);
        Self {
            seed: seed ^ 0x0072_6976_6572,
            base_x: world_size * (0.25 + 0.5 * t),
            swing: world_size * 0.12,
            half_width: 36.0,
        }
    }

    fn contains(&self, p: Vec2) -> bool {
        let wander = value_noise(self.seed, 0.5, p.y / 700.0) * 2.0 - 1.0;
        let x = self.base_x + wander * self.swing;
        (p.x - x).abs() < self.half_width
    }
}

fn classify(seed: u64, p: Vec2, world_size: f32, river: &River) -> Biome {
    let elevation = fractal(seed, p, 900.0);
    let moisture = fractal(seed ^ 0xA5A5_A5A5, p, 1100.0);
    // Colder toward the top of the map, with noise so the snow line is ragged.
    let warmth = 0.65 * (p.y / world_size) + 0.35 * fractal(seed ^ 0x5A5A_5A5A, p, 1300.0);
    if elevation < 0.3 || river.contains(p) {
        Biome::Water
    } else if elevation > 0.68 {
        if warmth < 0.35 {
            Biome::Snow
        } else {
            Biome::Mountains
        }
    } else if warmth < 0.22 {
        Biome::Snow
    } else if moisture < 0.4 && warmth > 0.45 {
        Biome::Desert
    } else if moisture > 0.52 {
        Biome::Forest
    } else {
        Biome::Meadow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_map_and_every_biome_appears() {
        let a = Terrain::generate(42, 4000.0);
        let b = Terrain::generate(42, 4000.0);
        assert_eq!(a, b);
        for biome in [
            Biome::Water,
            Biome::Forest,
            Biome::Meadow,
            Biome::Desert,
            Biome::Mountains,
            Biome::Snow,
        ] {
            let n = a.cells().iter().filter(|c| **c == biome).count();
            assert!(n > 50, "{biome:?} covers only {n} cells");
        }
        let water = a.cells().iter().filter(|c| **c == Biome::Water).count();
        assert!(water < a.cells().len() / 3, "too much water: {water}");
    }

    #[test]
    fn coarse_ids_sample_the_grid() {
        let t = Terrain::generate(9, 4000.0);
        let (side, ids) = t.coarse_ids(2);
        assert_eq!((side, ids.len()), (50, 2500));
        assert_eq!(ids[51], t.biome_cell(2, 2) as u8);
        assert_eq!(t.coarse_ids(0).1.len(), 10_000);
        assert!(ids.iter().all(|b| Biome::from_id(*b).is_some()));
    }

    #[test]
    fn outside_is_water_and_circles_detect_it() {
        let t = Terrain::generate(1, 400.0);
        assert_eq!(t.biome_cell(-1, 0), Biome::Water);
        assert!(t.circle_touches_water(Vec2::new(5.0, 200.0), 24.0));
    }
}
