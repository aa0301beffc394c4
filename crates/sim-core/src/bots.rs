//! Scripted players for benchmarks and the headless example: they wander, swing at
//! whatever is in front (gathering and fighting) and now and then eat or craft.
//! Deterministic from a seed, independent of the world's RNG.

use crate::{PlayerId, PlayerInput, PlayerProgress, SavedStack, World};

/// A crowd of scripted players.
#[derive(Debug, Clone)]
pub struct Bots {
    ids: Vec<PlayerId>,
    state: u64,
    headings: Vec<f32>,
    inputs: Vec<(PlayerId, PlayerInput)>,
}

impl Bots {
    /// Joins `n` bots (as many as the world admits), carrying a stone axe in hand.
    pub fn join(world: &mut World, n: usize, seed: u64) -> Self {
        let kit = PlayerProgress {
            inventory: vec![Some(SavedStack {
                item: "berries".into(),
                count: 20,
                durability: None,
            })],
            equipment: vec![
                None,
                None,
                Some(SavedStack {
                    item: "stone_axe".into(),
                    count: 1,
                    durability: None,
                }),
            ],
            ..PlayerProgress::default()
        };
        let ids: Vec<PlayerId> = (0..n)
            .map_while(|i| world.join(&format!("bot{i}"), Some(kit.clone())).ok())
            .collect();
        Self {
            headings: vec![0.0; ids.len()],
            ids,
            state: seed,
            inputs: Vec::with_capacity(n),
        }
    }

    /// The bots' ids.
    pub fn ids(&self) -> &[PlayerId] {
        &self.ids
    }

    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// This tick's inputs, one per bot as a 20 Hz client sends them: each bot walks
    /// and faces its heading, turns every two seconds, always swings, and eats now and then.
    pub fn inputs(&mut self, tick: u64) -> &[(PlayerId, PlayerInput)] {
        self.inputs.clear();
        for k in 0..self.ids.len() {
            if (tick + k as u64).is_multiple_of(40) {
                let r = self.next();
                self.headings[k] = (r >> 40) as f32 / (1u64 << 24) as f32 * std::f32::consts::TAU;
            }
            let a = self.headings[k];
            self.inputs.push((
                self.ids[k],
                PlayerInput {
                    seq: tick as u32,
                    move_x: a.cos(),
                    move_y: a.sin(),
                    aim: a,
                    sprint: k % 4 == 0,
                    primary: true,
                    secondary: (tick + k as u64).is_multiple_of(200),
                    ..PlayerInput::default()
                },
            ));
        }
        &self.inputs
    }
}
