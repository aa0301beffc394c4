//! What the network layer may read: entity views, player facts, private state, the
//! area-of-interest query and the live leaderboard.

use crate::entities::{Creature, LootBag, Node, Player, Projectile, Structure};
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

/// A player's public facts, borrowed from the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlayerParts<'a> {
    /// Display name.
    pub name: &'a str,
    /// Level.
    pub level: u32,
    /// Team, if any.
    pub team: Option<u32>,
}

fn player_view(id: EntityId, p: &Player) -> EntityView {
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
    EntityView {
        id,
        kind: EntityKind::Player,
        subtype: hand,
        pos: p.pos,
        angle: p.angle,
        health_pct: pct(p.health, 100.0),
        flags,
    }
}

fn bag_view(id: EntityId, b: &LootBag) -> EntityView {
    EntityView {
        id,
        kind: EntityKind::LootBag,
        subtype: 0,
        pos: b.pos,
        angle: 0.0,
        health_pct: 100,
        flags: 0,
    }
}

fn projectile_view(id: EntityId, pr: &Projectile) -> EntityView {
    EntityView {
        id,
        kind: EntityKind::Projectile,
        subtype: 0,
        pos: pr.pos,
        angle: pr.vel.y.atan2(pr.vel.x),
        health_pct: 100,
        flags: 0,
    }
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
            return Some(self.node_view(id, &self.nodes[ni]));
        }
        if let Some(p) = self.players.get(&PlayerId(id.0)) {
            return Some(player_view(id, p));
        }
        if let Some(c) = self.creatures.get(&id) {
            return Some(self.creature_view(id, c));
        }
        if let Some(s) = self.structures.get(&id) {
            return Some(self.structure_view(id, s));
        }
        if let Some(b) = self.bags.get(&id) {
            return Some(bag_view(id, b));
        }
        self.projectiles.get(&id).map(|pr| projectile_view(id, pr))
    }

    /// Calls `f` with the view of every entity in the world — with name, level and team
    /// for players — without a look-up per entity: the way to capture the whole world
    /// once per tick. Each kind comes in ascending id order, the kinds one after
    /// another (nodes, players, creatures, structures, loot bags, projectiles).
    pub fn for_each_entity_view(&self, mut f: impl FnMut(EntityView, Option<PlayerParts<'_>>)) {
        for (i, n) in self.nodes.iter().enumerate() {
            f(self.node_view(EntityId(i as u32 + 1), n), None);
        }
        for (id, p) in &self.players {
            let parts = PlayerParts {
                name: &p.name,
                level: p.level,
                team: p.team,
            };
            f(player_view(id.entity(), p), Some(parts));
        }
        for (id, c) in &self.creatures {
            f(self.creature_view(*id, c), None);
        }
        for (id, s) in &self.structures {
            f(self.structure_view(*id, s), None);
        }
        for (id, b) in &self.bags {
            f(bag_view(*id, b), None);
        }
        for (id, pr) in &self.projectiles {
            f(projectile_view(*id, pr), None);
        }
    }

    fn node_view(&self, id: EntityId, n: &Node) -> EntityView {
        let full: u32 = crate::worldgen::full_amounts(self, n.kind)
            .iter()
            .map(|v| u32::from(*v))
            .sum();
        let left: u32 = n.left.iter().map(|v| u32::from(*v)).sum();
        EntityView {
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
        }
    }

    fn creature_view(&self, id: EntityId, c: &Creature) -> EntityView {
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
        EntityView {
            id,
            kind: EntityKind::Creature,
            subtype: c.kind,
            pos: c.pos,
            angle: c.angle,
            health_pct: pct(c.health, max),
            flags,
        }
    }

    fn structure_view(&self, id: EntityId, s: &Structure) -> EntityView {
        let max = self.content.item(s.item).map_or(1.0, |d| d.health);
        let mut flags = 0;
        if s.open {
            flags |= EntityView::FLAG_INACTIVE;
        }
        if s.hurt {
            flags |= EntityView::FLAG_HURT;
        }
        EntityView {
            id,
            kind: EntityKind::Structure,
            subtype: s.item,
            pos: s.pos,
            angle: 0.0,
            health_pct: pct(s.health, max),
            flags,
        }
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
