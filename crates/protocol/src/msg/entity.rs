//! Replicated entity state: full entries, field-wise changes, snapshots and deltas.

use serde::{Deserialize, Serialize};
use sim_core::EntityKind;

use crate::codec::reader::Reader;
use crate::codec::writer::Writer;
use crate::codec::{Body, Validate, check_ascending, check_len, get_opt, put_opt};
use crate::limits::{MAX_NAME_BYTES, MAX_SNAPSHOT_ENTITIES};
use crate::{DecodeError, EncodeError};

/// Public facts about a player entity: sent when it enters view or when they change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlayerInfo {
    /// Display name (at most [`MAX_NAME_BYTES`] bytes).
    pub name: String,
    /// Level.
    pub level: u32,
    /// Team id, if in a team.
    pub team: Option<u32>,
}

/// One entity as the client sees it, quantised (see [`crate::quant`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityState {
    /// Entity id.
    pub id: u32,
    /// Category.
    pub kind: EntityKind,
    /// Index into the category's content table.
    pub subtype: u16,
    /// X in world units.
    pub x: i32,
    /// Y in world units.
    pub y: i32,
    /// Facing in 1/256 turns.
    pub angle: u8,
    /// Health percentage 0..=100.
    pub health: u8,
    /// `EntityView::FLAG_*` bits.
    pub flags: u8,
    /// Name, level and team: players only.
    pub player: Option<PlayerInfo>,
}

/// The fields of an entity that differ from the baseline; `None` = unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityChange {
    /// Entity id.
    pub id: u32,
    /// Position change `[dx, dy]` in world units relative to the baseline.
    pub moved: Option<[i32; 2]>,
    /// New facing.
    pub angle: Option<u8>,
    /// New health percentage.
    pub health: Option<u8>,
    /// New flags.
    pub flags: Option<u8>,
    /// New subtype.
    pub subtype: Option<u16>,
    /// New public player facts.
    pub player: Option<PlayerInfo>,
}

/// Every entity in the client's view at `tick`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The tick this view belongs to (acknowledge it in `Input::ack_tick`).
    pub tick: u64,
    /// The last input sequence number the world applied for this client.
    pub last_input_seq: u32,
    /// Entities sorted by ascending id.
    pub entities: Vec<EntityState>,
}

/// The view at `tick` expressed against the view the client had at `base_tick`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delta {
    /// The tick this view belongs to.
    pub tick: u64,
    /// The acknowledged tick it is relative to (strictly earlier).
    pub base_tick: u64,
    /// The last input sequence number the world applied for this client.
    pub last_input_seq: u32,
    /// Ids that left the view, ascending.
    pub removed: Vec<u32>,
    /// Entities that entered the view (or must be replaced whole), ascending.
    pub entered: Vec<EntityState>,
    /// Entities whose fields changed, ascending.
    pub changed: Vec<EntityChange>,
}

/// A [`Delta`] already in its binary form: how [`crate::ClientReplica`] sends the deltas
/// it makes from what changed since the client's baseline, written straight from the
/// frames and from change records shared by the clients with the same base, with no
/// `Delta` built in between. It encodes to the bytes of the `Delta` it stands for
/// (message type 0x85) and serialises to its JSON; [`PackedDelta::unpack`] gives that
/// `Delta`. Decoding never produces one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedDelta {
    pub(crate) tick: u64,
    pub(crate) base_tick: u64,
    pub(crate) last_input_seq: u32,
    /// The payload after tick, base and input sequence: removed, entered and changed.
    pub(crate) body: Vec<u8>,
}

impl PackedDelta {
    /// The tick this view belongs to.
    pub fn tick(&self) -> u64 {
        self.tick
    }

    /// The acknowledged tick it is relative to.
    pub fn base_tick(&self) -> u64 {
        self.base_tick
    }

    /// The `Delta` these bytes stand for.
    pub fn unpack(&self) -> Result<Delta, DecodeError> {
        let mut bytes = Vec::with_capacity(self.body.len() + 16);
        self.put(&mut Writer::new(&mut bytes));
        let mut r = Reader::new(&bytes);
        let d = Delta::get(&mut r)?;
        r.finish()?;
        Ok(d)
    }

