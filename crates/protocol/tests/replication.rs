#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Replication against the real simulation: area of interest, deltas, private state
//! and event routing.

use protocol::*;
use sim_core::{
    ChatChannel, Content, EntityId, Event, GameConfig, PlayerId, PlayerInput, PlayerProgress,
    RejectReason, Vec2, World,
};

fn world_with_players(n: usize, spread: f32) -> (World, Vec<PlayerId>) {
    let config = GameConfig {
        max_players: 2000,
        ..GameConfig::default()
    };
    let mut world = World::new(config, Content::builtin().unwrap(), 7).unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let a = i as f32 * 2.399;
        let r = spread * ((i as f32 + 0.5) / n as f32).sqrt();
        let progress = PlayerProgress {
            position: Some(Vec2::new(2000.0 + r * a.cos(), 2000.0 + r * a.sin())),
            ..PlayerProgress::default()
        };
        ids.push(world.join(&format!("bot{i}"), Some(progress)).unwrap());
    }
    (world, ids)
}

fn inputs(ids: &[PlayerId], tick: u64) -> Vec<(PlayerId, PlayerInput)> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let a = (tick / 20) as f32 * 0.7 + i as f32;
            (
                *id,
                PlayerInput {
                    seq: tick as u32,
                    move_x: a.cos(),
                    move_y: a.sin(),
                    aim: a,
                    ..PlayerInput::default()
                },
            )
        })
        .collect()
}

#[test]
fn a_client_applying_deltas_matches_a_fresh_snapshot_every_tick() {
    applying_deltas_matches_fresh_snapshots(false);
}

#[test]
fn with_chained_frames_a_client_applying_deltas_matches_a_fresh_snapshot_every_tick() {
    // Frames from one FrameCapture: deltas come from the change-driven fast path.
    applying_deltas_matches_fresh_snapshots(true);
}

fn applying_deltas_matches_fresh_snapshots(chained: bool) {
    let mut capture = FrameCapture::new();
    let (mut world, ids) = world_with_players(60, 1500.0);
    let me = ids[0];
    let mut replica = ClientReplica::new(me, ReplicationConfig::default());
    let mut client = ClientView::new(32);
    let (mut deltas, mut privates) = (0, 0);
    let mut received = Vec::new();
    for tick in 1..200u64 {
        let out = world.step(&inputs(&ids, tick));
        let frame = if chained {
            capture.capture(&world, &out)
        } else {
            TickFrame::capture(&world, &out)
        };
        let mut msgs = Vec::new();
        replica.update(&frame, &world, &mut msgs);
        for msg in &msgs {
            let bytes = encode(msg, &EncodeOptions::default()).unwrap();
            let msg: ServerMessage = decode(&bytes, &DecodeLimits::server()).unwrap();
            client.apply(&msg).unwrap();
            match &msg {
                ServerMessage::Delta(_) => deltas += 1,
                ServerMessage::Private(_) => privates += 1,
                _ => {}
            }
            if matches!(msg, ServerMessage::Snapshot(_) | ServerMessage::Delta(_)) {
                // The same view rectangle (it follows the player with some slack).
                let mut fresh = replica.clone();
                fresh.reset();
                let mut full = Vec::new();
                fresh.update(&frame, &world, &mut full);
                let snapshot = full
                    .iter()
                    .find(|m| matches!(m, ServerMessage::Snapshot(_)))
                    .unwrap();
                let mut want = ClientView::new(1);
                want.apply(snapshot).unwrap();
                assert_eq!(client.latest(), want.latest(), "tick {tick}");
                assert_eq!(client.last_input_seq(), tick as u32);
            }
        }
        // Acks arrive three ticks late, like from a client 150 ms away.
        received.push(client.latest_tick());
        if let Some(Some(t)) = received.len().checked_sub(4).map(|i| received[i]) {
            replica.ack(t);
        }
    }
    assert!(deltas > 80, "mostly deltas, got {deltas}");
    assert!(privates >= 1, "the private state is sent at least once");
    assert!(privates < 10, "and only when it changes, got {privates}");
}

#[test]
fn the_view_is_the_area_around_the_player() {
    let (mut world, ids) = world_with_players(200, 1900.0);
    let out = world.step(&[]);
    let frame = TickFrame::capture(&world, &out);
    let mut replica = ClientReplica::new(ids[0], ReplicationConfig::default());
    let mut msgs = Vec::new();
    let stats = replica.update(&frame, &world, &mut msgs);
    let Some(ServerMessage::Snapshot(s)) = msgs
        .iter()
        .find(|m| matches!(m, ServerMessage::Snapshot(_)))
    else {
        panic!("the first update sends a snapshot")
    };
    assert!(stats.full && stats.in_view == s.entities.len());
    let players = s
        .entities
        .iter()
        .filter(|e| e.kind == sim_core::EntityKind::Player)
        .count();
    assert!(players < 200 && players > 5, "{players} players in view");
    assert!(
        s.entities.len() < frame.entity_count(),
        "only part of the world is in view"
    );
    let me = world.entity_view(ids[0].entity()).unwrap().pos;
    let rect = replica.view_rect();
    for e in &s.entities {
        let p = Vec2::new(quant::pos_from_wire(e.x), quant::pos_from_wire(e.y));
        assert!(rect.contains(p), "{p:?} outside the view around {me:?}");
        assert_eq!(
            e.player.is_some(),
            e.kind == sim_core::EntityKind::Player,
            "players, and only players, carry their name"
        );
    }
    assert!(s.entities.iter().any(|e| e.id == ids[0].0));
}

