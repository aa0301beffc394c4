//! Property test over synthetic worlds with every entity kind: a client that applies
//! every delta it receives (some lost, acks late, lost or out of order) always holds
//! exactly the full snapshot of the same tick.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use sim_core::{EntityId, EntityKind, EntityView, PlayerId, Vec2};

use crate::msg::entity::PlayerInfo;
use crate::replica::frame::{FrameEntity, TickFrame, info_hash};
use crate::{ClientReplica, ClientView, ReplicationConfig, ServerMessage};

const KINDS: [EntityKind; 6] = [
    EntityKind::Player,
    EntityKind::Node,
    EntityKind::Creature,
    EntityKind::Structure,
    EntityKind::LootBag,
    EntityKind::Projectile,
];
const WORLD: f32 = 4000.0;
const ME: u32 = 1;

#[derive(Debug, Clone)]
struct Ent {
    view: EntityView,
    info: Option<PlayerInfo>,
}

fn entity(e: &Ent) -> FrameEntity {
    let v = &e.view;
    FrameEntity {
        compact: crate::replica::frame::Compact {
            id: v.id.0,
            kind: v.kind,
            subtype: v.subtype,
            x: crate::quant::pos_to_wire(v.pos.x),
            y: crate::quant::pos_to_wire(v.pos.y),
            angle: crate::quant::angle_to_u8(v.angle),
            health: v.health_pct,
            flags: v.flags,
            info_hash: e.info.as_ref().map_or(0, info_hash),
        },
        pos: v.pos,
        info: e.info.clone(),
    }
}

fn frame(tick: u64, world: &BTreeMap<u32, Ent>) -> TickFrame {
    TickFrame::from_parts(tick, WORLD, world.values().map(entity).collect(), &[])
}

/// One random change to the synthetic world, from a few random numbers.
fn mutate(world: &mut BTreeMap<u32, Ent>, next_id: &mut u32, op: (u8, u32, f32, f32)) {
    let (kind, pick, a, b) = op;
    let ids: Vec<u32> = world.keys().copied().collect();
    let id = ids[pick as usize % ids.len()];
    match kind % 8 {
        0 => {
            let k = KINDS[pick as usize % KINDS.len()];
            let info = (k == EntityKind::Player).then(|| PlayerInfo {
                name: format!("p{next_id}"),
                level: 1,
                team: None,
            });
            world.insert(
                *next_id,
                Ent {
                    view: EntityView {
                        id: EntityId(*next_id),
                        kind: k,
                        subtype: (pick % 5) as u16,
                        pos: Vec2::new(a * WORLD, b * WORLD),
                        angle: a * 6.0,
                        health_pct: 100,
                        flags: 0,
                    },
                    info,
                },
            );
            *next_id += 1;
        }
        1 if id != ME => {
            world.remove(&id);
        }
        2..=4 => {
            // Movement: small steps mostly, sometimes a teleport (respawn).
            let e = world.get_mut(&id).unwrap();
            let step = if kind % 8 == 4 { WORLD } else { 60.0 };
            e.view.pos.x = (e.view.pos.x + (a - 0.5) * step).clamp(0.0, WORLD);
            e.view.pos.y = (e.view.pos.y + (b - 0.5) * step).clamp(0.0, WORLD);
            e.view.angle = a * 7.0;
        }
        5 => {
            let e = world.get_mut(&id).unwrap();
            e.view.health_pct = (a * 100.0) as u8;
            e.view.flags = (pick % 16) as u8;
        }
        6 => {
            let e = world.get_mut(&id).unwrap();
            e.view.subtype = (pick % 7) as u16;
        }
        _ => {
            if let Some(info) = world.get_mut(&id).unwrap().info.as_mut() {
                info.level += 1;
                info.team = if a > 0.5 { Some(pick % 3) } else { None };
            }
        }
    }
}

fn world_with_me(world: &mut BTreeMap<u32, Ent>) -> &mut BTreeMap<u32, Ent> {
    world.insert(
        ME,
        Ent {
            view: EntityView {
                id: EntityId(ME),
                kind: EntityKind::Player,
                subtype: 0,
                pos: Vec2::new(2000.0, 2000.0),
                angle: 0.0,
                health_pct: 100,
                flags: 0,
            },
            info: Some(PlayerInfo {
                name: "me".into(),
                level: 1,
                team: None,
            }),
        },
    );
    world
}

