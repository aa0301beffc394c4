//! World generation, progress round trips and checkpoints.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a panic is a failure.

mod common;

use common::*;
use sim_core::{Biome, Content, EntityKind, GameConfig, PlayerProgress, SavedStack, World};

#[test]
fn the_same_seed_makes_the_same_world_and_nodes_follow_biomes() {
    let a = world(42);
    let b = world(42);
    assert_eq!(a.state_hash(), b.state_hash());
    assert_ne!(a.state_hash(), world(43).state_hash());
    let n = a.node_count();
    assert!((2000..6000).contains(&n), "a few thousand nodes, got {n}");
    let c = a.content();
    let mut per_kind = vec![0; c.nodes().len()];
    for i in 1..=n as u32 {
        let v = a.entity_view(sim_core::EntityId(i)).unwrap();
        assert_eq!(v.kind, EntityKind::Node);
        let biome = a.biome_at(v.pos);
        assert_ne!(biome, Biome::Water, "no node in water");
        let def = &c.nodes()[usize::from(v.subtype)];
        assert!(
            def.density.contains_key(&biome),
            "{} in {biome:?}",
            def.name
        );
        per_kind[usize::from(v.subtype)] += 1;
    }
    assert!(
        per_kind.iter().all(|k| *k > 20),
        "every node kind appears: {per_kind:?}"
    );
}

#[test]
fn bad_config_is_refused_with_every_problem_named() {
    let cfg = GameConfig {
        tick_rate: 0,
        world_size: f32::NAN,
        ..GameConfig::default()
    };
    let err = World::new(cfg, Content::builtin().unwrap(), 1)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("tick_rate") && err.contains("world_size"),
        "{err}"
    );
}

#[test]
fn progress_round_trips_inventory_meters_stats_and_team() {
    let mut w = world(1);
    let saved = PlayerProgress {
        xp: 1234,
        health: 80.0,
        hunger: 60.0,
        thirst: 70.0,
        stamina: 40.0,
        inventory: vec![
            stack("wood", 42),
            None,
            Some(SavedStack {
                item: "stone_axe".into(),
                count: 1,
                durability: Some(17),
            }),
        ],
        equipment: vec![
            None,
            Some(SavedStack {
                item: "leather_armor".into(),
                count: 1,
                durability: Some(9),
            }),
            stack("spear", 1),
        ],
        team: Some("fox".into()),
        playtime_s: 100,
        deaths: 2,
        kills: 3,
        gathered: 400,
        crafted: 5,
        ..PlayerProgress::default()
    };
    let id = w.join("saver", Some(saved.clone())).unwrap();
    let out = w.leave(id).unwrap();
    assert_eq!(out.level, sim_core::level_for_xp(1234));
    let mut expected_inv = saved.inventory.clone();
    expected_inv.resize(16, None);
    assert_eq!(out.inventory, expected_inv);
    assert_eq!(out.equipment[1], saved.equipment[1]);
    assert_eq!(out.equipment[2].as_ref().unwrap().durability, Some(100));
    assert_eq!(
        (out.health, out.hunger, out.thirst, out.stamina),
        (80.0, 60.0, 70.0, 40.0)
    );
    assert_eq!(
        (out.xp, out.deaths, out.kills, out.gathered, out.crafted),
        (1234, 2, 3, 400, 5)
    );
    assert_eq!(out.team.as_deref(), Some("fox"));
    assert!(out.position.is_some());
}