#[test]
fn events_reach_only_those_they_concern() {
    let (mut world, ids) = world_with_players(3, 10.0);
    // A far-away player.
    let far = world
        .join(
            "far",
            Some(PlayerProgress {
                position: Some(Vec2::new(100.0, 100.0)),
                ..PlayerProgress::default()
            }),
        )
        .unwrap();
    let mut out = world.step(&[]);
    let near = Vec2::new(2000.0, 2000.0);
    out.events = vec![
        Event::Chat {
            from: ids[0],
            name: "bot0".into(),
            channel: ChatChannel::Global,
            team: None,
            text: "hi all".into(),
        },
        Event::Chat {
            from: ids[0],
            name: "bot0".into(),
            channel: ChatChannel::Team,
            team: Some(9),
            text: "team only".into(),
        },
        Event::Rejected {
            player: ids[1],
            reason: RejectReason::MissingItem(3),
        },
        Event::Hit {
            attacker: EntityId(ids[0].0),
            target: EntityId(ids[1].0),
            damage: 12.5,
            at: near,
        },
        Event::Death {
            victim: EntityId(far.0),
            killer: None,
            at: Vec2::new(100.0, 100.0),
        },
    ];
    let frame = TickFrame::capture(&world, &out);
    let heard = |p: PlayerId| -> Vec<GameEvent> {
        let mut r = ClientReplica::new(p, ReplicationConfig::default());
        let mut msgs = Vec::new();
        r.update(&frame, &world, &mut msgs);
        msgs.into_iter()
            .filter_map(|m| match m {
                ServerMessage::Events(e) => Some(e.events),
                _ => None,
            })
            .flatten()
            .collect()
    };
    let e1 = heard(ids[1]);
    assert_eq!(e1.len(), 3, "{e1:?}");
    assert!(matches!(&e1[0], GameEvent::Chat { text, .. } if text == "hi all"));
    assert_eq!(
        e1[1],
        GameEvent::Rejected {
            code: RejectCode::MissingItem,
            item: Some(3)
        }
    );
    assert!(matches!(e1[2], GameEvent::Hit { damage: 125, .. }));
    let ef = heard(far);
    assert_eq!(
        ef.len(),
        2,
        "far player: global chat and their own death: {ef:?}"
    );
    assert!(matches!(ef[1], GameEvent::Death { .. }));
    let e2 = heard(ids[2]);
    assert_eq!(
        e2.len(),
        1,
        "bystander: the chat; a hit in view is only for its two sides: {e2:?}"
    );
    let e0 = heard(ids[0]);
    assert!(
        e0.iter()
            .any(|e| matches!(e, GameEvent::Hit { damage: 125, .. })),
        "the attacker hears its hit: {e0:?}"
    );
}

#[test]
fn resume_and_lost_acks_fall_back_to_full_snapshots() {
    let (mut world, ids) = world_with_players(10, 300.0);
    let config = ReplicationConfig {
        snapshot_interval: 1,
        max_baselines: 4,
        ..ReplicationConfig::default()
    };
    let mut replica = ClientReplica::new(ids[0], config);
    let mut kinds = Vec::new();
    for tick in 1..12u64 {
        let out = world.step(&inputs(&ids, tick));
        let frame = TickFrame::capture(&world, &out);
        let mut msgs = Vec::new();
        let s = replica.update(&frame, &world, &mut msgs);
        kinds.push(if s.full { 'F' } else { 'D' });
        if tick == 2 || tick == 8 || tick == 10 {
            replica.ack(tick);
        }
        if tick == 9 {
            // The client reconnected: whatever it acked before is gone.
            replica.reset();
        }
    }
    // Ack of tick 2 gives deltas until tick 2 leaves the 4 remembered views; without a
    // usable ack snapshots follow; after the reset a snapshot although tick 8 was acked.
    assert_eq!(kinds.iter().collect::<String>(), "FFDDDDFFDFD");
}

#[test]
fn replicas_can_run_on_worker_threads() {
    // The frame is shared read-only and each replica is owned by one connection, so the
    // per-client work of a tick can be spread over threads.
    fn shared<T: Sync + Send>() {}
    fn owned<T: Send>() {}
    shared::<TickFrame>();
    owned::<ClientReplica>();
    owned::<FrameCapture>();
    owned::<ClientView>();
}
