//! The state only its owner sees: meters, inventory, equipment, crafting, experience.

use serde::{Deserialize, Serialize};
use sim_core::{EntityId, ItemStack, PrivateView};

use crate::codec::reader::Reader;
use crate::codec::writer::Writer;
use crate::codec::{Body, Validate, check_len};
use crate::limits::MAX_INVENTORY_SLOTS;
use crate::quant::meter_to_u8;
use crate::{DecodeError, EncodeError};

/// A craft in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crafting {
    /// Recipe index.
    pub recipe: u16,
    /// Ticks until done.
    pub ticks_left: u32,
}

/// The chest the owner has open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChestView {
    /// The chest entity.
    pub entity: u32,
    /// Its slots.
    pub slots: Vec<Option<ItemStack>>,
}

/// The owner's private state at `tick`; sent only when it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateState {
    /// The tick it describes.
    pub tick: u64,
    /// The player's entity.
    pub entity: u32,
    /// Health 0..=100, whole points.
    pub health: u8,
    /// Hunger 0..=100 (100 = full).
    pub hunger: u8,
    /// Thirst 0..=100 (100 = quenched).
    pub thirst: u8,
    /// Stamina 0..=100.
    pub stamina: u8,
    /// Dead and waiting to respawn.
    pub dead: bool,
    /// Selected slot.
    pub selected_slot: u8,
    /// Inventory slots.
    pub inventory: Vec<Option<ItemStack>>,
    /// Equipment: head, body, hand.
    pub equipment: [Option<ItemStack>; 3],
    /// Current craft.
    pub crafting: Option<Crafting>,
    /// Total experience.
    pub xp: u64,
    /// Level.
    pub level: u32,
    /// The open chest, if any.
    pub chest: Option<ChestView>,
}

/// The slots a private state carries: the first [`MAX_INVENTORY_SLOTS`].
fn carried(slots: &[Option<ItemStack>]) -> &[Option<ItemStack>] {
    &slots[..slots.len().min(MAX_INVENTORY_SLOTS)]
}

impl PrivateState {
    /// The wire form of a simulation private view at `tick` (with no chest open; see
    /// [`PrivateState::with_chest`]).
    pub fn from_view(tick: u64, v: &PrivateView) -> Self {
        Self {
            tick,
            entity: v.entity.0,
            health: meter_to_u8(v.health),
            hunger: meter_to_u8(v.hunger),
            thirst: meter_to_u8(v.thirst),
            stamina: meter_to_u8(v.stamina),
            dead: v.dead,
            selected_slot: v.selected_slot,
            inventory: v
                .inventory
                .iter()
                .take(MAX_INVENTORY_SLOTS)
                .copied()
                .collect(),
            equipment: v.equipment,
            crafting: v
                .crafting
                .map(|(recipe, ticks_left)| Crafting { recipe, ticks_left }),
            xp: v.xp,
            level: v.level,
            chest: None,
        }
    }

    /// The same state with the open chest `(entity, slots)` from `World::open_chest`.
    pub fn with_chest(mut self, chest: Option<(EntityId, Vec<Option<ItemStack>>)>) -> Self {
        self.chest = chest.map(|(e, mut slots)| {
            slots.truncate(MAX_INVENTORY_SLOTS);
            ChestView { entity: e.0, slots }
        });
        self
    }

    /// Whether this is the state `from_view(_, view).with_chest(chest)` would make, apart
    /// from the tick: the check of every send tick, made without building that state.
    pub fn shows(
        &self,
        view: &PrivateView,
        chest: Option<&(EntityId, Vec<Option<ItemStack>>)>,
    ) -> bool {
        let chest_same = match (&self.chest, chest) {
            (None, None) => true,
            (Some(c), Some((e, slots))) => c.entity == e.0 && c.slots == carried(slots),
            _ => false,
        };
        self.entity == view.entity.0
            && [self.health, self.hunger, self.thirst, self.stamina]
                == [view.health, view.hunger, view.thirst, view.stamina].map(meter_to_u8)
            && self.dead == view.dead
            && self.selected_slot == view.selected_slot
            && self.inventory == carried(&view.inventory)
            && self.equipment == view.equipment
            && self.crafting
                == view
                    .crafting
                    .map(|(recipe, ticks_left)| Crafting { recipe, ticks_left })
            && self.xp == view.xp
            && self.level == view.level
            && chest_same
    }

