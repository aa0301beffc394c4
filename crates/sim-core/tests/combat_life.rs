//! Combat damage and armor, teams, death and loot bags, meters, eating and drinking,
//! chat limits and the leaderboard.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a panic is a failure.

mod common;

use common::*;
use sim_core::{
    ChatChannel, ChatCommand, EntityKind, Event, PlayerId, PlayerInput, PlayerProgress, Rect,
    RejectReason, SavedStack, TeamCommand, Vec2, World,
};

fn pos_of(w: &World, p: PlayerId) -> Vec2 {
    w.entity_view(p.entity()).unwrap().pos
}

fn armed(weapon: &str, armor: Option<&str>, health: f32) -> PlayerProgress {
    PlayerProgress {
        health,
        inventory: vec![stack("wood", 7)],
        equipment: vec![
            None,
            armor.map(|a| SavedStack {
                item: a.to_owned(),
                count: 1,
                durability: None,
            }),
            stack(weapon, 1),
        ],
        ..PlayerProgress::default()
    }
}

/// Attacker and victim 50 u apart on open ground; returns (attacker, victim, aim).
fn duel(
    w: &mut World,
    attacker: PlayerProgress,
    victim: PlayerProgress,
) -> (PlayerId, PlayerId, f32) {
    let v = w.join("victim", Some(victim)).unwrap();
    let at = pos_of(w, v);
    let (a, aim) = join_near(w, "attacker", at, 50.0, attacker).expect("room for a duel");
    (a, v, aim)
}

fn hits(events: &[Event], target: PlayerId) -> Vec<f32> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Hit {
                target: t, damage, ..
            } if *t == target.entity() => Some(*damage),
            _ => None,
        })
        .collect()
}

#[test]
fn melee_damage_is_weapon_minus_armor_times_a_small_roll() {
    let mut pushed_away = 0;
    for seed in 0..6 {
        let mut w = world(seed);
        let (a, v, aim) = duel(
            &mut w,
            armed("wooden_sword", None, 100.0),
            armed("stone_axe", Some("leather_armor"), 100.0),
        );
        let ev = step1(&mut w, a, swing(aim));
        let d = hits(&ev, v);
        assert_eq!(d.len(), 1, "{ev:?}");
        assert!(
            (9.0 * 0.9..=9.0 * 1.1).contains(&d[0]),
            "12 - 3 armor: {}",
            d[0]
        );
        let before = pos_of(&w, v);
        step1(&mut w, a, input());
        // Knockback pushes away from the attacker (unless a shore or wall is behind).
        let away = before - pos_of(&w, a);
        let moved = pos_of(&w, v) - before;
        if moved.x * away.x + moved.y * away.y > 0.0 {
            pushed_away += 1;
        }
        let view = w.private_view(v).unwrap();
        assert_eq!(view.equipment[1].unwrap().durability, 149, "armor wears");
        assert_eq!(
            w.private_view(a).unwrap().equipment[2].unwrap().durability,
            79,
            "sword wears"
        );
    }
    assert!(
        pushed_away >= 3,
        "knockback moved only {pushed_away} of 6 victims"
    );
    let mut w = world(1);
    let (a, v, aim) = duel(
        &mut w,
        armed("spear", None, 100.0),
        armed("stone_axe", Some("metal_armor"), 100.0),
    );
    let d = hits(&step1(&mut w, a, swing(aim)), v);
    assert!((8.0 * 0.9..=8.0 * 1.1).contains(&d[0]), "16 - 8: {d:?}");
}

#[test]
fn damage_never_falls_below_one() {
    let mut w = world(2);
    let bare = PlayerProgress::default();
    let (a, v, aim) = duel(&mut w, bare, armed("stone_axe", Some("metal_armor"), 100.0));
    let d = hits(&step1(&mut w, a, swing(aim)), v);
    assert!((0.9..=1.1).contains(&d[0]), "hands 5 - armor 8 -> 1: {d:?}");
}

#[test]
fn teammates_cannot_hurt_each_other() {
    let mut w = world(4);
    let (a, v, aim) = duel(
        &mut w,
        armed("metal_sword", None, 100.0),
        PlayerProgress::default(),
    );
    step1(
        &mut w,
        v,
        PlayerInput {
            team: Some(TeamCommand::Create("wolves".into())),
            ..input()
        },
    );
    let ev = step1(
        &mut w,
        a,
        PlayerInput {
            team: Some(TeamCommand::Join(v.0)),
            ..input()
        },
    );
    assert!(ev.iter().any(|e| matches!(e, Event::TeamChanged { .. })));
    assert_eq!(
        w.player_public(a.entity()).unwrap().team,
        w.player_public(v.entity()).unwrap().team
    );
    assert!(hits(&step1(&mut w, a, swing(aim)), v).is_empty());
    assert_eq!(w.private_view(v).unwrap().health, 100.0);
}

