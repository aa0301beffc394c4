//! A uniform spatial grid: cheap "what is near here" for collision, combat and
//! area-of-interest queries.

use crate::{EntityId, EntityKind, Vec2};

/// An axis-aligned rectangle in world units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Top-left corner.
    pub min: Vec2,
    /// Bottom-right corner.
    pub max: Vec2,
}

impl Rect {
    /// A rectangle of `width` × `height` centred on `center`.
    pub fn centered(center: Vec2, width: f32, height: f32) -> Self {
        let half = Vec2::new(width / 2.0, height / 2.0);
        Self {
            min: center - half,
            max: center + half,
        }
    }

    /// Whether `p` lies inside (edges included).
    pub fn contains(&self, p: Vec2) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }
}

/// Buckets of entity ids by square cell. Entities are stored by the cell of their
/// centre, with their kind so hot loops can skip what they do not care about without a
/// lookup; queries widen by the largest entity radius the caller cares about.
#[derive(Debug, Clone)]
pub struct SpatialGrid {
    cell_size: f32,
    cells_per_side: usize,
    cells: Vec<Vec<(EntityId, EntityKind)>>,
}

impl SpatialGrid {
    /// A grid covering a square world of `world_size` with cells of `cell_size`.
    pub fn new(world_size: f32, cell_size: f32) -> Self {
        let cells_per_side = ((world_size / cell_size).ceil() as usize).max(1);
        Self {
            cell_size,
            cells_per_side,
            cells: vec![Vec::new(); cells_per_side * cells_per_side],
        }
    }

    /// Side of one cell in world units.
    pub fn cell_size(&self) -> f32 {
        self.cell_size
    }

    fn axis(&self, v: f32) -> usize {
        // `as usize` truncates toward zero and saturates (NaN and negatives give 0), which
        // for a clamped index is the same as `floor` and cheaper in the hot paths.
        ((v / self.cell_size) as usize).min(self.cells_per_side - 1)
    }

    fn index_of(&self, p: Vec2) -> usize {
        self.axis(p.y) * self.cells_per_side + self.axis(p.x)
    }

    /// Adds `id`, an entity of `kind`, at `p`.
    pub fn insert(&mut self, id: EntityId, kind: EntityKind, p: Vec2) {
        let i = self.index_of(p);
        self.cells[i].push((id, kind));
    }

    /// Removes `id` that was inserted at `p`; returns whether it was found.
    pub fn remove(&mut self, id: EntityId, p: Vec2) -> bool {
        let i = self.index_of(p);
        let cell = &mut self.cells[i];
        if let Some(k) = cell.iter().position(|e| e.0 == id) {
            cell.swap_remove(k);
            true
        } else {
            false
        }
    }

    /// Moves `id` from `from` to `to`, touching the buckets only when the cell changes.
    pub fn relocate(&mut self, id: EntityId, from: Vec2, to: Vec2) {
        let (a, b) = (self.index_of(from), self.index_of(to));
        if a != b
            && let Some(k) = self.cells[a].iter().position(|e| e.0 == id)
        {
            let entry = self.cells[a].swap_remove(k);
            self.cells[b].push(entry);
        }
    }

    /// Calls `f` with every id (and kind) whose cell overlaps `rect`, without allocating.
    pub fn for_each_in(&self, rect: Rect, mut f: impl FnMut(EntityId, EntityKind)) {
        let (x0, x1) = (self.axis(rect.min.x), self.axis(rect.max.x));
        let (y0, y1) = (self.axis(rect.min.y), self.axis(rect.max.y));
        for y in y0..=y1 {
            let row = y * self.cells_per_side;
            for x in x0..=x1 {
                for (id, kind) in &self.cells[row + x] {
                    f(*id, *kind);
                }
            }
        }
    }

    /// Whether `f` holds for any entity whose cell overlaps `rect`; stops at the first.
    pub fn any_in(&self, rect: Rect, mut f: impl FnMut(EntityId, EntityKind) -> bool) -> bool {
        let (x0, x1) = (self.axis(rect.min.x), self.axis(rect.max.x));
        let (y0, y1) = (self.axis(rect.min.y), self.axis(rect.max.y));
        for y in y0..=y1 {
            let row = y * self.cells_per_side;
            for x in x0..=x1 {
                if self.cells[row + x].iter().any(|(id, kind)| f(*id, *kind)) {
                    return true;
                }
            }
        }
        false
    }

    /// Appends to `out` every id whose cell overlaps `rect`. Ids come in cell order;
    /// callers that need a canonical order sort them.
    pub fn query(&self, rect: Rect, out: &mut Vec<EntityId>) {
        let (x0, x1) = (self.axis(rect.min.x), self.axis(rect.max.x));
        let (y0, y1) = (self.axis(rect.min.y), self.axis(rect.max.y));
        for y in y0..=y1 {
            let row = y * self.cells_per_side;
            for x in x0..=x1 {
                out.extend(self.cells[row + x].iter().map(|e| e.0));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_finds_inserted_and_relocated_entities() {
        let mut g = SpatialGrid::new(1000.0, 100.0);
        g.insert(EntityId(1), EntityKind::Player, Vec2::new(50.0, 50.0));
        g.insert(EntityId(2), EntityKind::Node, Vec2::new(950.0, 950.0));
        let mut out = Vec::new();
        g.query(Rect::centered(Vec2::new(60.0, 60.0), 50.0, 50.0), &mut out);
        assert_eq!(out, vec![EntityId(1)]);
        g.relocate(EntityId(1), Vec2::new(50.0, 50.0), Vec2::new(900.0, 900.0));
        out.clear();
        g.query(Rect::centered(Vec2::new(60.0, 60.0), 50.0, 50.0), &mut out);
        assert!(out.is_empty());
        out.clear();
        g.query(
            Rect::centered(Vec2::new(900.0, 900.0), 200.0, 200.0),
            &mut out,
        );
        out.sort();
        assert_eq!(out, vec![EntityId(1), EntityId(2)]);
    }

    #[test]
    fn out_of_world_and_nan_points_clamp_to_edge_cells() {
        let mut g = SpatialGrid::new(100.0, 10.0);
        g.insert(EntityId(7), EntityKind::LootBag, Vec2::new(f32::NAN, -5.0));
        g.insert(EntityId(8), EntityKind::Creature, Vec2::new(1e9, 1e9));
        let mut out = Vec::new();
        g.query(
            Rect {
                min: Vec2::new(-1e9, -1e9),
                max: Vec2::new(1e9, 1e9),
            },
            &mut out,
        );
        out.sort();
        assert_eq!(out, vec![EntityId(7), EntityId(8)]);
    }
}
