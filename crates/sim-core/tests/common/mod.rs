//! Helpers shared by the integration tests: worlds, finding nodes, placing players.
#![allow(dead_code)]

pub mod script;

use sim_core::{
    Content, EntityId, EntityKind, Event, GameConfig, PlayerId, PlayerInput, PlayerProgress,
    SavedStack, Vec2, World,
};

pub fn config() -> GameConfig {
    GameConfig {
        max_players: 5000,
        ..GameConfig::default()
    }
}

pub fn world(seed: u64) -> World {
    World::new(config(), Content::builtin().expect("content"), seed).expect("world")
}

pub fn world_with(config: GameConfig, seed: u64) -> World {
    World::new(config, Content::builtin().expect("content"), seed).expect("world")
}

pub fn stack(item: &str, count: u32) -> Option<SavedStack> {
    Some(SavedStack {
        item: item.to_owned(),
        count,
        durability: None,
    })
}

/// Progress carrying the given items in the first slots.
pub fn carrying(items: &[(&str, u32)]) -> PlayerProgress {
    PlayerProgress {
        inventory: items.iter().map(|(n, c)| stack(n, *c)).collect(),
        ..PlayerProgress::default()
    }
}

/// Active nodes of the named kind, in id order.
pub fn nodes_of(world: &World, name: &str) -> Vec<(EntityId, Vec2)> {
    let kind = world.content().node_index(name).expect("node kind");
    (1..=world.node_count() as u32)
        .filter_map(|i| world.entity_view(EntityId(i)))
        .filter(|v| v.kind == EntityKind::Node && v.subtype == kind && v.flags == 0)
        .map(|v| (v.id, v.pos))
        .collect()
}

/// Joins a player standing `gap` units from `target`, trying directions until the
/// spot is accepted as safe. Returns the player and the aim angle toward the target.
pub fn join_near(
    world: &mut World,
    name: &str,
    target: Vec2,
    gap: f32,
    progress: PlayerProgress,
) -> Option<(PlayerId, f32)> {
    for k in 0..16 {
        let a = k as f32 * std::f32::consts::TAU / 16.0;
        let pos = target + Vec2::from_angle(a) * gap;
        let id = world
            .join(
                name,
                Some(PlayerProgress {
                    position: Some(pos),
                    ..progress.clone()
                }),
            )
            .ok()?;
        let at = world.entity_view(id.entity())?.pos;
        if at.distance_squared(pos) < 1e-3 {
            let d = target - at;
            return Some((id, d.y.atan2(d.x)));
        }
        world.leave(id);
    }
    None
}

/// Joins a player next to some node of kind `node` (first one where a spot is safe).
pub fn join_next_to(
    world: &mut World,
    node: &str,
    gap: f32,
    progress: PlayerProgress,
) -> (PlayerId, f32, EntityId) {
    let mut near = Vec::new();
    for (id, pos) in nodes_of(world, node) {
        // Only nodes with no other node within 130 u, so no neighbour steals the hit.
        near.clear();
        world.query_rect(sim_core::Rect::centered(pos, 400.0, 400.0), &mut near);
        let crowded = near.iter().any(|e| {
            *e != id
                && world.entity_view(*e).is_some_and(|v| {
                    v.kind == EntityKind::Node && v.pos.distance_squared(pos) < 130.0 * 130.0
                })
        });
        if crowded {
            continue;
        }
        if let Some((p, aim)) = join_near(world, "tester", pos, gap, progress.clone()) {
            return (p, aim, id);
        }
    }
    panic!("no spot next to a {node}");
}

pub fn input() -> PlayerInput {
    PlayerInput::default()
}

pub fn swing(aim: f32) -> PlayerInput {
    PlayerInput {
        primary: true,
        aim,
        ..PlayerInput::default()
    }
}

/// Steps once with one player's input and returns the events.
pub fn step1(world: &mut World, id: PlayerId, input: PlayerInput) -> Vec<Event> {
    world.step(&[(id, input)]).events
}

/// Steps `n` ticks with the same input, collecting events.
pub fn step_n(world: &mut World, id: PlayerId, input: &PlayerInput, n: usize) -> Vec<Event> {
    let mut all = Vec::new();
    for _ in 0..n {
        all.extend(world.step(&[(id, input.clone())]).events);
    }
    all
}

pub fn count_of(world: &World, id: PlayerId, item: &str) -> u32 {
    let i = world.content().item_index(item).expect("item");
    let v = world.private_view(id).expect("player");
    v.inventory
        .iter()
        .flatten()
        .filter(|s| s.item == i)
        .map(|s| u32::from(s.count))
        .sum()
}

pub fn slot_of(world: &World, id: PlayerId, item: &str) -> u8 {
    let i = world.content().item_index(item).expect("item");
    let v = world.private_view(id).expect("player");
    v.inventory
        .iter()
        .position(|s| s.is_some_and(|s| s.item == i))
        .expect("item in inventory") as u8
}

pub fn rejections(events: &[Event], who: PlayerId) -> Vec<sim_core::RejectReason> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Rejected { player, reason } if *player == who => Some(*reason),
            _ => None,
        })
        .collect()
}

/// Joins a player in open ground: no water and no node within 150 u.
pub fn join_in_open(world: &mut World, name: &str, progress: PlayerProgress) -> PlayerId {
    let side = world.terrain().side();
    let mut near = Vec::new();
    for i in (0..side * side).step_by(7) {
        let c = Vec2::new(
            (i % side) as f32 * 40.0 + 20.0,
            (i / side) as f32 * 40.0 + 20.0,
        );
        near.clear();
        world.query_rect(sim_core::Rect::centered(c, 300.0, 300.0), &mut near);
        let has_node = near.iter().any(|e| {
            world.entity_view(*e).is_some_and(|v| {
                v.kind == EntityKind::Node && v.pos.distance_squared(c) < 150.0 * 150.0
            })
        });
        let wet = (-4..=4).any(|dx| {
            (-4..=4).any(|dy| {
                world.biome_at(c + Vec2::new(dx as f32 * 40.0, dy as f32 * 40.0))
                    == sim_core::Biome::Water
            })
        });
        if has_node || wet {
            continue;
        }
        let id = world
            .join(
                name,
                Some(PlayerProgress {
                    position: Some(c),
                    ..progress.clone()
                }),
            )
            .expect("join");
        if world.entity_view(id.entity()).expect("player").pos == c {
            return id;
        }
        world.leave(id);
    }
    panic!("no open ground");
}

/// A world with the builtin content but nodes thinned out, so open ground for building
/// and lone nodes for gathering are easy to find.
pub fn sparse_world(seed: u64) -> World {
    sparse_world_with(config(), seed)
}

/// [`sparse_world`] with a given config.
pub fn sparse_world_with(config: GameConfig, seed: u64) -> World {
    let nodes = include_str!("../../content/nodes.toml");
    let thinned: String = nodes
        .lines()
        .map(|l| {
            if l.starts_with("density") {
                "density = { forest = 0.01, meadow = 0.01, desert = 0.01, mountains = 0.02, snow = 0.01 }".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let content = Content::from_sources(&[
        ("items.toml", include_str!("../../content/items.toml")),
        ("recipes.toml", include_str!("../../content/recipes.toml")),
        ("nodes.toml", &thinned),
        (
            "creatures.toml",
            include_str!("../../content/creatures.toml"),
        ),
        ("spawns.toml", include_str!("../../content/spawns.toml")),
    ])
    .expect("content");
    World::new(config, content, seed).expect("world")
}
