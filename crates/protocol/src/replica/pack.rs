//! A delta written straight into its binary form ([`PackedDelta`]) from what the
//! change-driven scan marked and from the change records shared by the clients with
//! the same base, with no `Delta` built in between: the bytes the `Delta` with the
//! same entries and changes encodes to (a test checks it against the full comparison,
//! which builds one).

use crate::codec::Body;
use crate::codec::writer::Writer;
use crate::limits::{MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_ENTITIES};
use crate::msg::entity::{CHANGE_PLAYER, PackedDelta, put_entity};
use crate::replica::changes::{ENTER, PairTable};
use crate::replica::client::{KnownNames, each_bit};
use crate::replica::frame::FrameCore;

/// What the scan marked: entities of the current frame to send (entered or changed),
/// entities of the base frame that left, and for each marked entity its index in the
/// base frame when it was in the base view (else `u32::MAX`).
pub(crate) struct Marked<'a> {
    pub now: &'a [u64],
    pub gone: &'a [u64],
    pub base_of: &'a [u32],
}

/// Working memory of [`pack_delta`], kept per thread.
#[derive(Debug, Clone, Default)]
pub(crate) struct PackScratch {
    /// The entries (current frame indices).
    entered: Vec<u32>,
    /// The changes written so far, by field mask.
    groups: Groups,
    /// The changes that carry a player info (current frame indices).
    carried: Vec<u32>,
}

/// The marked delta of `f` against base frame `b` (tick `bt`), packed; `None` when it
/// does not fit a message. Records the player infos it carries in `names`.
pub(crate) fn pack_delta(
    b: &FrameCore,
    f: &FrameCore,
    bt: u64,
    marked: Marked<'_>,
    scratch: &mut PackScratch,
    table: &mut PairTable<'_>,
    names: &mut KnownNames,
) -> Option<PackedDelta> {
    let Marked { now, gone, base_of } = marked;
    let removed = ones(gone);
    let mut size = 32 + 5 * removed;
    let PackScratch {
        entered,
        groups,
        carried,
    } = scratch;
    entered.clear();
    carried.clear();
    groups.reset();
    // One pass: entries are listed, changes written at once into their mask's group
    // (ids ascending within each, as the bits are read in id order).
    let mut changes = 0;
    each_bit(now, |i| {
        size += usize::from(f.wire_lens[i]);
        let rec = (base_of[i] != u32::MAX)
            .then(|| table.rec(f, b, i))
            .filter(|r| r.mask != ENTER);
        match rec {
            Some(rec) => {
                let (mask, c) = (rec.mask, &f.compacts[i]);
                let (bytes, prev) = groups.open(mask);
                let mut w = Writer::new(bytes);
                w.id_gap(*prev, c.id);
                w.bytes(rec.field_bytes());
                if mask & CHANGE_PLAYER != 0
                    && let Some(info) = f.infos[i].as_deref()
                {
                    info.put(&mut w);
                }
                *prev = Some(c.id);
                changes += 1;
                if mask & CHANGE_PLAYER != 0 {
                    carried.push(i as u32);
                }
            }
            None => entered.push(i as u32),
        }
    });
    let fits = size <= MAX_SNAPSHOT_BYTES
        && removed <= MAX_SNAPSHOT_ENTITIES
        && entered.len() <= MAX_SNAPSHOT_ENTITIES
        && changes <= MAX_SNAPSHOT_ENTITIES;
    if !fits {
        return None;
    }
    let mut body = Vec::with_capacity(3 * removed + 24 * entered.len() + groups.len() + 8);
    let mut w = Writer::new(&mut body);
    w.var(removed as u64);
    let mut prev = None;
    each_bit(gone, |j| {
        let id = b.compacts[j].id;
        w.id_gap(prev, id);
        prev = Some(id);
    });
    // Entries decide on the names the client had before this message; what the
    // message carries is recorded after.
    w.var(entered.len() as u64);
    let mut prev = None;
    let mut named = Vec::new();
    for i in entered.iter().map(|i| *i as usize) {
        let c = &f.compacts[i];
        let known = c.info_hash != 0 && names.has(c.id, c.info_hash);
        let info = if known { None } else { f.infos[i].as_deref() };
        if info.is_some() {
            named.push(i);
        }
        put_entity(&mut w, prev, &f.state_without_info(i), info);
        prev = Some(c.id);
    }
    groups.write(&mut w);
    // Recorded in the order `KnownNames::record` reads a `Delta`: entries, then changes.
    for i in named.into_iter().chain(carried.iter().map(|i| *i as usize)) {
        if let Some(info) = f.infos[i].as_deref() {
            names.sent(f.compacts[i].id, info);
        }
    }
    Some(PackedDelta {
        tick: f.tick,
        base_tick: bt,
        last_input_seq: 0,
        body,
    })
}

/// The changes of a packed delta being written, one group per field mask: each group's
/// bytes, its count and its last id.
#[derive(Debug, Clone)]
struct Groups {
    bytes: Vec<Vec<u8>>,
    counts: [u32; CHANGE_MASKS],
    prev: [Option<u32>; CHANGE_MASKS],
}

impl Default for Groups {
    fn default() -> Self {
        Self {
            bytes: vec![Vec::new(); CHANGE_MASKS],
            counts: [0; CHANGE_MASKS],
            prev: [None; CHANGE_MASKS],
        }
    }
}

impl Groups {
    fn reset(&mut self) {
        for (m, n) in self.counts.iter_mut().enumerate() {
            if *n > 0 {
                self.bytes[m].clear();
                *n = 0;
                self.prev[m] = None;
            }
        }
    }

    /// The buffer and last id of `mask`'s group, counting one more change in it.
    fn open(&mut self, mask: u8) -> (&mut Vec<u8>, &mut Option<u32>) {
        let m = usize::from(mask) % CHANGE_MASKS;
        self.counts[m] += 1;
        (&mut self.bytes[m], &mut self.prev[m])
    }

    /// Bytes of all groups.
    fn len(&self) -> usize {
        self.bytes.iter().map(Vec::len).sum::<usize>() + 4 * CHANGE_MASKS
    }

    /// Writes the groups as a delta's changes: their count, then each group (ascending
    /// mask) as mask, count and changes.
    fn write(&self, w: &mut Writer<'_>) {
        w.var(self.counts.iter().filter(|n| **n > 0).count() as u64);
        for (m, n) in self.counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            w.u8(m as u8);
            w.var(u64::from(*n));
            w.bytes(&self.bytes[m]);
        }
    }
}

fn ones(bits: &[u64]) -> usize {
    bits.iter().map(|w| w.count_ones() as usize).sum()
}

/// Field masks a change group can have (bits 0-5).
const CHANGE_MASKS: usize = 64;
