//! What a delta needs to know about an entity changed since a base tick — where it
//! was in the base frame, which fields changed and their encoded bytes — is the same
//! for every client whose delta has that base. [`ChangeTables`] works it out once per
//! (frame, base frame) on each thread and hands it to every such client, so a client's
//! delta costs a table read per changed entity instead of a look-up, a comparison and
//! an encoding.

use sim_core::Vec2;

use crate::codec::writer::Writer;
use crate::msg::entity::EntityChange;
use crate::replica::frame::{Compact, FrameCore};

/// [`ChangeRec::mask`] of an entity that must be sent whole (another kind, lost player
/// info, a position jump beyond `i32`).
pub(crate) const ENTER: u8 = 0xff;

/// Encoded fields of a change at most: two 5-byte `svar`s, three bytes and a 3-byte
/// subtype.
const MAX_FIELD_BYTES: usize = 16;

/// One entity of the current frame against the base frame.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChangeRec {
    /// Which fill of the table wrote this record.
    stamp: u32,
    /// Index in the base frame, or `u32::MAX` when the entity is not in it.
    pub base: u32,
    /// Position in the base frame.
    pub base_pos: Vec2,
    /// In the same grid cell then as now.
    pub same_cell: bool,
    /// The change's field mask (see `EntityChange`): 0 when the replicated state is
    /// the same (only the exact position moved), [`ENTER`] when it cannot be a change.
    pub mask: u8,
    len: u8,
    bytes: [u8; MAX_FIELD_BYTES],
}

impl Default for ChangeRec {
    fn default() -> Self {
        Self {
            stamp: 0,
            base: u32::MAX,
            base_pos: Vec2::ZERO,
            same_cell: false,
            mask: 0,
            len: 0,
            bytes: [0; MAX_FIELD_BYTES],
        }
    }
}

impl ChangeRec {
    /// The change's fields as `EntityChange::put_fields` writes them after the id,
    /// without the player info (written from the frame when [`ChangeRec::mask`] has it).
    pub(crate) fn field_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// The records of one (frame, base frame) pair, filled as clients ask for them.
#[derive(Debug)]
struct ChangeTable {
    frame: u64,
    base: u64,
    stamp: u32,
    last_used: u64,
    recs: Vec<ChangeRec>,
}

/// A thread's change tables: a few, since the clients a thread serves in one tick
/// acknowledged one of a few recent ticks.
#[derive(Debug, Default)]
pub(crate) struct ChangeTables {
    tables: Vec<ChangeTable>,
    clock: u64,
    stamps: u32,
    scratch: Vec<u8>,
}

/// Tables kept per thread.
const TABLES: usize = 4;

/// The table of one pair, borrowed for one delta.
pub(crate) struct PairTable<'a> {
    table: &'a mut ChangeTable,
    scratch: &'a mut Vec<u8>,
}

impl ChangeTables {
    /// The table for entities of `f` against `b` (frames of one chain).
    pub(crate) fn pair(&mut self, f: &FrameCore, b: &FrameCore) -> PairTable<'_> {
        self.clock += 1;
        let key = (f.serial, b.serial);
        let k = match self.tables.iter().position(|t| (t.frame, t.base) == key) {
            Some(k) => k,
            None => {
                self.stamps = self.stamps.wrapping_add(1);
                if self.stamps == 0 {
                    // Stamps wrapped: no record may look filled by accident.
                    self.tables.clear();
                    self.stamps = 1;
                }
                let fresh = ChangeTable {
                    frame: key.0,
                    base: key.1,
                    stamp: self.stamps,
                    last_used: 0,
                    recs: Vec::new(),
                };
                if self.tables.len() < TABLES {
                    self.tables.push(fresh);
                    self.tables.len() - 1
                } else {
                    let k = (0..self.tables.len())
                        .min_by_key(|k| self.tables[*k].last_used)
                        .unwrap_or(0);
                    let recs = std::mem::take(&mut self.tables[k].recs);
                    self.tables[k] = ChangeTable { recs, ..fresh };
                    k
                }
            }
        };
        let table = &mut self.tables[k];
        table.last_used = self.clock;
        if table.recs.len() < f.compacts.len() {
            table.recs.resize(f.compacts.len(), ChangeRec::default());
        }
        PairTable {
            table,
            scratch: &mut self.scratch,
        }
    }
}

impl PairTable<'_> {
    /// The record of entity `i` of `f` against `b` (the frames this table is for).
    #[inline]
    pub(crate) fn rec(&mut self, f: &FrameCore, b: &FrameCore, i: usize) -> &ChangeRec {
        let stamp = self.table.stamp;
        let r = &mut self.table.recs[i];
        if r.stamp != stamp {
            *r = record(f, b, i, self.scratch);
            r.stamp = stamp;
        }
        r
    }
}

#[inline(never)]
fn record(f: &FrameCore, b: &FrameCore, i: usize, scratch: &mut Vec<u8>) -> ChangeRec {
    let c = &f.compacts[i];
    let Some(j) = b.lookup_near(c.id, i) else {
        return ChangeRec {
            mask: ENTER,
            ..ChangeRec::default()
        };
    };
    let o = &b.compacts[j];
    let mut rec = ChangeRec {
        base: j as u32,
        base_pos: b.positions[j],
        same_cell: b.cells[j] == f.cells[i],
        ..ChangeRec::default()
    };
    if o == c {
        return rec;
    }
    match change(o, f, i) {
        None => rec.mask = ENTER,
        Some(ch) => {
            // The player info, rare, is written from the frame when packing.
            rec.mask = ch.mask();
            scratch.clear();
            EntityChange { player: None, ..ch }.put_values(&mut Writer::new(scratch));
            rec.len = scratch.len() as u8;
            rec.bytes[..scratch.len()].copy_from_slice(scratch);
        }
    }
    rec
}

/// The change from `o` (the entity in a base frame) to entity `i` of `f`, or `None`
/// when it cannot be expressed as one (another kind, lost player info, a position jump
/// beyond `i32`) and the entity must be sent whole. Called only for states that differ.
pub(crate) fn change(o: &Compact, f: &FrameCore, i: usize) -> Option<EntityChange> {
    let c = &f.compacts[i];
    if o.kind != c.kind || (c.info_hash == 0 && o.info_hash != 0) {
        return None;
    }
    let moved = if (o.x, o.y) != (c.x, c.y) {
        Some([c.x.checked_sub(o.x)?, c.y.checked_sub(o.y)?])
    } else {
        None
    };
    let pick = |a: u8, b: u8| (a != b).then_some(b);
    Some(EntityChange {
        id: c.id,
        moved,
        angle: pick(o.angle, c.angle),
        health: pick(o.health, c.health),
        flags: pick(o.flags, c.flags),
        subtype: (o.subtype != c.subtype).then_some(c.subtype),
        player: if o.info_hash != c.info_hash {
            f.infos[i].as_deref().cloned()
        } else {
            None
        },
    })
}
