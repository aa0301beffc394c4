//! Crafting with stations, time, cancel and refund; building and placement rules.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a panic is a failure.

mod common;

use common::*;
use sim_core::{BuildCommand, Event, PlayerId, PlayerInput, RejectReason, Vec2, World};

fn craft(w: &mut World, p: PlayerId, name: &str) -> Vec<Event> {
    let input = PlayerInput {
        craft: Some(w.content().recipe_index(name).expect("recipe")),
        ..input()
    };
    step1(w, p, input)
}

fn pos_of(w: &World, p: PlayerId) -> Vec2 {
    w.entity_view(p.entity()).unwrap().pos
}

/// Places the item in `slot` on the first free cell two cells from the player.
fn build_nearby(w: &mut World, p: PlayerId, item: &str) -> Option<sim_core::EntityId> {
    let at = pos_of(w, p);
    let (cx, cy) = ((at.x / 40.0) as i32, (at.y / 40.0) as i32);
    for (dx, dy) in [
        (2, 0),
        (-2, 0),
        (0, 2),
        (0, -2),
        (2, 2),
        (-2, -2),
        (2, -2),
        (-2, 2),
    ] {
        let cmd = BuildCommand {
            slot: slot_of(w, p, item),
            cell_x: cx + dx,
            cell_y: cy + dy,
        };
        let ev = step1(
            w,
            p,
            PlayerInput {
                build: Some(cmd),
                ..input()
            },
        );
        for e in ev {
            if let Event::StructurePlaced { entity, .. } = e {
                return Some(entity);
            }
        }
    }
    None
}

#[test]
fn crafting_takes_time_needs_materials_and_gives_xp() {
    let mut w = world(3);
    let p = w.join("crafter", Some(carrying(&[("wood", 4)]))).unwrap();
    let ev = craft(&mut w, p, "stone_axe");
    let stone = w.content().item_index("stone").unwrap();
    assert_eq!(rejections(&ev, p), vec![RejectReason::MissingItem(stone)]);
    let ev = craft(&mut w, p, "stick");
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::CraftStarted { ticks: 20, .. }))
    );
    assert_eq!(count_of(&w, p, "wood"), 3, "inputs are taken at the start");
    assert_eq!(
        rejections(&craft(&mut w, p, "stick"), p),
        vec![RejectReason::Busy]
    );
    let ev = step_n(&mut w, p, &input(), 18);
    assert!(!ev.iter().any(|e| matches!(e, Event::Crafted { .. })));
    let ev = step_n(&mut w, p, &input(), 1);
    assert!(
        ev.iter().any(|e| matches!(e, Event::Crafted { .. })),
        "{ev:?}"
    );
    assert_eq!(count_of(&w, p, "stick"), 2);
    assert_eq!(w.private_view(p).unwrap().xp, 1);
    assert_eq!(w.progress(p).unwrap().crafted, 1);
}

#[test]
fn station_recipes_need_the_station_and_moving_away_refunds() {
    let mut w = sparse_world(3);
    let p = join_in_open(
        &mut w,
        "crafter",
        carrying(&[("wood", 40), ("stone", 20), ("fiber", 20)]),
    );
    let ev = craft(&mut w, p, "bow");
    assert_eq!(rejections(&ev, p), vec![RejectReason::NoStation]);
    craft(&mut w, p, "workbench");
    step_n(&mut w, p, &input(), 60);
    assert_eq!(count_of(&w, p, "workbench"), 1);
    build_nearby(&mut w, p, "workbench").expect("workbench placed");
    let (wood, fiber) = (count_of(&w, p, "wood"), count_of(&w, p, "fiber"));
    let ev = craft(&mut w, p, "bow");
    assert!(
        ev.iter().any(|e| matches!(e, Event::CraftStarted { .. })),
        "{ev:?}"
    );
    assert_eq!(count_of(&w, p, "wood"), wood - 6);
    // Walk away for two seconds: 400 u is well past the 150 u station range.
    let mut walk = input();
    let away = Vec2::new(1.0, 0.0);
    walk.move_x = away.x;
    let mut cancelled = false;
    for e in step_n(&mut w, p, &walk, 40) {
        cancelled |= matches!(e, Event::CraftCancelled { .. });
    }
    // Blocked by a shore that way? Then the other way.
    if !cancelled {
        walk.move_x = -1.0;
        for e in step_n(&mut w, p, &walk, 60) {
            cancelled |= matches!(e, Event::CraftCancelled { .. });
        }
    }
    assert!(cancelled, "moving away cancels the craft");
    assert_eq!(count_of(&w, p, "wood"), wood, "wood refunded");
    assert_eq!(count_of(&w, p, "fiber"), fiber, "fiber refunded");
    assert_eq!(count_of(&w, p, "bow"), 0);
}

#[test]
fn leaving_mid_craft_refunds_into_saved_progress() {
    let mut w = world(3);
    let p = w.join("crafter", Some(carrying(&[("wood", 10)]))).unwrap();
    craft(&mut w, p, "wooden_sword");
    let saved = w.leave(p).unwrap();
    let wood: u32 = saved
        .inventory
        .iter()
        .flatten()
        .filter(|s| s.item == "wood")
        .map(|s| s.count)
        .sum();
    assert_eq!(wood, 10);
}

