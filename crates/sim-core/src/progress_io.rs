//! Reading a player's progress out for saving and back in on join, and the world
//! checkpoint (node depletion, structures and chest contents). Items travel by name.

use crate::entities::{BODY, HEAD, Player, Structure};
use crate::inventory::Inventory;
use crate::progress::{SavedNode, SavedStructure};
use crate::{
    ArmorSlot, Content, EntityId, EntityKind, ItemKind, ItemStack, PlayerInput, PlayerProgress,
    SavedStack, SimError, Vec2, World, WorldCheckpoint,
};

fn save_stack(content: &Content, s: &ItemStack) -> Option<SavedStack> {
    let def = content.item(s.item)?;
    Some(SavedStack {
        item: def.name.clone(),
        count: u32::from(s.count),
        durability: (def.durability > 0).then_some(u32::from(s.durability)),
    })
}

/// A saved stack back as an item stack; unknown items and empty stacks give `None`.
fn load_stack(content: &Content, s: &SavedStack) -> Option<ItemStack> {
    let item = content.item_index(&s.item)?;
    let def = content.item(item)?;
    let count = s.count.min(u32::from(def.max_stack())) as u16;
    if count == 0 {
        return None;
    }
    let durability = match s.durability {
        Some(d) if def.durability > 0 => (d.min(u32::from(def.durability)) as u16).max(1),
        _ => def.durability,
    };
    Some(ItemStack {
        item,
        count,
        durability,
    })
}

fn save_slots(content: &Content, slots: &[Option<ItemStack>]) -> Vec<Option<SavedStack>> {
    slots
        .iter()
        .map(|s| s.as_ref().and_then(|s| save_stack(content, s)))
        .collect()
}

fn meter(v: f32) -> f32 {
    if v.is_finite() {
        v.clamp(0.0, 100.0)
    } else {
        100.0
    }
}

/// A player as they come back from saved progress. Bad values are clamped, unknown
/// items dropped, and the inventory never grows past the base plus the biggest backpack.
pub(crate) fn player_from_progress(world: &World, name: &str, pr: &PlayerProgress) -> Player {
    let content = &world.content;
    let base = world.config.inventory_slots as usize;
    let extra = content
        .items()
        .iter()
        .map(|d| usize::from(d.extra_slots))
        .max()
        .unwrap_or(0);
    let mut inventory = Inventory::new(pr.inventory.len().clamp(base, base + extra));
    for (slot, saved) in inventory.slots.iter_mut().zip(&pr.inventory) {
        *slot = saved.as_ref().and_then(|s| load_stack(content, s));
    }
    let mut equipment = [None; 3];
    for (i, saved) in pr.equipment.iter().take(3).enumerate() {
        let Some(stack) = saved.as_ref().and_then(|s| load_stack(content, s)) else {
            continue;
        };
        let fits = content.item(stack.item).is_some_and(|d| match i {
            HEAD => d.kind == ItemKind::Armor && d.slot == Some(ArmorSlot::Head),
            BODY => d.kind == ItemKind::Armor && d.slot == Some(ArmorSlot::Body),
            _ => matches!(d.kind, ItemKind::Tool | ItemKind::Weapon),
        });
        if fits {
            equipment[i] = Some(stack);
        } else {
            let _ = inventory.add_stack(content, stack);
        }
    }
    let alive = pr.health.is_finite() && pr.health > 0.0;
    let xp = pr.xp;
    let level = crate::systems::progression::level_for_xp(xp);
    let mut p = Player {
        name: crate::systems::chat::clean_text(name, 64),
        pos: Vec2::ZERO,
        angle: 0.0,
        knock: Vec2::ZERO,
        health: if alive { meter(pr.health) } else { 100.0 },
        hunger: if alive { meter(pr.hunger) } else { 100.0 },
        thirst: if alive { meter(pr.thirst) } else { 100.0 },
        stamina: meter(pr.stamina),
        inventory,
        equipment,
        selected: 0,
        xp,
        level,
        kills: pr.kills,
        deaths: pr.deaths,
        gathered: pr.gathered,
        crafted: pr.crafted,
        ticks_played: 0,
        base_playtime_s: pr.playtime_s,
        team: None,
        input: PlayerInput::default(),
        last_input_seq: 0,
        swing_ready: 0,
        use_ready: 0,
        craft: None,
        respawn_at: None,
        chat_tat: 0,
        open_chest: None,
        last_attacker: None,
        sprinting: false,
        acting: false,
        hurt: false,
    };
    if !alive && p.inventory.is_empty() {
        crate::systems::death::give_starter_kit(content, &mut p.inventory);
    }
    p
}

/// A player's progress as it stands.
pub(crate) fn progress_of(world: &World, p: &Player) -> PlayerProgress {
    let content = &world.content;
    PlayerProgress {
        version: PlayerProgress::VERSION,
        xp: p.xp,
        level: p.level,
        position: p.respawn_at.is_none().then_some(p.pos),
        health: p.health,
        hunger: p.hunger,
        thirst: p.thirst,
        stamina: p.stamina,
        inventory: save_slots(content, &p.inventory.slots),
        equipment: save_slots(content, &p.equipment),
        team: p
            .team
            .and_then(|t| crate::systems::teams::team_name(world, t))
            .map(str::to_owned),
        playtime_s: p
            .base_playtime_s
            .saturating_add(p.ticks_played / u64::from(world.config.tick_rate)),
        deaths: p.deaths,
        kills: p.kills,
        gathered: p.gathered,
        crafted: p.crafted,
    }
}