    pub(crate) fn put(&self, w: &mut Writer<'_>) {
        w.var(self.tick);
        w.var(self.tick - self.base_tick);
        w.var(u64::from(self.last_input_seq));
        w.bytes(&self.body);
    }
}

/// A delta's base must be an earlier tick than the delta's own.
fn check_base_tick(base_tick: u64, tick: u64) -> Result<(), EncodeError> {
    if base_tick >= tick {
        return Err(EncodeError::InvalidValue {
            field: "delta.base_tick",
            problem: "must be earlier than tick",
        });
    }
    Ok(())
}

impl Validate for PackedDelta {
    fn validate(&self) -> Result<(), EncodeError> {
        check_base_tick(self.base_tick, self.tick)?;
        check_len("delta", self.body.len(), crate::limits::MAX_SNAPSHOT_BYTES)
    }
}

impl Serialize for PackedDelta {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.unpack()
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

pub(crate) const KIND_PLAYER_BIT: u8 = 0x80;
/// Set in the kind byte when the entity is at rest — angle 0, health 100, flags 0 —
/// and those three bytes are left out (most nodes, structures and loot bags).
pub(crate) const KIND_AT_REST_BIT: u8 = 0x40;
pub(crate) const CHANGE_POS: u8 = 1;
pub(crate) const CHANGE_ANGLE: u8 = 2;
pub(crate) const CHANGE_HEALTH: u8 = 4;
pub(crate) const CHANGE_FLAGS: u8 = 8;
pub(crate) const CHANGE_SUBTYPE: u8 = 16;
pub(crate) const CHANGE_PLAYER: u8 = 32;

/// Writes the entry `e` with the player info `player` (not `e.player`): the one encoder
/// of an entry, for [`EntityState::put`] and for deltas written straight from the
/// frames ([`PackedDelta`]), which have the info apart.
pub(crate) fn put_entity(
    w: &mut Writer<'_>,
    prev: Option<u32>,
    e: &EntityState,
    player: Option<&PlayerInfo>,
) {
    w.id_gap(prev, e.id);
    let bit = if player.is_some() { KIND_PLAYER_BIT } else { 0 };
    let at_rest = (e.angle, e.health, e.flags) == (0, 100, 0);
    let rest_bit = if at_rest { KIND_AT_REST_BIT } else { 0 };
    w.u8(kind_to_u8(e.kind) | bit | rest_bit);
    w.var(u64::from(e.subtype));
    w.svar(i64::from(e.x));
    w.svar(i64::from(e.y));
    if !at_rest {
        w.u8(e.angle);
        w.u8(e.health);
        w.u8(e.flags);
    }
    if let Some(p) = player {
        p.put(w);
    }
}

pub(crate) fn kind_to_u8(k: EntityKind) -> u8 {
    k as u8
}

pub(crate) fn kind_from_u8(v: u8, field: &'static str) -> Result<EntityKind, DecodeError> {
    Ok(match v {
        0 => EntityKind::Player,
        1 => EntityKind::Node,
        2 => EntityKind::Creature,
        3 => EntityKind::Structure,
        4 => EntityKind::LootBag,
        5 => EntityKind::Projectile,
        _ => {
            return Err(DecodeError::InvalidValue {
                field,
                value: u64::from(v),
            });
        }
    })
}

impl Validate for PlayerInfo {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len("player.name", self.name.len(), MAX_NAME_BYTES)
    }
}

impl Body for PlayerInfo {
    fn put(&self, w: &mut Writer<'_>) {
        w.str(&self.name);
        w.var(u64::from(self.level));
        put_opt(w, &self.team, |w, t| w.var(u64::from(*t)));
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            name: r.str("player.name", MAX_NAME_BYTES)?,
            level: r.var_u32("player.level")?,
            team: get_opt(r, "player.team", |r| r.var_u32("player.team"))?,
        })
    }
}