fn full_snapshot(frame: &TickFrame, config: &ReplicationConfig) -> ServerMessage {
    let mut fresh = ClientReplica::new(PlayerId(ME), config.clone());
    let mut out = Vec::new();
    fresh.update_with(frame, None, &mut out);
    out.into_iter()
        .find(|m| matches!(m, ServerMessage::Snapshot(_)))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn applied_deltas_always_equal_the_full_snapshot(
        initial in proptest::collection::vec((0u8..1, any::<u32>(), 0.0f32..1.0, 0.0f32..1.0), 5..120),
        ticks in proptest::collection::vec(
            (proptest::collection::vec((any::<u8>(), any::<u32>(), 0.0f32..1.0, 0.0f32..1.0), 0..30),
             0u8..10, 0u8..10, 0u8..4),
            5..60),
        interval in 1u32..4,
        max_entities in prop_oneof![Just(1024usize), 5usize..40],
    ) {
        let config = ReplicationConfig { snapshot_interval: interval, max_baselines: 4, max_entities, ..ReplicationConfig::default() };
        let mut world = BTreeMap::new();
        world_with_me(&mut world);
        let mut next_id = 2;
        for op in initial {
            mutate(&mut world, &mut next_id, op);
        }
        let mut replica = ClientReplica::new(PlayerId(ME), config.clone());
        let mut client = ClientView::new(8);
        let mut pending_acks: Vec<u64> = Vec::new();

        for (tick, (ops, loss, ack_delay, reorder)) in ticks.into_iter().enumerate() {
            let tick = tick as u64 + 1;
            for op in ops {
                mutate(&mut world, &mut next_id, op);
            }
            let f = frame(tick, &world);
            let mut out = Vec::new();
            replica.update_with(&f, None, &mut out);
            for msg in out {
                let expected = full_snapshot(&f, &config);
                // Every message survives an encode/decode round trip first.
                let bytes = crate::encode(&msg, &Default::default()).unwrap();
                let msg: ServerMessage = crate::decode(&bytes, &crate::DecodeLimits::server()).unwrap();
                if loss < 3 {
                    continue; // lost on the way (or the client dropped it)
                }
                client.apply(&msg).unwrap();
                let mut want = ClientView::new(1);
                want.apply(&expected).unwrap();
                prop_assert_eq!(client.latest(), want.latest(), "tick {}", tick);
                pending_acks.push(tick);
            }
            // Acks arrive late, out of order, or not at all.
            if ack_delay < 3 && !pending_acks.is_empty() {
                let i = if reorder == 0 { 0 } else { pending_acks.len() - 1 };
                let t = pending_acks.remove(i);
                if ack_delay > 0 {
                    replica.ack(t);
                }
            }
        }
    }
}

#[test]
fn unchanged_entities_cost_zero_bytes_and_deltas_follow_acks() {
    let config = ReplicationConfig {
        snapshot_interval: 1,
        ..ReplicationConfig::default()
    };
    let mut world = BTreeMap::new();
    let mut next_id = 1;
    world_with_me(&mut world);
    next_id += 1;
    for i in 0..50u32 {
        let a = (i as f32 * 0.37).fract();
        let b = (i as f32 * 0.61).fract();
        mutate(
            &mut world,
            &mut next_id,
            (0, i, 0.4 + a * 0.2, 0.4 + b * 0.2),
        );
    }
    let mut replica = ClientReplica::new(PlayerId(ME), config);
    let mut out = Vec::new();
    let s = replica.update_with(&frame(1, &world), None, &mut out);
    assert!(s.full && s.in_view > 10, "{s:?}");
    replica.ack(1);
    out.clear();
    let s = replica.update_with(&frame(2, &world), None, &mut out);
    assert!(s.delta);
    let ServerMessage::Delta(d) = &out[0] else {
        panic!("expected a delta")
    };
    assert!(d.removed.is_empty() && d.entered.is_empty() && d.changed.is_empty());
    // An ack of a tick that was never sent is ignored; an unknown base means a snapshot.
    replica.ack(99);
    assert_eq!(replica.acked(), Some(1));
    replica.reset();
    out.clear();
    assert!(replica.update_with(&frame(3, &world), None, &mut out).full);
}