#[test]
fn teams_hold_at_most_four() {
    let mut w = world(4);
    let ids: Vec<_> = (0..6)
        .map(|i| w.join(&format!("p{i}"), None).unwrap())
        .collect();
    let mut inputs = vec![(
        ids[0],
        PlayerInput {
            team: Some(TeamCommand::Create("crew".into())),
            ..input()
        },
    )];
    w.step(&inputs);
    inputs.clear();
    for id in &ids[1..] {
        inputs.push((
            *id,
            PlayerInput {
                team: Some(TeamCommand::Join(ids[0].0)),
                ..input()
            },
        ));
    }
    let ev = w.step(&inputs).events;
    let team = w.player_public(ids[0].entity()).unwrap().team.unwrap();
    assert_eq!(w.team(team).unwrap().1.len(), 4);
    assert_eq!(rejections(&ev, ids[5]), vec![RejectReason::TeamUnavailable]);
}

#[test]
fn death_drops_a_loot_bag_credits_the_killer_and_respawns_with_the_kit() {
    let mut w = world(5);
    let (a, v, aim) = duel(
        &mut w,
        armed("metal_sword", None, 100.0),
        armed("stone_axe", None, 3.0),
    );
    let at = pos_of(&w, v);
    let ev = step1(&mut w, a, swing(aim));
    assert!(ev.iter().any(|e| matches!(e, Event::Death { victim, killer: Some(k), .. } if *victim == v.entity() && *k == a.entity())), "{ev:?}");
    assert!(w.private_view(v).unwrap().dead);
    let mut near = Vec::new();
    w.query_rect(Rect::centered(at, 10.0, 10.0), &mut near);
    let bags: Vec<_> = near
        .iter()
        .filter_map(|e| w.entity_view(*e))
        .filter(|e| e.kind == EntityKind::LootBag)
        .collect();
    assert_eq!(bags.len(), 1);
    assert_eq!(w.progress(a).unwrap().kills, 1);
    // 50 for the kill, plus whatever the same swing gathered from a node in the arc.
    assert!(w.private_view(a).unwrap().xp >= 50);
    assert_eq!(w.progress(v).unwrap().deaths, 1);
    assert_eq!(count_of(&w, v, "wood"), 0);
    let ev = step_n(&mut w, v, &input(), 60);
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::Respawned { player, .. } if *player == v))
    );
    let view = w.private_view(v).unwrap();
    assert!(!view.dead);
    assert_eq!(view.health, 100.0);
    assert_eq!(count_of(&w, v, "berries"), 5);
    // The killer walks over and picks up the bag: the victim's wood and axe.
    let bag = bags[0];
    let to = bag.pos - pos_of(&w, a);
    let walk = PlayerInput {
        move_x: to.x / to.length(),
        move_y: to.y / to.length(),
        ..input()
    };
    step_n(&mut w, a, &walk, 3);
    step1(
        &mut w,
        a,
        PlayerInput {
            interact: true,
            ..input()
        },
    );
    assert_eq!(count_of(&w, a, "wood"), 14);
    assert_eq!(count_of(&w, a, "stone_axe"), 1);
    assert!(w.entity_view(bag.id).is_none(), "an emptied bag is gone");
}

#[test]
fn loot_bags_vanish_after_five_minutes() {
    let mut w = world(5);
    let p = w.join("dropper", Some(carrying(&[("wood", 3)]))).unwrap();
    let at = pos_of(&w, p);
    step1(
        &mut w,
        p,
        PlayerInput {
            drop_slot: Some(0),
            ..input()
        },
    );
    let bags = |w: &World| {
        let mut near = Vec::new();
        w.query_rect(Rect::centered(at, 10.0, 10.0), &mut near);
        near.iter()
            .filter(|e| {
                w.entity_view(**e)
                    .is_some_and(|v| v.kind == EntityKind::LootBag)
            })
            .count()
    };
    assert_eq!(bags(&w), 1);
    assert_eq!(count_of(&w, p, "wood"), 0);
    let leave = w.leave(p);
    assert!(leave.is_some());
    for _ in 0..(300 * 20 - 2) {
        w.step(&[]);
    }
    assert_eq!(bags(&w), 1);
    w.step(&[]);
    w.step(&[]);
    assert_eq!(bags(&w), 0);
}

#[test]
fn starving_and_dehydrated_players_lose_one_health_per_second_each() {
    let mut w = world(6);
    let p = w
        .join(
            "hungry",
            Some(PlayerProgress {
                hunger: 0.0,
                thirst: 60.0,
                ..PlayerProgress::default()
            }),
        )
        .unwrap();
    step_n(&mut w, p, &input(), 20);
    let h = w.private_view(p).unwrap().health;
    assert!((98.95..=99.05).contains(&h), "{h}");
    let q = w
        .join(
            "parched",
            Some(PlayerProgress {
                hunger: 0.0,
                thirst: 0.0,
                health: 50.0,
                ..PlayerProgress::default()
            }),
        )
        .unwrap();
    step_n(&mut w, q, &input(), 20);
    let h = w.private_view(q).unwrap().health;
    assert!((47.95..=48.05).contains(&h), "{h}");
    let r = w
        .join(
            "fed",
            Some(PlayerProgress {
                health: 50.0,
                ..PlayerProgress::default()
            }),
        )
        .unwrap();
    step_n(&mut w, r, &input(), 20);
    let h = w.private_view(r).unwrap().health;
    assert!((50.45..=50.55).contains(&h), "regenerates 0.5/s: {h}");
    let view = w.private_view(r).unwrap();
    assert!(
        view.hunger < 100.0 && view.thirst < view.hunger,
        "thirst falls faster"
    );
}

