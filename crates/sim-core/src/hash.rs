//! `state_hash`: FNV-1a over every field of the canonical state, written explicitly so
//! the value is stable across platforms and releases (unlike `std::hash`'s keys).

use crate::{ItemStack, Vec2, World};

struct StateHasher(u64);

impl StateHasher {
    fn bytes(&mut self, b: &[u8]) {
        for byte in b {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    fn f32(&mut self, v: f32) {
        self.u32(v.to_bits());
    }
    fn vec(&mut self, v: Vec2) {
        self.f32(v.x);
        self.f32(v.y);
    }
    fn opt_u64(&mut self, v: Option<u64>) {
        self.u64(v.map_or(u64::MAX, |v| v));
    }
    fn stack(&mut self, s: &Option<ItemStack>) {
        match s {
            Some(s) => {
                self.u32(u32::from(s.item));
                self.u32(u32::from(s.count));
                self.u32(u32::from(s.durability));
            }
            None => self.u32(u32::MAX),
        }
    }
}

impl World {
    /// A hash of the canonical state: equal worlds hash equal at every tick.
    pub fn state_hash(&self) -> u64 {
        let mut h = StateHasher(0xcbf2_9ce4_8422_2325);
        h.u64(self.seed);
        h.u64(self.tick);
        h.u32(self.next_entity);
        h.u32(self.next_team);
        h.bytes(&self.rng.get_word_pos().to_le_bytes());
        for (id, p) in &self.players {
            h.u32(id.0);
            h.bytes(p.name.as_bytes());
            h.vec(p.pos);
            h.f32(p.angle);
            h.vec(p.knock);
            for m in [p.health, p.hunger, p.thirst, p.stamina] {
                h.f32(m);
            }
            h.u32(p.inventory.slots.len() as u32);
            p.inventory.slots.iter().for_each(|s| h.stack(s));
            p.equipment.iter().for_each(|s| h.stack(s));
            h.u32(u32::from(p.selected));
            for v in [
                p.xp,
                p.gathered,
                p.crafted,
                p.ticks_played,
                p.swing_ready,
                p.use_ready,
                p.chat_tat,
            ] {
                h.u64(v);
            }
            for v in [p.level, p.kills, p.deaths, p.last_input_seq] {
                h.u32(v);
            }
            h.opt_u64(p.team.map(u64::from));
            h.opt_u64(p.respawn_at);
            h.opt_u64(p.open_chest.map(|e| u64::from(e.0)));
            h.opt_u64(p.last_attacker.map(|e| u64::from(e.0)));
            match &p.craft {
                Some(c) => {
                    h.u32(u32::from(c.recipe));
                    h.u64(c.done_tick);
                    h.opt_u64(c.station.map(|e| u64::from(e.0)));
                }
                None => h.u32(u32::MAX),
            }
        }
        for n in &self.nodes {
            for v in n.left {
                h.u32(u32::from(v));
            }
            h.opt_u64(n.respawn_at);
        }
        for (id, c) in &self.creatures {
            h.u32(id.0);
            h.u32(u32::from(c.kind));
            h.vec(c.pos);
            h.vec(c.heading);
            h.vec(c.knock);
            h.f32(c.health);
            h.u64(c.attack_ready);
            h.opt_u64(c.target.map(|e| u64::from(e.0)));
        }
        for (id, s) in &self.structures {
            h.u32(id.0);
            h.u32(u32::from(s.item));
            h.u32(s.cell_x as u32);
            h.u32(s.cell_y as u32);
            h.f32(s.health);
            h.u32(u32::from(s.open));
            s.contents.slots.iter().for_each(|c| h.stack(c));
        }
        for (id, b) in &self.bags {
            h.u32(id.0);
            h.vec(b.pos);
            h.u64(b.expires_at);
            b.items.iter().for_each(|s| h.stack(&Some(*s)));
        }
        for (id, p) in &self.projectiles {
            h.u32(id.0);
            h.vec(p.pos);
            h.vec(p.vel);
            h.u64(p.expires_at);
        }
        for (id, t) in &self.teams {
            h.u32(*id);
            h.bytes(t.name.as_bytes());
            t.members.iter().for_each(|m| h.u32(m.0));
        }
        h.0
    }
}
