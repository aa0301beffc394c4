//! What the network layer may read: entity views, player facts, private state, the
//! area-of-interest query and the live leaderboard.

use crate::entities::Player;
use crate::{
    EntityId, EntityKind, EntityView, LeaderboardEntry, PlayerId, PlayerPublic, PrivateView, Rect,
    World,
};

fn pct(v: f32, max: f32) -> u8 {
    if max <= 0.0 || !v.is_finite() {
        return 0;
    }
    (v / max * 100.0).clamp(0.0, 100.0) as u8
}

impl World {
    /// Entities whose grid cell overlaps `rect`, in ascending id order.
    pub fn query_rect(&self, rect: Rect, out: &mut Vec<EntityId>) {
        let start = out.len();
        self.grid.query(rect, out);
        self.bag_grid.query(rect, out);
        out[start..].sort_unstable();
    }

    /// The replicated public state of an entity.
    pub fn entity_view(&self, id: EntityId) -> Option<EntityView> {
        if let Some(ni) = crate::worldgen::node_index(self, id) {
            let n = &self.nodes[ni];
            let full: u32 = crate::worldgen::full_amounts(self, n.kind)
                .iter()
                .map(|v| u32::from(*v))
                .sum();
            let left: u32 = n.left.iter().map(|v| u32::from(*v)).sum();
            return Some(EntityView {
                id,
                kind: EntityKind::Node,
                subtype: n.kind,
                pos: n.pos,
                angle: 0.0,
                health_pct: pct(left as f32, full as f32),
                flags: if n.respawn_at.is_some() {
                    EntityView::FLAG_INACTIVE
                } else {
                    0
                },
            });
        }
        if let Some(p) = self.players.get(&PlayerId(id.0)) {
            let mut flags = 0;
            if p.acting {
                flags |= EntityView::FLAG_ACTING;
            }
            if p.sprinting {
                flags |= EntityView::FLAG_SPRINTING;
            }
            if p.hurt {
                flags |= EntityView::FLAG_HURT;
            }
            if p.respawn_at.is_some() {
                flags |= EntityView::FLAG_INACTIVE;
            }
            let hand = p.equipment[crate::entities::HAND].map_or(u16::MAX, |s| s.item);
            return Some(EntityView {
                id,
                kind: EntityKind::Player,
                subtype: hand,
                pos: p.pos,
                angle: p.angle,
                health_pct: pct(p.health, 100.0),
                flags,
            });
        }
        if let Some(c) = self.creatures.get(&id) {
            let max = self
                .content
                .creatures()
                .get(usize::from(c.kind))
                .map_or(1.0, |d| d.health);
            let mut flags = 0;
            if c.acting {
                flags |= EntityView::FLAG_ACTING;
            }
            if c.hurt {
                flags |= EntityView::FLAG_HURT;
            }
            return Some(EntityView {
                id,
                kind: EntityKind::Creature,
                subtype: c.kind,
                pos: c.pos,
                angle: c.angle,
                health_pct: pct(c.health, max),
                flags,
            });
        }
        if let Some(s) = self.structures.get(&id) {
            let max = self.content.item(s.item).map_or(1.0, |d| d.health);
            let mut flags = 0;
            if s.open {
                flags |= EntityView::FLAG_INACTIVE;
            }
            if s.hurt {
                flags |= EntityView::FLAG_HURT;
            }
            return Some(EntityView {
                id,
                kind: EntityKind::Structure,
                subtype: s.item,
                pos: s.pos,
                angle: 0.0,
                health_pct: pct(s.health, max),
                flags,
            });
        }
        if let Some(b) = self.bags.get(&id) {
            return Some(EntityView {
                id,
                kind: EntityKind::LootBag,
                subtype: 0,
                pos: b.pos,
                angle: 0.0,
                health_pct: 100,
                flags: 0,
            });
        }
        let pr = self.projectiles.get(&id)?;
        Some(EntityView {
            id,
            kind: EntityKind::Projectile,
            subtype: 0,
            pos: pr.pos,
            angle: pr.vel.y.atan2(pr.vel.x),
            health_pct: 100,
            flags: 0,
        })
    }

    /// Name, level and team of a player entity.
    pub fn player_public(&self, id: EntityId) -> Option<PlayerPublic> {
        let p = self.players.get(&PlayerId(id.0))?;
        Some(PlayerPublic {
            name: p.name.clone(),
            level: p.level,
            team: p.team,
        })
    }

    /// [`World::player_public`] borrowed, without copying the name: `(name, level, team)`.
    pub fn player_public_parts(&self, id: EntityId) -> Option<(&str, u32, Option<u32>)> {
        let p = self.players.get(&PlayerId(id.0))?;
        Some((p.name.as_str(), p.level, p.team))
    }

    /// A team's name and members, ascending by join order.
    pub fn team(&self, team: u32) -> Option<(&str, &[PlayerId])> {
        self.teams
            .get(&team)
            .map(|t| (t.name.as_str(), t.members.as_slice()))
    }

    /// What only the player themself sees.
    pub fn private_view(&self, id: PlayerId) -> Option<PrivateView> {
        let p = self.players.get(&id)?;
        Some(PrivateView {
            entity: id.entity(),
            health: p.health,
            hunger: p.hunger,
            thirst: p.thirst,
            stamina: p.stamina,
            inventory: p.inventory.slots.clone(),
            equipment: p.equipment,
            selected_slot: p.selected,
            crafting: p
                .craft
                .as_ref()
                .map(|c| (c.recipe, c.done_tick.saturating_sub(self.tick) as u32)),
            xp: p.xp,
            level: p.level,
            last_input_seq: p.last_input_seq,
            dead: p.respawn_at.is_some(),
        })
    }

    /// The live top 10 of this world by score (experience), ties by kills then id.
    pub fn leaderboard(&self) -> Vec<LeaderboardEntry> {
        let mut top: Vec<(&PlayerId, &Player)> = self.players.iter().collect();
        top.sort_by(|a, b| (b.1.xp, b.1.kills, a.0).cmp(&(a.1.xp, a.1.kills, b.0)));
        top.into_iter()
            .take(10)
            .map(|(id, p)| LeaderboardEntry {
                player: *id,
                name: p.name.clone(),
                level: p.level,
                kills: p.kills,
                score: p.xp,
            })
            .collect()
    }
}
