//! Creatures (spawning under caps, despawning far from players, chasing and
//! biting), day and night, the cold, doors and the backpack.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a panic is a failure.

mod common;

use common::*;
use sim_core::{EntityKind, Event, GameConfig, PlayerInput, PlayerProgress, Rect, Vec2, World};

fn creatures(w: &World) -> Vec<sim_core::EntityView> {
    let mut all = Vec::new();
    w.query_rect(
        Rect {
            min: Vec2::new(-1.0, -1.0),
            max: Vec2::new(1e5, 1e5),
        },
        &mut all,
    );
    all.iter()
        .filter_map(|e| w.entity_view(*e))
        .filter(|v| v.kind == EntityKind::Creature)
        .collect()
}

#[test]
fn creatures_spawn_under_the_caps_and_leave_with_the_players() {
    let mut w = world(31);
    let ids: Vec<_> = (0..30)
        .map(|i| w.join(&format!("p{i}"), None).unwrap())
        .collect();
    let mut max_seen = 0;
    for _ in 0..1200 {
        w.step(&[]);
        max_seen = max_seen.max(w.creature_count());
    }
    let content = w.content().clone();
    let total_cap: i64 = content.spawns().iter().map(|s| s.cap).sum();
    assert!(max_seen > 0, "something spawned");
    assert!(
        max_seen as i64 <= total_cap,
        "{max_seen} over the day caps {total_cap}"
    );
    for v in creatures(&w) {
        let def = &content.creatures()[usize::from(v.subtype)];
        assert!(v.health_pct <= 100, "{}", def.name);
    }
    for id in ids {
        w.leave(id);
    }
    for _ in 0..40 {
        w.step(&[]);
    }
    assert_eq!(
        w.creature_count(),
        0,
        "nobody near: every creature despawned"
    );
}

#[test]
fn night_comes_after_daylight_and_day_returns() {
    let cfg = GameConfig {
        day_length_s: 20.0,
        daylight_s: 8.0,
        ..config()
    };
    let mut w = world_with(cfg, 31);
    assert!(!w.is_night());
    for _ in 0..160 {
        w.step(&[]);
    }
    assert!(w.is_night(), "night after 8 s of daylight");
    for _ in 0..240 {
        w.step(&[]);
    }
    assert!(!w.is_night(), "a new day after 20 s");
}

#[test]
fn wolves_chase_and_bite_nearby_players() {
    let mut w = world(31);
    let ids: Vec<_> = (0..40)
        .map(|i| w.join(&format!("p{i}"), None).unwrap())
        .collect();
    let mut bitten = false;
    for _ in 0..3000 {
        let out = w.step(&[]);
        bitten |= out.events.iter().any(|e| {
            matches!(e,
            Event::Hit { attacker, target, .. }
                if ids.iter().any(|p| p.entity() == *target)
                    && w.entity_view(*attacker).is_some_and(|v| v.kind == EntityKind::Creature))
        });
        if bitten {
            break;
        }
    }
    assert!(bitten, "some hostile creature bit a player within 150 s");
}

#[test]
fn snow_at_night_hurts_without_a_fire() {
    let cfg = GameConfig {
        day_length_s: 20.0,
        daylight_s: 1.0,
        ..config()
    };
    let mut w = world_with(cfg, 31);
    let side = w.terrain().side();
    let cells = w.terrain().cells().to_vec();
    let mut snowy = None;
    for (i, b) in cells.iter().enumerate() {
        if *b != sim_core::Biome::Snow {
            continue;
        }
        let c = Vec2::new(
            (i % side) as f32 * 40.0 + 20.0,
            (i / side) as f32 * 40.0 + 20.0,
        );
        let id = w
            .join(
                "cold",
                Some(PlayerProgress {
                    position: Some(c),
                    health: 50.0,
                    ..PlayerProgress::default()
                }),
            )
            .unwrap();
        if w.entity_view(id.entity()).unwrap().pos == c {
            snowy = Some(id);
            break;
        }
        w.leave(id);
    }
    let p = snowy.expect("a snowy spot");
    step_n(&mut w, p, &input(), 40);
    assert!(w.is_night());
    // Fed players regenerate 0.5/s; the cold takes 0.5/s: by night they hold steady
    // instead of healing, so health must not rise above the start.
    let h = w.private_view(p).unwrap().health;
    assert!(h <= 50.0 + 0.5 * 1.05, "health {h}");
}

#[test]
fn doors_open_for_their_owner_and_the_backpack_adds_slots() {
    let mut w = sparse_world(12);
    let p = join_in_open(
        &mut w,
        "owner",
        carrying(&[("wooden_door", 1), ("backpack", 1)]),
    );
    let at = w.entity_view(p.entity()).unwrap().pos;
    let (cx, cy) = ((at.x / 40.0) as i32, (at.y / 40.0) as i32);
    let ev = step1(
        &mut w,
        p,
        PlayerInput {
            build: Some(sim_core::BuildCommand {
                slot: 0,
                cell_x: cx + 2,
                cell_y: cy,
            }),
            ..input()
        },
    );
    let door = ev
        .iter()
        .find_map(|e| match e {
            Event::StructurePlaced { entity, .. } => Some(*entity),
            _ => None,
        })
        .expect("door placed");
    assert_eq!(
        w.entity_view(door).unwrap().flags & sim_core::EntityView::FLAG_INACTIVE,
        0
    );
    step1(
        &mut w,
        p,
        PlayerInput {
            interact: true,
            ..input()
        },
    );
    assert_ne!(
        w.entity_view(door).unwrap().flags & sim_core::EntityView::FLAG_INACTIVE,
        0,
        "open"
    );
    let door_pos = w.entity_view(door).unwrap().pos;
    let stranger = join_near(
        &mut w,
        "stranger",
        door_pos,
        60.0,
        PlayerProgress::default(),
    )
    .expect("room")
    .0;
    step_n(&mut w, stranger, &input(), 10);
    let ev = step1(
        &mut w,
        stranger,
        PlayerInput {
            interact: true,
            ..input()
        },
    );
    assert_eq!(
        rejections(&ev, stranger),
        vec![sim_core::RejectReason::NotOwner]
    );
    // Backpack: select it and use it.
    let slot = slot_of(&w, p, "backpack");
    step1(
        &mut w,
        p,
        PlayerInput {
            select_slot: Some(slot),
            ..input()
        },
    );
    step_n(&mut w, p, &input(), 10);
    step1(
        &mut w,
        p,
        PlayerInput {
            secondary: true,
            ..input()
        },
    );
    assert_eq!(w.private_view(p).unwrap().inventory.len(), 24);
    assert_eq!(count_of(&w, p, "backpack"), 0);
}

#[test]
fn inputs_for_unknown_players_are_ignored() {
    let mut w = world(1);
    let before = w.state_hash();
    let out = w.step(&[(
        sim_core::PlayerId(999_999),
        PlayerInput {
            primary: true,
            ..input()
        },
    )]);
    assert!(out.events.is_empty());
    assert_ne!(w.state_hash(), before, "the tick still advanced");
    assert_eq!(w.tick(), 1);
}