    /// Equal apart from the tick.
    pub fn same_state(&self, o: &Self) -> bool {
        self.entity == o.entity
            && [self.health, self.hunger, self.thirst, self.stamina]
                == [o.health, o.hunger, o.thirst, o.stamina]
            && self.dead == o.dead
            && self.selected_slot == o.selected_slot
            && self.inventory == o.inventory
            && self.equipment == o.equipment
            && self.crafting == o.crafting
            && self.xp == o.xp
            && self.level == o.level
            && self.chest == o.chest
    }
}

const BIT_DEAD: u8 = 1;
const BIT_CRAFTING: u8 = 2;
const BIT_CHEST: u8 = 4;

fn put_stack(w: &mut Writer<'_>, s: &Option<ItemStack>) {
    match s {
        None => w.var(0),
        Some(s) => {
            w.var(u64::from(s.item) + 1);
            w.var(u64::from(s.count));
            w.var(u64::from(s.durability));
        }
    }
}

fn get_stack(r: &mut Reader<'_>) -> Result<Option<ItemStack>, DecodeError> {
    let tag = r.var("stack.item")?;
    if tag == 0 {
        return Ok(None);
    }
    let item = u16::try_from(tag - 1).map_err(|_| DecodeError::InvalidValue {
        field: "stack.item",
        value: tag,
    })?;
    Ok(Some(ItemStack {
        item,
        count: r.var_u16("stack.count")?,
        durability: r.var_u16("stack.durability")?,
    }))
}

impl Validate for PrivateState {
    fn validate(&self) -> Result<(), EncodeError> {
        check_len(
            "private.inventory",
            self.inventory.len(),
            MAX_INVENTORY_SLOTS,
        )
    }
}

