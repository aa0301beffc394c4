//! The state only its owner sees: meters, inventory, equipment, crafting, experience.

use serde::{Deserialize, Serialize};
use sim_core::{ItemStack, PrivateView};

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
}

impl PrivateState {
    /// The wire form of a simulation private view at `tick`.
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
        }
    }

    /// Equal apart from the tick.
    pub fn same_state(&self, other: &Self) -> bool {
        Self {
            tick: 0,
            ..self.clone()
        } == Self {
            tick: 0,
            ..other.clone()
        }
    }
}

const BIT_DEAD: u8 = 1;
const BIT_CRAFTING: u8 = 2;

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
    }

    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let tick = r.var("private.tick")?;
        let entity = r.var_u32("private.entity")?;
        let health = r.u8("private.health")?;
        let hunger = r.u8("private.hunger")?;
        let thirst = r.u8("private.thirst")?;
        let stamina = r.u8("private.stamina")?;
        let bits = r.u8("private.bits")?;
        if bits & !(BIT_DEAD | BIT_CRAFTING) != 0 {
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
            xp: r.var("private.xp")?,
            level: r.var_u32("private.level")?,
        })
    }
}