impl World {
    /// The durable world state: nodes that differ from fresh, and every structure.
    pub fn checkpoint(&self) -> WorldCheckpoint {
        let mut nodes = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            let full = crate::worldgen::full_amounts(self, n.kind);
            if n.left != full || n.respawn_at.is_some() {
                let len = self
                    .content
                    .nodes()
                    .get(usize::from(n.kind))
                    .map_or(0, |d| d.drops.len());
                let amounts: Vec<u32> = n.left.iter().take(len).map(|v| u32::from(*v)).collect();
                nodes.push(SavedNode {
                    index: i as u32,
                    amount: amounts.iter().sum(),
                    respawn_tick: n.respawn_at,
                    amounts,
                });
            }
        }
        let structures = self
            .structures
            .values()
            .filter_map(|s| {
                Some(SavedStructure {
                    item: self.content.item(s.item)?.name.clone(),
                    cell_x: s.cell_x,
                    cell_y: s.cell_y,
                    health: s.health,
                    owner: s.owner.clone(),
                    contents: save_slots(&self.content, &s.contents.slots),
                    open: s.open,
                })
            })
            .collect();
        WorldCheckpoint {
            version: 1,
            seed: self.seed,
            tick: self.tick,
            nodes,
            structures,
        }
    }

    /// Applies a checkpoint taken from a world with the same seed. Nothing changes when
    /// it does not fit; structures of unknown items or on taken cells are skipped.
    pub fn restore(&mut self, checkpoint: &WorldCheckpoint) -> Result<(), SimError> {
        if checkpoint.seed != self.seed {
            return Err(SimError::CheckpointMismatch(format!(
                "checkpoint seed {} but world seed {}",
                checkpoint.seed, self.seed
            )));
        }
        if let Some(bad) = checkpoint
            .nodes
            .iter()
            .find(|n| n.index as usize >= self.nodes.len())
        {
            return Err(SimError::CheckpointMismatch(format!(
                "node index {} but the world has {} nodes",
                bad.index,
                self.nodes.len()
            )));
        }
        self.tick = checkpoint.tick;
        self.node_respawns.clear();
        for i in 0..self.nodes.len() {
            self.nodes[i].left = crate::worldgen::full_amounts(self, self.nodes[i].kind);
            self.nodes[i].respawn_at = None;
        }
        for saved in &checkpoint.nodes {
            let i = saved.index as usize;
            let full = crate::worldgen::full_amounts(self, self.nodes[i].kind);
            let n = &mut self.nodes[i];
            for (k, slot) in n.left.iter_mut().enumerate() {
                let v =
                    saved
                        .amounts
                        .get(k)
                        .copied()
                        .unwrap_or(if k == 0 { saved.amount } else { 0 });
                *slot = (v.min(u32::from(full[k]))) as u16;
            }
            n.respawn_at = saved.respawn_tick;
            if let Some(at) = saved.respawn_tick {
                n.left = [0; 4];
                self.node_respawns.insert((at, saved.index));
            }
        }
        let old: Vec<EntityId> = self.structures.keys().copied().collect();
        for id in old {
            if let Some(s) = self.structures.remove(&id) {
                self.grid.remove(id, s.pos);
            }
        }
        self.occupancy.iter_mut().for_each(|c| *c = 0);
        for saved in &checkpoint.structures {
            self.restore_structure(saved);
        }
        Ok(())
    }

    fn restore_structure(&mut self, saved: &SavedStructure) {
        let Some(item) = self.content.item_index(&saved.item) else {
            return;
        };
        let Some(def) = self.content.item(item) else {
            return;
        };
        if def.kind != ItemKind::Structure {
            return;
        }
        let (chest_slots, max_health, door) = (usize::from(def.chest_slots), def.health, def.door);
        let side = self.terrain.side() as i64;
        let (x, y) = (i64::from(saved.cell_x), i64::from(saved.cell_y));
        if x < 0 || y < 0 || x >= side || y >= side || self.occupancy[(y * side + x) as usize] != 0
        {
            return;
        }
        let mut contents = Inventory::new(chest_slots);
        for (slot, s) in contents.slots.iter_mut().zip(&saved.contents) {
            *slot = s.as_ref().and_then(|s| load_stack(&self.content, s));
        }
        let health = if saved.health.is_finite() && saved.health > 0.0 {
            saved.health.min(max_health)
        } else {
            max_health
        };
        let pos = crate::systems::building::cell_centre(saved.cell_x, saved.cell_y);
        let id = self.alloc_entity();
        self.occupancy[(y * side + x) as usize] = id.0;
        self.grid.insert(id, EntityKind::Structure, pos);
        self.structures.insert(
            id,
            Structure {
                item,
                cell_x: saved.cell_x,
                cell_y: saved.cell_y,
                pos,
                health,
                owner: saved.owner.clone(),
                team: None,
                open: saved.open && door,
                contents,
                last_attacker: None,
                hurt: false,
            },
        );
    }
}