impl EntityState {
    /// Writes the entry; its id is gap-coded against the previous entry of the list.
    pub(crate) fn put(&self, w: &mut Writer<'_>, prev: Option<u32>) {
        put_entity(w, prev, self, self.player.as_ref());
    }

    pub(crate) fn get(r: &mut Reader<'_>, prev: Option<u32>) -> Result<Self, DecodeError> {
        let id = r.id_gap(prev, "entity.id")?;
        let kb = r.u8("entity.kind")?;
        let kind = kind_from_u8(kb & !(KIND_PLAYER_BIT | KIND_AT_REST_BIT), "entity.kind")?;
        let subtype = r.var_u16("entity.subtype")?;
        let x = r.svar_i32("entity.x")?;
        let y = r.svar_i32("entity.y")?;
        let (angle, health, flags) = if kb & KIND_AT_REST_BIT != 0 {
            (0, 100, 0)
        } else {
            (
                r.u8("entity.angle")?,
                r.u8("entity.health")?,
                r.u8("entity.flags")?,
            )
        };
        Ok(Self {
            id,
            kind,
            subtype,
            x,
            y,
            angle,
            health,
            flags,
            player: if kb & KIND_PLAYER_BIT != 0 {
                Some(PlayerInfo::get(r)?)
            } else {
                None
            },
        })
    }
}

impl EntityChange {
    /// Applies the changed fields to `e` (the same entity in the base view). A move
    /// that overflows the coordinate is an error and leaves `e` as it was.
    pub fn apply_to(&self, e: &mut EntityState) -> Result<(), crate::ApplyError> {
        if let Some([dx, dy]) = self.moved {
            let overflow = crate::ApplyError::Overflow(self.id);
            let x = e.x.checked_add(dx).ok_or(overflow.clone())?;
            e.y = e.y.checked_add(dy).ok_or(overflow)?;
            e.x = x;
        }
        if let Some(a) = self.angle {
            e.angle = a;
        }
        if let Some(h) = self.health {
            e.health = h;
        }
        if let Some(f) = self.flags {
            e.flags = f;
        }
        if let Some(s) = self.subtype {
            e.subtype = s;
        }
        if let Some(p) = &self.player {
            e.player = Some(p.clone());
        }
        Ok(())
    }

    /// The `CHANGE_*` bits of the fields it changes.
    pub(crate) fn mask(&self) -> u8 {
        let mut m = 0;
        m |= if self.moved.is_some() { CHANGE_POS } else { 0 };
        m |= if self.angle.is_some() {
            CHANGE_ANGLE
        } else {
            0
        };
        m |= if self.health.is_some() {
            CHANGE_HEALTH
        } else {
            0
        };
        m |= if self.flags.is_some() {
            CHANGE_FLAGS
        } else {
            0
        };
        m |= if self.subtype.is_some() {
            CHANGE_SUBTYPE
        } else {
            0
        };
        m |= if self.player.is_some() {
            CHANGE_PLAYER
        } else {
            0
        };
        m
    }

    /// Writes the change without its mask (the mask heads its group); the id is
    /// gap-coded against the previous change of the group.
    pub(crate) fn put_fields(&self, w: &mut Writer<'_>, prev: Option<u32>) {
        w.id_gap(prev, self.id);
        self.put_values(w);
    }

    /// Writes the changed values in their wire order, without id and mask.
    pub(crate) fn put_values(&self, w: &mut Writer<'_>) {
        if let Some([dx, dy]) = self.moved {
            w.svar(i64::from(dx));
            w.svar(i64::from(dy));
        }
        for v in [self.angle, self.health, self.flags].into_iter().flatten() {
            w.u8(v);
        }
        if let Some(s) = self.subtype {
            w.var(u64::from(s));
        }
        if let Some(p) = &self.player {
            p.put(w);
        }
    }

