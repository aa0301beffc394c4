//! One tick: the order of the systems, written once.

use crate::systems::{
    combat, commands, crafting, creatures, death, gathering, interact, loot, meters, movement,
    projectiles,
};
use crate::{PlayerId, PlayerInput, StepOutput, World};

impl World {
    /// Advances the world one tick. Inputs for unknown players are ignored; a player
    /// without input this tick keeps moving and acting by their last one, while one-shot
    /// commands (craft, build, chat, ...) apply only in the tick they arrive.
    pub fn step(&mut self, inputs: &[(PlayerId, PlayerInput)]) -> StepOutput {
        self.tick += 1;
        self.events.clear();
        clear_flags(self);
        store_inputs(self, inputs);
        for (id, input) in inputs {
            if commands::has_commands(input) {
                commands::apply(self, *id, input);
            }
        }
        movement::run(self);
        held_actions(self);
        crafting::run(self);
        projectiles::run(self);
        creatures::spawn(self);
        creatures::run(self);
        meters::run(self);
        death::run(self);
        death::respawn(self);
        gathering::respawn_nodes(self);
        loot::expire(self);
        StepOutput {
            tick: self.tick,
            events: std::mem::take(&mut self.events),
        }
    }
}

/// Keeps the parts of an input that act while held; copying them field by field keeps
/// chat text and other one-shot payloads out of the stored input.
fn store_held_input(held: &mut PlayerInput, input: &PlayerInput) {
    held.seq = input.seq;
    held.move_x = input.move_x;
    held.move_y = input.move_y;
    held.sprint = input.sprint;
    held.aim = input.aim;
    held.primary = input.primary;
    held.secondary = input.secondary;
    held.interact = input.interact;
}

/// Keeps each player's held input. Inputs sorted by player id (as a server that
/// gathers them per player naturally sends) are merged with the player map in one pass;
/// any other order falls back to a lookup per input. Later inputs for the same player win.
fn store_inputs(world: &mut World, inputs: &[(PlayerId, PlayerInput)]) {
    if inputs.windows(2).all(|w| w[0].0 < w[1].0) {
        let mut next = inputs.iter().peekable();
        for (id, p) in world.players.iter_mut() {
            while next.next_if(|(i, _)| i < id).is_some() {}
            if let Some((_, input)) = next.next_if(|(i, _)| i == id) {
                store_held_input(&mut p.input, input);
                p.last_input_seq = input.seq;
            }
        }
    } else {
        for (id, input) in inputs {
            if let Some(p) = world.players.get_mut(id) {
                store_held_input(&mut p.input, input);
                p.last_input_seq = input.seq;
            }
        }
    }
}

fn clear_flags(world: &mut World) {
    for p in world.players.values_mut() {
        p.acting = false;
        p.hurt = false;
    }
    for c in world.creatures.values_mut() {
        c.hurt = false;
    }
    for s in world.structures.values_mut() {
        s.hurt = false;
    }
}

/// Swing, use and interact for every living player holding those buttons.
/// Players whose cooldown is still running are skipped up front: one player's actions
/// never change another's cooldowns, so this is the same as asking each in turn.
fn held_actions(world: &mut World) {
    let tick = world.tick;
    let mut ids = std::mem::take(&mut world.ids_scratch);
    ids.clear();
    ids.extend(
        world
            .players
            .iter()
            .filter(|(_, p)| {
                let swing = p.input.primary && p.swing_ready <= tick;
                let usable = (p.input.secondary || p.input.interact) && p.use_ready <= tick;
                p.respawn_at.is_none() && (swing || usable)
            })
            .map(|(id, _)| *id),
    );
    if !ids.is_empty() {
        let mut spots = std::mem::take(&mut world.player_spots);
        spots.clear();
        spots.extend(
            world
                .players
                .iter()
                .map(|(id, p)| (*id, p.pos, p.respawn_at.is_some())),
        );
        world.player_spots = spots;
    }
    for &id in &ids {
        let Some(p) = world.players.get(&id) else {
            continue;
        };
        let (primary, secondary, interact_held) =
            (p.input.primary, p.input.secondary, p.input.interact);
        if primary {
            combat::swing(world, id);
        }
        if secondary {
            interact::use_selected(world, id);
        }
        if interact_held {
            interact::interact(world, id);
        }
    }
    world.ids_scratch = ids;
}
