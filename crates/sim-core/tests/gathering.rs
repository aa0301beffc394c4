//! Gathering yields, tool tiers, depletion and the respawn window.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a panic is a failure.

mod common;

use common::*;
use sim_core::{EntityView, Event, GameConfig, RejectReason};

fn gathered(events: &[Event]) -> Vec<(u16, u32)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Gathered { item, count, .. } => Some((*item, *count)),
            _ => None,
        })
        .collect()
}

#[test]
fn hands_gather_one_and_a_stone_axe_two_per_swing() {
    let mut w = sparse_world(7);
    let (p, aim, _) = join_next_to(&mut w, "tree", 60.0, carrying(&[("stone_axe", 1)]));
    let wood = w.content().item_index("wood").unwrap();
    let ev = step1(&mut w, p, swing(aim));
    assert_eq!(gathered(&ev), vec![(wood, 1)]);
    // Same swing again before the cooldown: nothing.
    assert!(gathered(&step1(&mut w, p, swing(aim))).is_empty());
    step_n(&mut w, p, &input(), 10);
    let equip = sim_core::PlayerInput {
        equip_slot: Some(slot_of(&w, p, "stone_axe")),
        ..input()
    };
    step1(&mut w, p, equip);
    let ev = step1(&mut w, p, swing(aim));
    assert_eq!(gathered(&ev), vec![(wood, 2)]);
    assert_eq!(count_of(&w, p, "wood"), 3);
    let v = w.private_view(p).unwrap();
    assert_eq!(
        v.equipment[2].unwrap().durability,
        99,
        "the axe wears per hit"
    );
    assert_eq!(v.xp, 3, "one xp per unit");
}

#[test]
fn looking_away_or_standing_far_gathers_nothing() {
    let mut w = sparse_world(7);
    let (p, aim, tree) = join_next_to(&mut w, "tree", 60.0, carrying(&[]));
    step1(&mut w, p, swing(aim + std::f32::consts::PI));
    assert_eq!(w.entity_view(tree).unwrap().health_pct, 100);
    let mut w = sparse_world(7);
    let (p, aim, tree) = join_next_to(&mut w, "tree", 140.0, carrying(&[]));
    step1(&mut w, p, swing(aim));
    assert_eq!(w.entity_view(tree).unwrap().health_pct, 100);
    // The control: the same swing from close by does take wood.
    let mut w = sparse_world(7);
    let (p, aim, tree) = join_next_to(&mut w, "tree", 60.0, carrying(&[]));
    step1(&mut w, p, swing(aim));
    assert!(w.entity_view(tree).unwrap().health_pct < 100);
}

#[test]
fn ore_needs_a_stone_pickaxe_and_gives_ore_and_coal() {
    let mut w = sparse_world(11);
    let (p, aim, _) = join_next_to(&mut w, "ore", 55.0, carrying(&[("stone_pickaxe", 1)]));
    let ev = step1(&mut w, p, swing(aim));
    assert!(gathered(&ev).is_empty());
    assert_eq!(rejections(&ev, p), vec![RejectReason::ToolTooWeak]);
    step_n(&mut w, p, &input(), 10);
    let equip = sim_core::PlayerInput {
        equip_slot: Some(slot_of(&w, p, "stone_pickaxe")),
        ..input()
    };
    step1(&mut w, p, equip);
    let mut total = 0;
    for _ in 0..8 {
        total += gathered(&step1(&mut w, p, swing(aim)))
            .iter()
            .map(|g| g.1)
            .sum::<u32>();
        step_n(&mut w, p, &input(), 10);
    }
    assert_eq!(count_of(&w, p, "metal_ore") + count_of(&w, p, "coal"), 16);
    assert_eq!(total, 16);
    assert_eq!(count_of(&w, p, "metal_ore"), 12);
    assert_eq!(count_of(&w, p, "coal"), 4);
}

#[test]
fn a_depleted_bush_regrows_inside_the_configured_window() {
    let cfg = GameConfig {
        resource_respawn_min_s: 2.0,
        resource_respawn_max_s: 3.0,
        ..config()
    };
    let mut w = sparse_world_with(cfg, 5);
    let (p, aim, node) = join_next_to(&mut w, "bush", 45.0, carrying(&[]));
    let mut depleted_at = None;
    for _ in 0..6 {
        for e in step1(&mut w, p, swing(aim)) {
            if let Event::NodeDepleted {
                node: n,
                respawn_tick,
            } = e
            {
                assert_eq!(n, node);
                depleted_at = Some((w.tick(), respawn_tick));
            }
        }
        step_n(&mut w, p, &input(), 10);
    }
    assert_eq!(count_of(&w, p, "berries"), 6, "the whole bush");
    let (at, respawn) = depleted_at.expect("bush depleted");
    assert!((at + 40..=at + 60).contains(&respawn), "{at} -> {respawn}");
    assert_ne!(
        w.entity_view(node).unwrap().flags & EntityView::FLAG_INACTIVE,
        0
    );
    while w.tick() < respawn - 1 {
        w.step(&[]);
    }
    assert_ne!(
        w.entity_view(node).unwrap().flags & EntityView::FLAG_INACTIVE,
        0
    );
    w.step(&[]);
    assert_eq!(
        w.entity_view(node).unwrap().flags & EntityView::FLAG_INACTIVE,
        0
    );
    assert_eq!(w.entity_view(node).unwrap().health_pct, 100);
}

#[test]
fn default_respawn_delays_fall_in_300_to_900_seconds() {
    let mut w = sparse_world(21);
    let (p, aim, _) = join_next_to(&mut w, "fiber_plant", 40.0, carrying(&[]));
    let mut seen = None;
    for _ in 0..8 {
        for e in step1(&mut w, p, swing(aim)) {
            if let Event::NodeDepleted { respawn_tick, .. } = e {
                seen = Some(respawn_tick - w.tick());
            }
        }
        step_n(&mut w, p, &input(), 10);
    }
    let delay = seen.expect("plant depleted");
    assert!((300 * 20..=900 * 20).contains(&delay), "{delay}");
}
