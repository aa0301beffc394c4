//! A scripted input log: many players moving, swinging, crafting, building, chatting
//! and changing teams, generated from a seed without touching the world.

use sim_core::{
    BuildCommand, ChatChannel, ChatCommand, PlayerId, PlayerInput, TeamCommand, Vec2, World,
};

/// SplitMix64: a tiny generator for test scripts, independent of the world's RNG.
pub struct Script(u64);

impl Script {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// One player's input for one tick. `pos` is where the player stands now, so
    /// builds aim at cells nearby; `others` are ids to pick team partners from.
    pub fn input(
        &mut self,
        tick: u64,
        pos: Vec2,
        others: &[PlayerId],
        recipes: u16,
    ) -> PlayerInput {
        let mut i = PlayerInput {
            seq: tick as u32,
            ..PlayerInput::default()
        };
        let a = self.unit() * std::f32::consts::TAU;
        i.move_x = a.cos();
        i.move_y = a.sin();
        i.sprint = self.below(4) == 0;
        i.aim = self.unit() * std::f32::consts::TAU;
        i.primary = self.below(2) == 0;
        i.secondary = self.below(20) == 0;
        i.interact = self.below(30) == 0;
        match self.below(60) {
            0 => i.craft = Some(self.below(u64::from(recipes) + 2) as u16),
            1 => {
                i.build = Some(BuildCommand {
                    slot: self.below(18) as u8,
                    cell_x: (pos.x / 40.0) as i32 + self.below(7) as i32 - 3,
                    cell_y: (pos.y / 40.0) as i32 + self.below(7) as i32 - 3,
                })
            }
            2 => {
                i.chat = Some(ChatCommand {
                    channel: if self.below(2) == 0 {
                        ChatChannel::Global
                    } else {
                        ChatChannel::Team
                    },
                    text: format!("hello {}\u{7}", self.next()),
                })
            }
            3 => {
                i.team = Some(match self.below(3) {
                    0 => TeamCommand::Create(format!("t{}", self.below(5))),
                    1 => TeamCommand::Join(others[self.below(others.len() as u64) as usize].0),
                    _ => TeamCommand::Leave,
                })
            }
            4 => i.equip_slot = Some(self.below(20) as u8),
            5 => i.drop_slot = Some(self.below(20) as u8),
            6 => i.select_slot = Some(self.below(20) as u8),
            7 => i.cancel_craft = true,
            8 => i.chest_put = Some(self.below(16) as u8),
            9 => i.chest_take = Some(self.below(12) as u8),
            _ => {}
        }
        i
    }
}

/// Inputs for every player of `world` this tick.
pub fn tick_inputs(
    script: &mut Script,
    world: &World,
    ids: &[PlayerId],
) -> Vec<(PlayerId, PlayerInput)> {
    let recipes = world.content().recipes().len() as u16;
    ids.iter()
        .filter_map(|id| {
            let pos = world.entity_view(id.entity())?.pos;
            Some((*id, script.input(world.tick(), pos, ids, recipes)))
        })
        .collect()
}