impl Body for PrivateState {
    fn put(&self, w: &mut Writer<'_>) {
        w.var(self.tick);
        w.var(u64::from(self.entity));
        w.bytes(&[self.health, self.hunger, self.thirst, self.stamina]);
        let mut bits = 0;
        if self.dead {
            bits |= BIT_DEAD;
        }
        if self.crafting.is_some() {
            bits |= BIT_CRAFTING;
        }
        if self.chest.is_some() {
            bits |= BIT_CHEST;
        }
        w.u8(bits);
        w.u8(self.selected_slot);
        w.var(self.inventory.len() as u64);
        for s in &self.inventory {
            put_stack(w, s);
        }
        for s in &self.equipment {
            put_stack(w, s);
        }
        if let Some(c) = self.crafting {
            w.var(u64::from(c.recipe));
            w.var(u64::from(c.ticks_left));
        }
        w.var(self.xp);
        w.var(u64::from(self.level));
        if let Some(c) = &self.chest {
            w.var(u64::from(c.entity));
            w.var(c.slots.len() as u64);
            for s in &c.slots {
                put_stack(w, s);
            }
        }
    }

    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let tick = r.var("private.tick")?;
        let entity = r.var_u32("private.entity")?;
        let health = r.u8("private.health")?;
        let hunger = r.u8("private.hunger")?;
        let thirst = r.u8("private.thirst")?;
        let stamina = r.u8("private.stamina")?;
        let bits = r.u8("private.bits")?;
        if bits & !(BIT_DEAD | BIT_CRAFTING | BIT_CHEST) != 0 {
            return Err(DecodeError::InvalidValue {
                field: "private.bits",
                value: u64::from(bits),
            });
        }
        let selected_slot = r.u8("private.selected_slot")?;
        let n = r.count("private.inventory", MAX_INVENTORY_SLOTS, 1)?;
        let mut inventory = Vec::with_capacity(n);
        for _ in 0..n {
            inventory.push(get_stack(r)?);
        }
        let equipment = [get_stack(r)?, get_stack(r)?, get_stack(r)?];
        let crafting = if bits & BIT_CRAFTING != 0 {
            Some(Crafting {
                recipe: r.var_u16("private.crafting.recipe")?,
                ticks_left: r.var_u32("private.crafting.ticks_left")?,
            })
        } else {
            None
        };
        let xp = r.var("private.xp")?;
        let level = r.var_u32("private.level")?;
        let chest = if bits & BIT_CHEST != 0 {
            let entity = r.var_u32("private.chest.entity")?;
            let n = r.count("private.chest", MAX_INVENTORY_SLOTS, 1)?;
            let mut slots = Vec::with_capacity(n);
            for _ in 0..n {
                slots.push(get_stack(r)?);
            }
            Some(ChestView { entity, slots })
        } else {
            None
        };
        Ok(Self {
            tick,
            entity,
            health,
            hunger,
            thirst,
            stamina,
            dead: bits & BIT_DEAD != 0,
            selected_slot,
            inventory,
            equipment,
            crafting,
            xp,
            level,
            chest,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use sim_core::{EntityId, ItemStack, PrivateView};

    use super::PrivateState;
    use crate::limits::MAX_INVENTORY_SLOTS;

    /// An open chest as `World::open_chest` gives it.
    type Chest = Option<(EntityId, Vec<Option<ItemStack>>)>;

    fn stack() -> impl Strategy<Value = Option<ItemStack>> {
        proptest::option::of(
            (0u16..3, 1u16..3, 0u16..2).prop_map(|(item, count, durability)| ItemStack {
                item,
                count,
                durability,
            }),
        )
    }

    fn view() -> impl Strategy<Value = PrivateView> {
        (
            (0u32..2, [0.0f32..101.0, 0.0..101.0, 0.0..101.0, 0.0..101.0]),
            proptest::collection::vec(stack(), MAX_INVENTORY_SLOTS - 1..MAX_INVENTORY_SLOTS + 2),
            [stack(), stack(), stack()],
            (
                0u8..2,
                proptest::option::of((0u16..2, 0u32..2)),
                0u64..2,
                1u32..3,
                any::<bool>(),
            ),
        )
            .prop_map(|((entity, meters), inventory, equipment, rest)| {
                let (selected_slot, crafting, xp, level, dead) = rest;
                PrivateView {
                    entity: EntityId(entity),
                    health: meters[0],
                    hunger: meters[1],
                    thirst: meters[2],
                    stamina: meters[3],
                    inventory,
                    equipment,
                    selected_slot,
                    crafting,
                    xp,
                    level,
                    last_input_seq: 0,
                    dead,
                }
            })
    }

    fn chest() -> impl Strategy<Value = Chest> {
        proptest::option::of((
            0u32..2,
            proptest::collection::vec(stack(), MAX_INVENTORY_SLOTS - 1..MAX_INVENTORY_SLOTS + 2),
        ))
        .prop_map(|c| c.map(|(e, slots)| (EntityId(e), slots)))
    }

    /// `v` and `c` with field `k` changed (no change for `k` past the last field); some
    /// changes are invisible on the wire (a meter moving within its rounding, a slot past
    /// the ones carried), which `shows` must see as no change too.
    fn tweak(v: &PrivateView, c: &Chest, k: u8, by: f32) -> (PrivateView, Chest) {
        let (mut v, mut c) = (v.clone(), c.clone());
        let other = Some(ItemStack {
            item: 9,
            count: 9,
            durability: 9,
        });
        match k {
            0 => v.entity = EntityId(v.entity.0 + 1),
            1 => v.health += by,
            2 => v.hunger += by,
            3 => v.thirst += by,
            4 => v.stamina += by,
            5 => v.inventory[0] = other,
            6 => v.inventory.push(other),
            7 => v.equipment[2] = other,
            8 => v.selected_slot += 1,
            9 => v.crafting = v.crafting.map_or(Some((1, 1)), |_| None),
            10 => v.xp += 1,
            11 => v.level += 1,
            12 => v.dead = !v.dead,
            13 => v.last_input_seq += 1,
            14 => c = c.map_or(Some((EntityId(5), Vec::new())), |_| None),
            15 => {
                if let Some((e, _)) = &mut c {
                    e.0 += 1;
                }
            }
            16 => {
                if let Some((_, slots)) = &mut c {
                    slots.push(other);
                }
            }
            _ => {}
        }
        (v, c)
    }

    proptest! {
        #[test]
        fn shows_agrees_with_comparing_the_built_state(
            a in view(), ca in chest(), k in 0u8..20, by in -0.8f32..0.8,
        ) {
            let (b, cb) = tweak(&a, &ca, k, by);
            let sent = PrivateState::from_view(1, &a).with_chest(ca);
            let built = PrivateState::from_view(2, &b).with_chest(cb.clone());
            prop_assert_eq!(sent.shows(&b, cb.as_ref()), sent.same_state(&built));
        }
    }
}