#[test]
fn eating_restores_hunger_and_uses_one_item() {
    let mut w = world(6);
    let p = w
        .join(
            "eater",
            Some(PlayerProgress {
                hunger: 50.0,
                inventory: vec![stack("cooked_meat", 2)],
                ..PlayerProgress::default()
            }),
        )
        .unwrap();
    let ev = step1(
        &mut w,
        p,
        PlayerInput {
            secondary: true,
            ..input()
        },
    );
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::Consumed { item: Some(_), .. }))
    );
    assert_eq!(count_of(&w, p, "cooked_meat"), 1);
    assert!(w.private_view(p).unwrap().hunger > 79.0);
}

#[test]
fn bow_shoots_arrows_that_hit() {
    let mut w = world(8);
    let mut bow = armed("bow", None, 100.0);
    bow.inventory = vec![stack("arrows", 2)];
    let v = w.join("target", None).unwrap();
    let at = pos_of(&w, v);
    let (a, aim) = join_near(&mut w, "archer", at, 200.0, bow).expect("room");
    let mut ev = step1(&mut w, a, swing(aim));
    assert_eq!(count_of(&w, a, "arrows"), 1);
    ev.extend(step_n(&mut w, a, &input(), 10));
    let d = hits(&ev, v);
    assert_eq!(d.len(), 1, "{ev:?}");
    assert!((18.0 * 0.9..=18.0 * 1.1).contains(&d[0]));
    step_n(&mut w, a, &input(), 20);
    step1(&mut w, a, swing(aim));
    step_n(&mut w, a, &input(), 20);
    let arrows = w.content().item_index("arrows").unwrap();
    let ev = step1(&mut w, a, swing(aim));
    assert_eq!(rejections(&ev, a), vec![RejectReason::MissingItem(arrows)]);
}

#[test]
fn chat_is_cleaned_rate_limited_and_team_only_for_teams() {
    let mut w = world(1);
    let p = w.join("talker", None).unwrap();
    let say = |text: &str, channel| PlayerInput {
        chat: Some(ChatCommand {
            channel,
            text: text.into(),
        }),
        ..input()
    };
    let ev = step1(
        &mut w,
        p,
        say(
            &format!("hi\u{7}{}", "x".repeat(10_000)),
            ChatChannel::Global,
        ),
    );
    let Some(Event::Chat { text, .. }) = ev.first() else {
        panic!("{ev:?}")
    };
    assert_eq!(text.chars().count(), 200);
    assert!(!text.contains('\u{7}'));
    assert_eq!(
        rejections(&step1(&mut w, p, say(" \n ", ChatChannel::Global)), p),
        vec![RejectReason::EmptyChat]
    );
    assert_eq!(
        rejections(&step1(&mut w, p, say("team?", ChatChannel::Team)), p),
        vec![RejectReason::TeamUnavailable]
    );
    step1(&mut w, p, say("two", ChatChannel::Global));
    step1(&mut w, p, say("three", ChatChannel::Global));
    assert_eq!(
        rejections(&step1(&mut w, p, say("four", ChatChannel::Global)), p),
        vec![RejectReason::ChatRateLimited]
    );
    step_n(&mut w, p, &input(), 40);
    assert!(rejections(&step1(&mut w, p, say("later", ChatChannel::Global)), p).is_empty());
}

#[test]
fn leaderboard_ranks_by_experience() {
    let mut w = world(1);
    for (i, xp) in [50u64, 900, 10, 300].iter().enumerate() {
        w.join(
            &format!("p{i}"),
            Some(PlayerProgress {
                xp: *xp,
                ..PlayerProgress::default()
            }),
        )
        .unwrap();
    }
    let top = w.leaderboard();
    let names: Vec<_> = top.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["p1", "p3", "p0", "p2"]);
    assert_eq!(top[0].level, sim_core::level_for_xp(900));
}

#[test]
fn commands_of_dead_players_are_rejected() {
    let mut w = world(5);
    let (a, v, aim) = duel(
        &mut w,
        armed("metal_sword", None, 100.0),
        armed("stone_axe", None, 1.0),
    );
    step1(&mut w, a, swing(aim));
    let ev = step1(
        &mut w,
        v,
        PlayerInput {
            drop_slot: Some(0),
            ..input()
        },
    );
    assert_eq!(rejections(&ev, v), vec![RejectReason::Dead]);
}
