//! Property tests: arbitrary inputs never panic, inventories never go negative or over
//! capacity, and every entity stays inside the world.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a panic is a failure.

mod common;

use common::*;
use proptest::prelude::*;
use sim_core::{
    BuildCommand, ChatChannel, ChatCommand, EntityId, PlayerInput, Rect, TeamCommand, Vec2, World,
};

fn any_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        -2.0f32..2.0,
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        Just(f32::MAX),
        -1e9f32..1e9,
    ]
}

fn any_input() -> impl Strategy<Value = PlayerInput> {
    (
        (any_f32(), any_f32(), any::<bool>(), any_f32()),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        (
            proptest::option::of(any::<u8>()),
            proptest::option::of(any::<u16>()),
            any::<bool>(),
        ),
        proptest::option::of((
            any::<u8>(),
            -3i32..110,
            prop_oneof![-3i32..110, Just(i32::MIN), Just(i32::MAX)],
        )),
        (
            proptest::option::of(any::<u8>()),
            proptest::option::of(any::<u8>()),
        ),
        proptest::option::of(("\\PC{0,300}", any::<bool>())),
        proptest::option::of(prop_oneof![
            "\\PC{0,40}".prop_map(TeamCommand::Create),
            any::<u32>().prop_map(TeamCommand::Join),
            Just(TeamCommand::Leave),
        ]),
        (
            proptest::option::of(any::<u8>()),
            proptest::option::of(any::<u8>()),
        ),
    )
        .prop_map(
            |(mv, acts, slots, build, dropeq, chat, team, chest)| PlayerInput {
                seq: 0,
                move_x: mv.0,
                move_y: mv.1,
                sprint: mv.2,
                aim: mv.3,
                primary: acts.0,
                secondary: acts.1,
                interact: acts.2,
                select_slot: slots.0,
                craft: slots.1,
                cancel_craft: slots.2,
                build: build.map(|(slot, cell_x, cell_y)| BuildCommand {
                    slot,
                    cell_x,
                    cell_y,
                }),
                drop_slot: dropeq.0,
                equip_slot: dropeq.1,
                chat: chat.map(|(text, team)| ChatCommand {
                    channel: if team {
                        ChatChannel::Team
                    } else {
                        ChatChannel::Global
                    },
                    text,
                }),
                team,
                chest_put: chest.0,
                chest_take: chest.1,
            },
        )
}

fn check_invariants(w: &World) {
    let size = w.config().world_size;
    for id in w.player_ids().collect::<Vec<_>>() {
        let v = w.private_view(id).unwrap();
        assert!(
            v.inventory.len() <= 24,
            "inventory of {} slots",
            v.inventory.len()
        );
        for s in v.inventory.iter().chain(v.equipment.iter()).flatten() {
            let def = w.content().item(s.item).expect("known item");
            assert!(s.count >= 1 && s.count <= def.max_stack(), "{s:?}");
        }
        for m in [v.health, v.hunger, v.thirst, v.stamina] {
            assert!((0.0..=100.0).contains(&m), "meter {m}");
        }
    }
    let mut all = Vec::new();
    w.query_rect(
        Rect {
            min: Vec2::new(-1e9, -1e9),
            max: Vec2::new(1e9, 1e9),
        },
        &mut all,
    );
    for id in all {
        let v = w.entity_view(id).expect("every grid entity has a view");
        assert!(v.pos.x.is_finite() && v.pos.y.is_finite());
        assert!(
            (0.0..=size).contains(&v.pos.x) && (0.0..=size).contains(&v.pos.y),
            "{v:?}"
        );
    }
    let _ = EntityId(0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_inputs_keep_the_world_sane(
        inputs in proptest::collection::vec(proptest::collection::vec(any_input(), 3), 1..40),
    ) {
        let mut w = sparse_world(5);
        let kit = carrying(&[("wood", 99), ("stone", 99), ("fiber", 50), ("wooden_wall", 5), ("chest", 2), ("bow", 1), ("arrows", 30), ("berries", 10)]);
        let ids: Vec<_> = (0..3).map(|i| w.join(&format!("p{i}"), Some(kit.clone())).unwrap()).collect();
        for tick in &inputs {
            let batch: Vec<_> = ids.iter().copied().zip(tick.iter().cloned()).collect();
            w.step(&batch);
            check_invariants(&w);
        }
        // Progress read out and back in keeps everything that was carried.
        for id in ids {
            let saved = w.leave(id).unwrap();
            let back = w.join("again", Some(saved.clone())).unwrap();
            let again = w.progress(back).unwrap();
            prop_assert_eq!(&again.inventory, &saved.inventory);
            prop_assert_eq!(again.xp, saved.xp);
        }
    }
}
