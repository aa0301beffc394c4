//! Property test over synthetic worlds with every entity kind: a client that applies
//! every delta it receives (some lost, acks late, lost or out of order) always holds
//! exactly the full snapshot of the same tick.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use sim_core::{EntityId, EntityKind, EntityView, PlayerId, Rect, Vec2};

use crate::msg::entity::PlayerInfo;
use crate::replica::frame::{FrameCapture, FrameEntity, TickFrame, info_hash};
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
        info: e.info.clone().map(std::sync::Arc::new),
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

/// The full snapshot of `frame` for the view `replica` has (its rectangle follows the
/// player with some slack, so a fresh replica could cut a different one).
fn full_snapshot(frame: &TickFrame, replica: &ClientReplica) -> ServerMessage {
    let mut fresh = replica.clone();
    fresh.reset();
    let mut out = Vec::new();
    fresh.update_with(frame, None, None, &mut out);
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
             0u8..10, 0u8..10, 0u8..4, 0u8..5),
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

        for (tick, (ops, loss, ack_delay, reorder, skip)) in ticks.into_iter().enumerate() {
            let tick = tick as u64 + 1;
            for op in ops {
                mutate(&mut world, &mut next_id, op);
            }
            let f = frame(tick, &world);
            let mut out = Vec::new();
            if skip == 0 {
                // The connection fell behind: this tick's view is skipped for a later one.
                replica.events_only(&f, &mut out);
                prop_assert!(out.is_empty());
                continue;
            }
            replica.update_with(&f, None, None, &mut out);
            for msg in out {
                let expected = full_snapshot(&f, &replica);
                // Every message survives an encode/decode round trip first.
                let bytes = crate::encode(&msg, &Default::default()).unwrap();
                let msg: ServerMessage = crate::decode(&bytes, &crate::DecodeLimits::server()).unwrap();
                if loss < 3 {
                    // The client dropped it (stale, or its base is gone); a WebSocket
                    // loses nothing, so the player infos in it still count as known.
                    client.note_names(&msg);
                    continue;
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
fn a_connection_that_skips_views_still_gets_every_event() {
    let mut world = BTreeMap::new();
    world_with_me(&mut world);
    let chat = |text: &str| sim_core::Event::Chat {
        from: PlayerId(ME),
        name: "me".into(),
        channel: sim_core::ChatChannel::Global,
        team: None,
        text: text.into(),
    };
    let entities = || world.values().map(entity).collect::<Vec<_>>();
    let mut replica = ClientReplica::new(PlayerId(ME), ReplicationConfig::default());
    let mut out = Vec::new();
    let first = TickFrame::from_parts(1, WORLD, entities(), &[chat("one")]);
    replica.events_only(&first, &mut out);
    let second = TickFrame::from_parts(2, WORLD, entities(), &[chat("two")]);
    replica.update_with(&second, None, None, &mut out);
    let texts: Vec<String> = out
        .iter()
        .filter_map(|m| match m {
            ServerMessage::Events(e) => Some(e.events.iter().filter_map(|e| match e {
                crate::GameEvent::Chat { text, .. } => Some(text.clone()),
                _ => None,
            })),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(texts, ["one", "two"]);
    // The skipped tick was never a baseline: the view is a full snapshot of tick 2.
    let snapshot = out.iter().find_map(|m| match m {
        ServerMessage::Snapshot(s) => Some(s.tick),
        _ => None,
    });
    assert_eq!(snapshot, Some(2));
}

#[test]
fn a_frames_per_entity_records_stay_small() {
    use crate::replica::frame::{CellEntry, Compact};
    // Every client's baselines keep frames alive: these are most of a frame's bytes.
    assert_eq!(std::mem::size_of::<Compact>(), 24);
    assert_eq!(std::mem::size_of::<CellEntry>(), 20);
}

#[test]
fn a_frame_carries_the_events_of_its_chains_last_ticks_only() {
    let mut world = BTreeMap::new();
    world_with_me(&mut world);
    let entities = || world.values().map(entity).collect::<Vec<_>>();
    let mut capture = FrameCapture::new();
    let frames: Vec<TickFrame> = (1..=12)
        .map(|t| capture.capture_parts(t, WORLD, entities(), &[]))
        .collect();
    let newest = &frames[11];
    let oldest_carried = 12 - crate::EVENT_HISTORY as u64 + 1;
    assert!(newest.carries_events_since(oldest_carried));
    assert!(newest.carries_events_since(12));
    assert!(!newest.carries_events_since(oldest_carried - 1));
    assert!(frames[0].carries_events_since(1));
    // A tick that does not follow (a restored world) starts a new chain, which carries
    // nothing earlier.
    let restarted = capture.capture_parts(5, WORLD, entities(), &[]);
    assert!(restarted.carries_events_since(5));
    assert!(!restarted.carries_events_since(4));
}

/// The fast path sends packed deltas where the full comparison builds `Delta`s: the
/// same messages means the same bytes and the same JSON.
fn assert_same_messages(fast: &[ServerMessage], slow: &[ServerMessage], tick: u64) {
    let opts = crate::EncodeOptions::default();
    let bytes = |m: &ServerMessage| crate::encode(m, &opts).unwrap();
    assert_eq!(
        fast.iter().map(bytes).collect::<Vec<_>>(),
        slow.iter().map(bytes).collect::<Vec<_>>(),
        "tick {tick}: the fast path must send what the full comparison sends"
    );
    for (f, s) in fast.iter().zip(slow) {
        assert_eq!(crate::to_json(f).unwrap(), crate::to_json(s).unwrap());
    }
}

/// Runs a replica on chained frames (the change-driven fast path) and one on
/// independent frames (always the full comparison) over the same world and acks, and
/// checks they send the same messages and that the client's view is the full snapshot.
struct Twin {
    capture: FrameCapture,
    fast: ClientReplica,
    slow: ClientReplica,
    client: ClientView,
}

impl Twin {
    fn new(config: ReplicationConfig) -> Self {
        Self {
            capture: FrameCapture::new(),
            fast: ClientReplica::new(PlayerId(ME), config.clone()),
            slow: ClientReplica::new(PlayerId(ME), config),
            client: ClientView::new(8),
        }
    }

    /// One tick; returns the ticks of the views delivered to the client.
    fn tick(&mut self, tick: u64, world: &BTreeMap<u32, Ent>, deliver: bool) -> Option<u64> {
        let chained =
            self.capture
                .capture_parts(tick, WORLD, world.values().map(entity).collect(), &[]);
        let single = frame(tick, world);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let sa = self.fast.update_with(&chained, None, None, &mut a);
        let sb = self.slow.update_with(&single, None, None, &mut b);
        assert_same_messages(&a, &b, tick);
        assert_eq!(sa, sb);
        let mut delivered = None;
        for msg in a {
            // Undelivered views were dropped by the client, not lost: it keeps their names.
            self.client.note_names(&msg);
            if deliver {
                self.client.apply(&msg).unwrap();
                let mut want = ClientView::new(1);
                want.apply(&full_snapshot(&single, &self.slow)).unwrap();
                assert_eq!(self.client.latest(), want.latest(), "tick {tick}");
                delivered = self.client.latest_tick();
            }
        }
        delivered
    }

    fn ack(&mut self, tick: u64) {
        self.fast.ack(tick);
        self.slow.ack(tick);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_change_driven_delta_equals_the_full_comparison(
        initial in proptest::collection::vec((0u8..1, any::<u32>(), 0.0f32..1.0, 0.0f32..1.0), 5..150),
        ticks in proptest::collection::vec(
            (proptest::collection::vec((any::<u8>(), any::<u32>(), 0.0f32..1.0, 0.0f32..1.0), 0..12),
             0u8..10, 0u8..10, any::<u32>(), 0u8..6, 0.0f32..1.0, 0.0f32..1.0),
            5..60),
        interval in 1u32..4,
        max_entities in prop_oneof![4 => Just(1024usize), 1 => 5usize..40],
    ) {
        let config = ReplicationConfig { snapshot_interval: interval, max_baselines: 4, max_entities, ..ReplicationConfig::default() };
        let mut world = BTreeMap::new();
        world_with_me(&mut world);
        let mut next_id = 2;
        for (k, pick, a, b) in initial {
            // Start near the client so most entities are in view.
            mutate(&mut world, &mut next_id, (k, pick, 0.3 + a * 0.4, 0.3 + b * 0.4));
        }
        let mut twin = Twin::new(config);
        let mut pending: Vec<u64> = Vec::new();
        let mut hidden: Vec<Ent> = Vec::new();
        for (tick, (ops, loss, ack_delay, pick, me_move, a, b)) in ticks.into_iter().enumerate() {
            let tick = tick as u64 + 1;
            for op in ops {
                mutate(&mut world, &mut next_id, op);
            }
            // The client walks (its view rectangle moves), sometimes far.
            let me = &mut world.get_mut(&ME).unwrap().view.pos;
            let step = if me_move == 5 { 1500.0 } else { 40.0 * f32::from(me_move) };
            me.x = (me.x + (a - 0.5) * step).clamp(0.0, WORLD);
            me.y = (me.y + (b - 0.5) * step).clamp(0.0, WORLD);
            // An entity leaves the world and comes back later with the same id.
            if pick % 5 == 0 && world.len() > 2 {
                let ids: Vec<u32> = world.keys().copied().filter(|i| *i != ME).collect();
                let id = ids[pick as usize / 5 % ids.len()];
                hidden.extend(world.remove(&id));
            } else if pick % 5 == 1 && let Some(mut e) = hidden.pop() {
                e.view.pos.x = (e.view.pos.x + (a - 0.5) * 300.0).clamp(0.0, WORLD);
                world.insert(e.view.id.0, e);
            }
            if let Some(t) = twin.tick(tick, &world, loss >= 3) {
                pending.push(t);
            }
            if ack_delay < 3 && !pending.is_empty() {
                let t = pending.remove(if pick % 2 == 0 { 0 } else { pending.len() - 1 });
                if ack_delay > 0 {
                    twin.ack(t);
                }
            }
        }
    }
}

/// An entity that has not changed for a long time, in a cell well inside the view,
/// changes: the fast path (which skips unchanged cells' entities) must still send it,
/// and an entity that jumps out of view or leaves the world must be removed.
#[test]
fn a_long_unchanged_entity_that_changes_still_reaches_the_client() {
    let config = ReplicationConfig {
        snapshot_interval: 1,
        ..ReplicationConfig::default()
    };
    let mut world = BTreeMap::new();
    world_with_me(&mut world);
    let mut next_id = 2;
    for i in 0..200u32 {
        let a = (i as f32 * 0.37).fract();
        let b = (i as f32 * 0.61).fract();
        mutate(
            &mut world,
            &mut next_id,
            (0, i, 0.4 + a * 0.2, 0.4 + b * 0.2),
        );
    }
    let mut twin = Twin::new(config);
    let mut tick = 0;
    let mut run = |twin: &mut Twin, world: &BTreeMap<u32, Ent>| {
        tick += 1;
        let t = twin.tick(tick, world, true).unwrap();
        twin.ack(t);
        t
    };
    for _ in 0..30 {
        run(&mut twin, &world);
    }
    // The base is now an old tick; one quiet entity near the client changes health.
    let quiet = *world
        .iter()
        .find(|(id, e)| {
            **id != ME && e.view.pos.distance_squared(Vec2::new(2000.0, 2000.0)) < 200.0 * 200.0
        })
        .unwrap()
        .0;
    world.get_mut(&quiet).unwrap().view.health_pct = 7;
    // Another jumps far away, a third leaves the world.
    let ids: Vec<u32> = world
        .keys()
        .copied()
        .filter(|i| *i != ME && *i != quiet)
        .collect();
    world.get_mut(&ids[0]).unwrap().view.pos = Vec2::new(10.0, 10.0);
    world.remove(&ids[1]);
    let before = twin.fast.fast_deltas;
    run(&mut twin, &world);
    assert_eq!(twin.fast.fast_deltas, before + 1, "sent by the fast path");
    let view = twin.client.latest().unwrap();
    assert_eq!(view[&quiet].health, 7);
    assert!(!view.contains_key(&ids[0]) && !view.contains_key(&ids[1]));
    // The client walks: what scrolls in and out follows, with unchanged entities only.
    for _ in 0..20 {
        world.get_mut(&ME).unwrap().view.pos.x += 97.0;
        run(&mut twin, &world);
    }
    assert_eq!(twin.fast.fast_deltas, before + 21);
}

/// A view every tick.
fn every_tick() -> ReplicationConfig {
    ReplicationConfig {
        snapshot_interval: 1,
        ..ReplicationConfig::default()
    }
}

/// The player and `count` entities spread around the world's middle, where the player
/// stands; with the next free id.
fn crowd_around_me(count: u32) -> (BTreeMap<u32, Ent>, u32) {
    let mut world = BTreeMap::new();
    world_with_me(&mut world);
    let mut next_id = ME + 1;
    for i in 0..count {
        let a = (i as f32 * 0.37).fract();
        let b = (i as f32 * 0.61).fract();
        mutate(
            &mut world,
            &mut next_id,
            (0, i, 0.4 + a * 0.2, 0.4 + b * 0.2),
        );
    }
    (world, next_id)
}

#[test]
fn unchanged_entities_cost_zero_bytes_and_deltas_follow_acks() {
    let config = every_tick();
    let (world, _) = crowd_around_me(50);
    let mut replica = ClientReplica::new(PlayerId(ME), config);
    let mut out = Vec::new();
    let s = replica.update_with(&frame(1, &world), None, None, &mut out);
    assert!(s.full && s.in_view > 10, "{s:?}");
    replica.ack(1);
    out.clear();
    let s = replica.update_with(&frame(2, &world), None, None, &mut out);
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
    assert!(
        replica
            .update_with(&frame(3, &world), None, None, &mut out)
            .full
    );
}

#[test]
fn a_retaining_capture_bounds_how_old_a_usable_baseline_is() {
    let config = every_tick();
    let (mut world, mut next_id) = crowd_around_me(30);
    let entities = |w: &BTreeMap<u32, Ent>| w.values().map(entity).collect::<Vec<_>>();
    let mut capture = FrameCapture::retaining(3);
    let mut replica = ClientReplica::new(PlayerId(ME), config);
    let mut client = ClientView::new(8);
    let mut out = Vec::new();
    let mut send = |replica: &mut ClientReplica, tick: u64, w: &BTreeMap<u32, Ent>| {
        let f = capture.capture_parts(tick, WORLD, entities(w), &[]);
        out.clear();
        let stats = replica.update_with(&f, None, None, &mut out);
        for msg in &out {
            client.apply(msg).unwrap();
        }
        let mut want = ClientView::new(1);
        want.apply(&full_snapshot(&f, replica)).unwrap();
        assert_eq!(client.latest(), want.latest(), "tick {tick}");
        stats
    };
    assert!(send(&mut replica, 1, &world).full);
    replica.ack(1);
    // Tick 1 is among the last three frames the capture keeps: a delta against it.
    mutate(&mut world, &mut next_id, (1, 3, 0.5, 0.5));
    assert!(send(&mut replica, 2, &world).delta);
    mutate(&mut world, &mut next_id, (1, 4, 0.5, 0.5));
    assert!(send(&mut replica, 3, &world).delta);
    // Tick 4's frame pushes tick 1's out: nothing keeps it alive, and the acked
    // baseline is no longer usable, so the client gets a full snapshot.
    mutate(&mut world, &mut next_id, (1, 5, 0.5, 0.5));
    let stats = send(&mut replica, 4, &world);
    assert!(stats.full && !stats.delta, "{stats:?}");
    replica.ack(4);
    assert!(send(&mut replica, 5, &world).delta);

    // A frame no baseline refers to is let go at the next capture; those the client's
    // baselines refer to stay (4 acked, 5 sent since).
    drop(capture.capture_parts(6, WORLD, entities(&world), &[]));
    let _newest = capture.capture_parts(7, WORLD, entities(&world), &[]);
    assert_eq!(capture.retained_ticks(), [4, 5, 7]);
}

#[test]
fn a_replica_handed_only_its_send_ticks_hears_every_event_once() {
    let mut world = BTreeMap::new();
    world_with_me(&mut world);
    let mut capture = FrameCapture::new();
    let config = ReplicationConfig {
        snapshot_interval: 3,
        ..ReplicationConfig::default()
    };
    let mut replica = ClientReplica::new(PlayerId(ME), config);
    let mut heard = Vec::new();
    for tick in 1..=30u64 {
        let chat = sim_core::Event::Chat {
            from: PlayerId(ME),
            name: "me".into(),
            channel: sim_core::ChatChannel::Global,
            team: None,
            text: format!("line {tick}"),
        };
        let entities = world.values().map(entity).collect();
        let frame = capture.capture_parts(tick, WORLD, entities, &[chat]);
        // Like the server: the first frame, then only the client's send ticks.
        if tick == 1 || tick % 3 == u64::from(ME) % 3 {
            let mut out = Vec::new();
            replica.update_with(&frame, None, None, &mut out);
            for m in out {
                if let ServerMessage::Events(e) = m {
                    for ev in e.events {
                        if let crate::GameEvent::Chat { text, .. } = ev {
                            heard.push((e.tick, text));
                        }
                    }
                }
            }
        }
    }
    let texts: Vec<&str> = heard.iter().map(|(_, text)| text.as_str()).collect();
    let want: Vec<String> = (1..=28).map(|t| format!("line {t}")).collect();
    assert_eq!(
        texts, want,
        "every tick up to the last send tick (28), once, in order"
    );
    // One message per send tick, stamped with it: the line of that tick is its last.
    for (tick, text) in &heard {
        assert!(
            tick % 3 == u64::from(ME) % 3 || *tick == 1,
            "stamped {tick}"
        );
        assert!(
            heard
                .iter()
                .any(|(t, x)| t == tick && *x == format!("line {tick}")),
            "{text} came in the message of tick {tick}"
        );
    }
}

/// A player who walks out of view and back comes back without the name the client
/// already has; one who levelled up while away comes back with the new info; after a
/// reset (a new connection) names are sent again.
#[test]
fn names_are_sent_once_per_connection_unless_they_change() {
    let mut world = BTreeMap::new();
    world_with_me(&mut world);
    let other = |x: f32, level: u32| Ent {
        view: EntityView {
            id: EntityId(7),
            kind: EntityKind::Player,
            subtype: 0,
            pos: Vec2::new(x, 2000.0),
            angle: 0.0,
            health_pct: 100,
            flags: 0,
        },
        info: Some(PlayerInfo {
            name: "seven".into(),
            level,
            team: None,
        }),
    };
    let config = ReplicationConfig {
        snapshot_interval: 1,
        ..ReplicationConfig::default()
    };
    let mut replica = ClientReplica::new(PlayerId(ME), config);
    let mut client = ClientView::new(8);
    let mut capture = FrameCapture::new();
    // (x of player 7, its level) per tick: in view, away, back, away, back levelled up.
    let script = [
        (2100.0, 1),
        (3900.0, 1),
        (2100.0, 1),
        (3900.0, 1),
        (3900.0, 2),
        (2100.0, 2),
    ];
    let mut entered_info = Vec::new();
    for (tick, (x, level)) in script.into_iter().enumerate() {
        let tick = tick as u64 + 1;
        world.insert(7, other(x, level));
        let f = capture.capture_parts(tick, WORLD, world.values().map(entity).collect(), &[]);
        let mut out = Vec::new();
        replica.update_with(&f, None, None, &mut out);
        for msg in &out {
            if let ServerMessage::PackedDelta(p) = msg {
                let d = p.unpack().unwrap();
                entered_info.extend(d.entered.iter().map(|e| (tick, e.player.clone())));
            }
            client.apply(msg).unwrap();
            replica.ack(tick);
        }
        let seen = client.latest().unwrap().get(&7).map(|e| e.player.clone());
        let want = (x < 3000.0).then(|| {
            Some(PlayerInfo {
                name: "seven".into(),
                level,
                team: None,
            })
        });
        assert_eq!(seen, want, "tick {tick}: the client's view has the name");
    }
    let info = |level| {
        Some(PlayerInfo {
            name: "seven".into(),
            level,
            team: None,
        })
    };
    assert_eq!(
        entered_info,
        [(3, None), (6, info(2))],
        "back at tick 3 without the name it had; at tick 6 with the new level"
    );
    replica.reset();
    let f = capture.capture_parts(7, WORLD, world.values().map(entity).collect(), &[]);
    let mut out = Vec::new();
    replica.update_with(&f, None, None, &mut out);
    let ServerMessage::Snapshot(s) = &out[0] else {
        panic!("{out:?}")
    };
    assert!(
        s.entities
            .iter()
            .all(|e| e.player.is_some() == (e.kind == EntityKind::Player))
    );
}

#[test]
fn the_view_follows_the_player_with_half_the_margin_of_slack() {
    let config = ReplicationConfig::default();
    let reach = config.margin / 2.0;
    let mut world = BTreeMap::new();
    world_with_me(&mut world);
    let mut replica = ClientReplica::new(PlayerId(ME), config.clone());
    let mut step = |tick: u64, x: f32, y: f32| {
        world.get_mut(&ME).unwrap().view.pos = Vec2::new(x, y);
        replica.update_with(&frame(tick, &world), None, None, &mut Vec::new());
        let r = replica.view_rect();
        // The screen around the player stays inside the rectangle with room to spare.
        let screen = Rect::centered(
            Vec2::new(x, y),
            config.view_width + 2.0 * reach,
            config.view_height + 2.0 * reach,
        );
        assert!(
            r.contains(screen.min) && r.contains(screen.max),
            "tick {tick}"
        );
        r
    };
    let start = step(1, 2000.0, 2000.0);
    // Moving about within the slack keeps the same rectangle.
    assert_eq!(step(2, 2000.0 + reach - 1.0, 2000.0 - reach + 1.0), start);
    assert_eq!(step(3, 2000.0 - reach + 1.0, 2000.0), start);
    // Past it, the rectangle recentres on the player along that axis only.
    let moved = step(4, 2000.0 + reach + 1.0, 2000.0 + 10.0);
    assert_eq!(moved.min.x - start.min.x, reach + 1.0);
    assert_eq!(moved.min.y, start.min.y);
    // A teleport (respawn) recentres at once.
    let far = step(5, 600.0, 3500.0);
    assert_eq!(
        far,
        Rect::centered(Vec2::new(600.0, 3500.0), 2000.0, 1400.0)
    );
}

/// A player's info in the `KnownNames` tests.
fn numbered_info(n: u32) -> PlayerInfo {
    PlayerInfo {
        name: format!("p{n}"),
        level: 1,
        team: None,
    }
}

fn knows(names: &crate::replica::client::KnownNames, id: u32) -> bool {
    names.has(id, info_hash(&numbered_info(id)))
}

/// Names sent the infos of players `0..MAX`, in that order: full.
fn full_names() -> crate::replica::client::KnownNames {
    let mut names = crate::replica::client::KnownNames::default();
    for id in 0..crate::replica::client::KnownNames::MAX as u32 {
        names.sent(id, &numbered_info(id));
    }
    names
}

#[test]
fn past_the_cap_the_player_infos_sent_longest_ago_are_forgotten() {
    let mut names = full_names();
    let max = crate::replica::client::KnownNames::MAX as u32;
    assert!((0..max).all(|id| knows(&names, id)));
    assert!(
        !names.has(3, info_hash(&numbered_info(4))),
        "a changed info is not known"
    );
    // Player 5 is sent again: now among the most recent.
    names.sent(5, &numbered_info(5));
    // One more player: the half sent longest ago is forgotten, the rest kept.
    names.sent(1000, &numbered_info(1000));
    assert!(knows(&names, 1000));
    assert!(knows(&names, 5), "sent again lately, so kept");
    assert!(!knows(&names, 0) && !knows(&names, 4) && !knows(&names, max / 2 - 1));
    assert!((max / 2 + 1..max).all(|id| knows(&names, id)));
    // A forgotten player is remembered again once sent.
    names.sent(0, &numbered_info(0));
    assert!(knows(&names, 0));
}

#[test]
fn forgetting_frees_at_least_a_quarter_of_the_player_infos() {
    let mut names = full_names();
    let max = crate::replica::client::KnownNames::MAX as u32;
    // Most of the oldest half is sent again: the players sent in this epoch and the
    // one before are then more than three quarters of the cap, too many to keep, so
    // only this epoch's stay.
    let again = max * 25 / 64;
    for id in 0..again {
        names.sent(id, &numbered_info(id));
    }
    assert!(max / 2 + again > max * 3 / 4);
    names.sent(1000, &numbered_info(1000));
    assert!(knows(&names, 1000) && knows(&names, 0) && knows(&names, again - 1));
    assert!(!knows(&names, again) && !knows(&names, max * 3 / 4) && !knows(&names, max - 1));
}