#[test]
fn hostile_saved_progress_is_cleaned_not_trusted() {
    let mut w = world(1);
    let evil = PlayerProgress {
        health: f32::NAN,
        hunger: 1e9,
        position: Some(sim_core::Vec2::new(f32::INFINITY, -5.0)),
        inventory: (0..5000)
            .map(|_| stack("wood", 1_000_000))
            .chain([stack("unobtainium", 5)])
            .collect(),
        equipment: vec![
            stack("wood", 5),
            stack("wood", 5),
            stack("wood", 5),
            stack("wood", 5),
        ],
        xp: u64::MAX,
        gathered: u64::MAX,
        crafted: u64::MAX,
        playtime_s: u64::MAX,
        kills: u32::MAX,
        deaths: u32::MAX,
        ..PlayerProgress::default()
    };
    let id = w.join("evil", Some(evil)).unwrap();
    let v = w.private_view(id).unwrap();
    assert_eq!(
        v.inventory.len(),
        24,
        "never more than base + backpack slots"
    );
    assert!(v.inventory.iter().flatten().all(|s| s.count <= 100));
    assert_eq!(v.equipment, [None, None, None]);
    assert!((0.0..=100.0).contains(&v.health) && (0.0..=100.0).contains(&v.hunger));
    let p = w.entity_view(id.entity()).unwrap().pos;
    assert!(p.x.is_finite() && p.y > 0.0);
    // Counters at their maximum saturate instead of overflowing.
    for _ in 0..40 {
        w.step(&[]);
    }
    let out = w.leave(id).unwrap();
    assert_eq!(
        (out.xp, out.playtime_s, out.kills),
        (u64::MAX, u64::MAX, u32::MAX)
    );
}

#[test]
fn checkpoints_carry_depleted_nodes_and_their_timers() {
    let mut w = sparse_world(5);
    let (p, aim, node) = join_next_to(&mut w, "bush", 45.0, carrying(&[]));
    for _ in 0..8 {
        step1(&mut w, p, swing(aim));
        step_n(&mut w, p, &input(), 10);
    }
    let cp = w.checkpoint();
    let saved = cp
        .nodes
        .iter()
        .find(|n| n.index + 1 == node.0)
        .expect("depleted bush saved");
    assert_eq!(saved.amount, 0);
    let respawn = saved.respawn_tick.expect("timer saved");
    let mut fresh = sparse_world(5);
    fresh.restore(&cp).unwrap();
    assert_eq!(fresh.tick(), cp.tick);
    assert_eq!(fresh.checkpoint(), cp);
    assert_ne!(
        fresh.entity_view(node).unwrap().flags,
        0,
        "still depleted after restore"
    );
    while fresh.tick() < respawn {
        fresh.step(&[]);
    }
    assert_eq!(
        fresh.entity_view(node).unwrap().flags,
        0,
        "regrows on schedule"
    );
    let mut other = sparse_world(6);
    assert!(
        other.restore(&cp).is_err(),
        "a checkpoint only fits its own seed"
    );
}

#[test]
fn the_bulk_view_walk_sees_exactly_what_look_ups_see() {
    let mut world = world(5);
    let mut bots = sim_core::bots::Bots::join(&mut world, 60, 5);
    for _ in 0..400 {
        let tick = world.tick();
        let inputs = bots.inputs(tick).to_vec();
        world.step(&inputs);
    }
    let mut walked = Vec::new();
    world.for_each_entity_view(|v, parts| {
        assert_eq!(parts.is_some(), v.kind == EntityKind::Player, "{v:?}");
        if let Some(p) = parts {
            let public = world.player_public(v.id).expect("a player");
            assert_eq!(
                (p.name, p.level, p.team),
                (public.name.as_str(), public.level, public.team)
            );
        }
        walked.push(v);
    });
    walked.sort_by_key(|v| v.id);
    let size = world.config().world_size;
    let mut ids = Vec::new();
    world.query_rect(
        sim_core::Rect::centered(
            sim_core::Vec2::new(size / 2.0, size / 2.0),
            3.0 * size,
            3.0 * size,
        ),
        &mut ids,
    );
    ids.dedup();
    let looked_up: Vec<_> = ids.iter().filter_map(|id| world.entity_view(*id)).collect();
    assert_eq!(walked.len(), world.entity_count());
    assert_eq!(walked, looked_up);
    assert!(
        walked.iter().any(|v| v.kind == EntityKind::Creature),
        "creatures spawned"
    );
}