    /// Reads a change of the group with this `mask` (already checked).
    pub(crate) fn get_fields(
        r: &mut Reader<'_>,
        prev: Option<u32>,
        mask: u8,
    ) -> Result<Self, DecodeError> {
        let id = r.id_gap(prev, "change.id")?;
        let mut c = EntityChange {
            id,
            ..Default::default()
        };
        if mask & CHANGE_POS != 0 {
            c.moved = Some([r.svar_i32("change.dx")?, r.svar_i32("change.dy")?]);
        }
        if mask & CHANGE_ANGLE != 0 {
            c.angle = Some(r.u8("change.angle")?);
        }
        if mask & CHANGE_HEALTH != 0 {
            c.health = Some(r.u8("change.health")?);
        }
        if mask & CHANGE_FLAGS != 0 {
            c.flags = Some(r.u8("change.flags")?);
        }
        if mask & CHANGE_SUBTYPE != 0 {
            c.subtype = Some(r.var_u16("change.subtype")?);
        }
        if mask & CHANGE_PLAYER != 0 {
            c.player = Some(PlayerInfo::get(r)?);
        }
        Ok(c)
    }
}

/// Smallest encoded entity entry: id, kind, subtype, x, y (an entity at rest).
const MIN_ENTITY_BYTES: usize = 5;
/// Smallest encoded change within its group: id, one byte of field.
const MIN_CHANGE_BYTES: usize = 2;
/// Smallest encoded group of changes: mask, count, one change.
const MIN_GROUP_BYTES: usize = 2 + MIN_CHANGE_BYTES;
/// Masks that can head a group (bits 0-5).
const MASKS: usize = 64;

/// Writes `changed` (ascending ids) grouped by mask: the groups in ascending mask
/// order, each its mask, its count and its changes (ascending ids, gap-coded within
/// the group) without their masks. Most changes of a tick share a few masks (moved
/// and turned, say), so this saves most of a byte per change.
fn put_changes(w: &mut Writer<'_>, changed: &[EntityChange]) {
    // On the stack for any valid delta: this runs for every client's every delta.
    let mut stack = [0u8; MAX_SNAPSHOT_ENTITIES];
    let mut heap = Vec::new();
    let masks: &mut [u8] = match stack.get_mut(..changed.len()) {
        Some(m) => m,
        None => {
            heap.resize(changed.len(), 0);
            &mut heap
        }
    };
    let mut counts = [0u32; MASKS];
    for (m, c) in masks.iter_mut().zip(changed) {
        *m = c.mask();
        counts[usize::from(*m) % MASKS] += 1;
    }
    let masks = &*masks;
    w.var(counts.iter().filter(|n| **n > 0).count() as u64);
    for (mask, n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        w.u8(mask as u8);
        w.var(u64::from(*n));
        let mut prev = None;
        for (c, _) in changed
            .iter()
            .zip(masks)
            .filter(|(_, m)| usize::from(**m) == mask)
        {
            c.put_fields(w, prev);
            prev = Some(c.id);
        }
    }
}

/// Reads what [`put_changes`] wrote, back in one list by ascending id. Groups out of
/// mask order, empty groups, and an id in two groups are errors (so every delta has
/// one encoding).
fn get_changes(r: &mut Reader<'_>) -> Result<Vec<EntityChange>, DecodeError> {
    let groups = r.count("delta.changed", MASKS - 1, MIN_GROUP_BYTES)?;
    let mut changed: Vec<EntityChange> = Vec::new();
    let mut last_mask = 0;
    for _ in 0..groups {
        let mask = r.u8("change.mask")?;
        if mask <= last_mask || usize::from(mask) >= MASKS {
            return Err(DecodeError::InvalidValue {
                field: "change.mask",
                value: u64::from(mask),
            });
        }
        last_mask = mask;
        let room = MAX_SNAPSHOT_ENTITIES - changed.len();
        let n = r.count("delta.changed", room, MIN_CHANGE_BYTES)?;
        if n == 0 {
            return Err(DecodeError::InvalidValue {
                field: "delta.changed",
                value: 0,
            });
        }
        changed.reserve_exact(n);
        let mut prev = None;
        for _ in 0..n {
            let c = EntityChange::get_fields(r, prev, mask)?;
            prev = Some(c.id);
            changed.push(c);
        }
    }
    changed.sort_unstable_by_key(|c| c.id);
    if let Some(pair) = changed.windows(2).find(|p| p[0].id == p[1].id) {
        return Err(DecodeError::InvalidValue {
            field: "change.id",
            value: u64::from(pair[1].id),
        });
    }
    Ok(changed)
}

