//! One-shot commands of this tick's inputs: slots, equipment, dropping, crafting,
//! building, chests, chat and teams. Held actions (move, swing, use) are in `step.rs`.

use crate::entities::{BODY, HAND, HEAD};
use crate::{ArmorSlot, Event, ItemKind, PlayerId, PlayerInput, RejectReason, World};

fn reject(world: &mut World, player: PlayerId, reason: RejectReason) {
    world.events.push(Event::Rejected { player, reason });
}

/// Whether an input carries any one-shot command (most ticks' inputs carry none).
pub(crate) fn has_commands(input: &PlayerInput) -> bool {
    input.chat.is_some()
        || input.team.is_some()
        || input.select_slot.is_some()
        || input.equip_slot.is_some()
        || input.drop_slot.is_some()
        || input.craft.is_some()
        || input.cancel_craft
        || input.build.is_some()
        || input.chest_put.is_some()
        || input.chest_take.is_some()
}

/// Applies the one-shot parts of one player's input.
pub(crate) fn apply(world: &mut World, id: PlayerId, input: &PlayerInput) {
    let Some(p) = world.players.get(&id) else {
        return;
    };
    let dead = p.respawn_at.is_some();
    if let Some(chat) = &input.chat {
        crate::systems::chat::say(world, id, chat);
    }
    if let Some(team) = &input.team {
        crate::systems::teams::command(world, id, team);
    }
    let wants_action = input.select_slot.is_some()
        || input.equip_slot.is_some()
        || input.drop_slot.is_some()
        || input.craft.is_some()
        || input.cancel_craft
        || input.build.is_some()
        || input.chest_put.is_some()
        || input.chest_take.is_some();
    if dead {
        if wants_action {
            reject(world, id, RejectReason::Dead);
        }
        return;
    }
    if let Some(slot) = input.select_slot {
        select(world, id, slot);
    }
    if let Some(slot) = input.equip_slot {
        equip(world, id, slot);
    }
    if let Some(slot) = input.drop_slot {
        drop_slot(world, id, slot);
    }
    if input.cancel_craft {
        crate::systems::crafting::cancel(world, id, true);
    }
    if let Some(recipe) = input.craft {
        crate::systems::crafting::start(world, id, recipe);
    }
    if let Some(cmd) = input.build {
        crate::systems::building::place(world, id, cmd);
    }
    if let Some(slot) = input.chest_put {
        crate::systems::interact::chest_put(world, id, slot);
    }
    if let Some(slot) = input.chest_take {
        crate::systems::interact::chest_take(world, id, slot);
    }
}

fn select(world: &mut World, id: PlayerId, slot: u8) {
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    if usize::from(slot) < p.inventory.slots.len() {
        p.selected = slot;
    } else {
        reject(world, id, RejectReason::Unknown);
    }
}

fn equip(world: &mut World, id: PlayerId, slot: u8) {
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    if (PlayerInput::UNEQUIP_HEAD..=PlayerInput::UNEQUIP_HAND).contains(&slot) {
        let e = usize::from(slot - PlayerInput::UNEQUIP_HEAD);
        let Some(stack) = p.equipment[e] else { return };
        let Some(free) = p.inventory.slots.iter().position(Option::is_none) else {
            return reject(world, id, RejectReason::InventoryFull);
        };
        p.inventory.slots[free] = Some(stack);
        p.equipment[e] = None;
        return;
    }
    let i = usize::from(slot);
    let Some(stack) = p.inventory.slots.get(i).copied().flatten() else {
        return reject(world, id, RejectReason::Unknown);
    };
    let target = match world.content.item(stack.item) {
        Some(d) if matches!(d.kind, ItemKind::Tool | ItemKind::Weapon) => HAND,
        Some(d) if d.kind == ItemKind::Armor => match d.slot {
            Some(ArmorSlot::Head) => HEAD,
            _ => BODY,
        },
        _ => return reject(world, id, RejectReason::WrongItem),
    };
    // Swap: what was worn goes into the slot the new item came from.
    p.inventory.slots[i] = p.equipment[target].take();
    p.equipment[target] = Some(stack);
}

fn drop_slot(world: &mut World, id: PlayerId, slot: u8) {
    let Some(p) = world.players.get_mut(&id) else {
        return;
    };
    let Some(stack) = p.inventory.take(usize::from(slot)) else {
        return reject(world, id, RejectReason::Unknown);
    };
    let pos = p.pos;
    crate::systems::loot::drop_bag(world, pos, vec![stack]);
}