#[test]
fn placement_rules_and_walls_block_movement() {
    let mut w = world(9);
    let p = w
        .join(
            "builder",
            Some(carrying(&[("wooden_wall", 10), ("wood", 5)])),
        )
        .unwrap();
    let at = pos_of(&w, p);
    let (cx, cy) = ((at.x / 40.0) as i32, (at.y / 40.0) as i32);
    let build = |slot, x, y| PlayerInput {
        build: Some(BuildCommand {
            slot,
            cell_x: x,
            cell_y: y,
        }),
        ..input()
    };
    let wall = slot_of(&w, p, "wooden_wall");
    let wood = slot_of(&w, p, "wood");
    assert_eq!(
        rejections(&step1(&mut w, p, build(wood, cx + 2, cy)), p),
        vec![RejectReason::WrongItem]
    );
    assert_eq!(
        rejections(&step1(&mut w, p, build(wall, cx, cy)), p),
        vec![RejectReason::BlockedPlacement],
        "not on yourself"
    );
    assert_eq!(
        rejections(&step1(&mut w, p, build(wall, cx + 20, cy)), p),
        vec![RejectReason::OutOfReach]
    );
    assert_eq!(
        rejections(&step1(&mut w, p, build(wall, -5, cy)), p),
        vec![RejectReason::OutOfReach]
    );
    assert_eq!(
        rejections(&step1(&mut w, p, build(wall, 99, i32::MIN)), p),
        vec![RejectReason::OutOfReach]
    );
    let placed = build_nearby(&mut w, p, "wooden_wall").expect("a free cell");
    let sv = w.entity_view(placed).unwrap();
    let (sx, sy) = ((sv.pos.x / 40.0) as i32, (sv.pos.y / 40.0) as i32);
    assert_eq!(
        rejections(&step1(&mut w, p, build(wall, sx, sy)), p),
        vec![RejectReason::BlockedPlacement],
        "cell taken"
    );
    assert_eq!(count_of(&w, p, "wooden_wall"), 9);
    // Walk into the wall: the player never overlaps it.
    let to = sv.pos - pos_of(&w, p);
    let len = to.length();
    let walk = PlayerInput {
        move_x: to.x / len,
        move_y: to.y / len,
        ..input()
    };
    for _ in 0..40 {
        step1(&mut w, p, walk.clone());
        let d = pos_of(&w, p) - sv.pos;
        let (ex, ey) = ((d.x.abs() - 20.0).max(0.0), (d.y.abs() - 20.0).max(0.0));
        assert!(ex * ex + ey * ey >= 23.9 * 23.9, "inside the wall at {d:?}");
    }
}

#[test]
fn water_cells_take_no_structures() {
    let mut w = world(9);
    let side = w.terrain().side();
    let cells = w.terrain().cells().to_vec();
    // Find a water cell that has dry land within build reach.
    let mut found = None;
    for (i, b) in cells.iter().enumerate() {
        if *b != sim_core::Biome::Water {
            continue;
        }
        let c = Vec2::new(
            (i % side) as f32 * 40.0 + 20.0,
            (i / side) as f32 * 40.0 + 20.0,
        );
        if let Some((p, _)) = join_near(&mut w, "b", c, 100.0, carrying(&[("wooden_wall", 1)])) {
            found = Some((p, (i % side) as i32, (i / side) as i32));
            break;
        }
    }
    let (p, x, y) = found.expect("a shore");
    let ev = step1(
        &mut w,
        p,
        PlayerInput {
            build: Some(BuildCommand {
                slot: 0,
                cell_x: x,
                cell_y: y,
            }),
            ..input()
        },
    );
    assert_eq!(rejections(&ev, p), vec![RejectReason::BlockedPlacement]);
}

#[test]
fn chests_store_items_and_survive_a_checkpoint() {
    let mut w = sparse_world(12);
    let p = join_in_open(&mut w, "hoarder", carrying(&[("chest", 1), ("stone", 30)]));
    let chest = build_nearby(&mut w, p, "chest").expect("chest placed");
    let cpos = w.entity_view(chest).unwrap().pos;
    // Walk next to the chest, then open it.
    let to = cpos - pos_of(&w, p);
    let walk = PlayerInput {
        move_x: to.x / to.length(),
        move_y: to.y / to.length(),
        ..input()
    };
    step_n(&mut w, p, &walk, 5);
    step1(
        &mut w,
        p,
        PlayerInput {
            interact: true,
            ..input()
        },
    );
    assert_eq!(w.open_chest(p).map(|c| c.0), Some(chest));
    let slot = slot_of(&w, p, "stone");
    step1(
        &mut w,
        p,
        PlayerInput {
            chest_put: Some(slot),
            ..input()
        },
    );
    assert_eq!(count_of(&w, p, "stone"), 0);
    let contents = w.open_chest(p).unwrap().1;
    assert_eq!(contents.len(), 12);
    assert_eq!(
        contents
            .iter()
            .flatten()
            .map(|s| u32::from(s.count))
            .sum::<u32>(),
        30
    );
    let cp = w.checkpoint();
    let mut fresh = sparse_world(12);
    fresh.restore(&cp).unwrap();
    assert_eq!(fresh.checkpoint(), cp);
    assert_eq!(fresh.structure_count(), 1);
    step1(
        &mut w,
        p,
        PlayerInput {
            chest_take: Some(0),
            ..input()
        },
    );
    assert_eq!(count_of(&w, p, "stone"), 30);
}