fn validate_entities(field: &'static str, list: &[EntityState]) -> Result<(), EncodeError> {
    check_len(field, list.len(), MAX_SNAPSHOT_ENTITIES)?;
    check_ascending(field, list.iter().map(|e| e.id))?;
    list.iter()
        .filter_map(|e| e.player.as_ref())
        .try_for_each(Validate::validate)
}

fn put_entities(w: &mut Writer<'_>, list: &[EntityState]) {
    w.var(list.len() as u64);
    let mut prev = None;
    for e in list {
        e.put(w, prev);
        prev = Some(e.id);
    }
}

fn get_entities(r: &mut Reader<'_>, field: &'static str) -> Result<Vec<EntityState>, DecodeError> {
    let n = r.count(field, MAX_SNAPSHOT_ENTITIES, MIN_ENTITY_BYTES)?;
    let mut out = Vec::with_capacity(n);
    let mut prev = None;
    for _ in 0..n {
        let e = EntityState::get(r, prev)?;
        prev = Some(e.id);
        out.push(e);
    }
    Ok(out)
}

impl Validate for Snapshot {
    fn validate(&self) -> Result<(), EncodeError> {
        validate_entities("snapshot.entities", &self.entities)
    }
}

impl Body for Snapshot {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(self.tick);
        w.var(u64::from(self.last_input_seq));
        put_entities(w, &self.entities);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            tick: r.var("snapshot.tick")?,
            last_input_seq: r.var_u32("snapshot.last_input_seq")?,
            entities: get_entities(r, "snapshot.entities")?,
        })
    }
}

impl Validate for Delta {
    fn validate(&self) -> Result<(), EncodeError> {
        check_base_tick(self.base_tick, self.tick)?;
        check_len("delta.removed", self.removed.len(), MAX_SNAPSHOT_ENTITIES)?;
        check_ascending("delta.removed", self.removed.iter().copied())?;
        validate_entities("delta.entered", &self.entered)?;
        check_len("delta.changed", self.changed.len(), MAX_SNAPSHOT_ENTITIES)?;
        check_ascending("delta.changed", self.changed.iter().map(|c| c.id))?;
        for c in &self.changed {
            if c.mask() == 0 {
                return Err(EncodeError::InvalidValue {
                    field: "delta.changed",
                    problem: "a change must change at least one field",
                });
            }
            if let Some(p) = &c.player {
                p.validate()?;
            }
        }
        Ok(())
    }
}

impl Body for Delta {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(self.tick);
        w.var(self.tick - self.base_tick);
        w.var(u64::from(self.last_input_seq));
        w.var(self.removed.len() as u64);
        let mut prev = None;
        for id in &self.removed {
            w.id_gap(prev, *id);
            prev = Some(*id);
        }
        put_entities(w, &self.entered);
        put_changes(w, &self.changed);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let tick = r.var("delta.tick")?;
        let back = r.var("delta.base_back")?;
        if back == 0 || back > tick {
            return Err(DecodeError::InvalidValue {
                field: "delta.base_back",
                value: back,
            });
        }
        let last_input_seq = r.var_u32("delta.last_input_seq")?;
        let n = r.count("delta.removed", MAX_SNAPSHOT_ENTITIES, 1)?;
        let mut removed = Vec::with_capacity(n);
        let mut prev = None;
        for _ in 0..n {
            let id = r.id_gap(prev, "delta.removed")?;
            prev = Some(id);
            removed.push(id);
        }
        let entered = get_entities(r, "delta.entered")?;
        let changed = get_changes(r)?;
        Ok(Self {
            tick,
            base_tick: tick - back,
            last_input_seq,
            removed,
            entered,
            changed,
        })
    }
}
