//! The world thread: joins, inputs, resume within grace, expiry saves, slow clients,
//! a full world and shutdown — with the real sim-core world and a replica that reports
//! each tick's own position.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

use std::time::Duration;

use server::game::{
    CloseReason, JoinRefusal, Member, Outgoing, Replica, RunnerConfig, SaveJob, TickPriority,
    WorldHandle,
};
use sim_core::{Content, GameConfig, PlayerId, PlayerInput, StepOutput, World};
use tokio::sync::mpsc;

/// Sends (tick, x) of the player after every tick; `reset` marks the next one as full.
struct Positions {
    full: bool,
}

impl Replica for Positions {
    type Msg = (u64, f32, bool);
    type Frame = u64;
    type Capture = ();
    fn capture(_: &mut (), _: &World, out: &StepOutput) -> u64 {
        out.tick
    }
    fn new(_: &(), _: &World, _: PlayerId) -> Self {
        Self { full: true }
    }
    fn reset(&mut self) {
        self.full = true;
    }
    fn update(
        &mut self,
        tick: &u64,
        world: &World,
        player: PlayerId,
        sink: &mut Vec<Outgoing<Self::Msg>>,
    ) {
        let x = world
            .entity_view(player.entity())
            .map(|v| v.pos.x)
            .unwrap_or(f32::NAN);
        sink.push(Outgoing::Msg(Box::new((
            *tick,
            x,
            std::mem::replace(&mut self.full, false),
        ))));
    }
}

/// An outbound queue a test can never overrun: at 100 ticks/s a test would have to stop
/// reading for hours before the world dropped it as a slow client. With a short queue
/// (64 = 0.64 s of ticks) a test thread descheduled under load was dropped as slow and
/// failed with "queue closed" — the flake seen in
/// `inputs_move_the_player_and_every_tick_is_replicated`.
const NEVER_SLOW: usize = 1 << 20;

type Started = (
    WorldHandle<(u64, f32, bool)>,
    mpsc::UnboundedReceiver<SaveJob>,
);

fn start(max_players: u32, grace: Duration, queue: usize) -> Started {
    start_with(max_players, grace, queue, Duration::from_secs(3600))
}

fn start_with(max_players: u32, grace: Duration, queue: usize, save_every: Duration) -> Started {
    let config = GameConfig {
        tick_rate: 100,
        max_players,
        ..GameConfig::default()
    };
    let world = World::new(config, Content::builtin().unwrap(), 7).unwrap();
    let (saves, saves_rx) = mpsc::unbounded_channel();
    let cfg = RunnerConfig {
        world_id: "world-1".into(),
        outbound_queue: queue,
        resume_grace: grace,
        autosave_interval: save_every,
        checkpoint_interval: save_every,
        tick_priority: TickPriority::Normal,
    };
    (
        WorldHandle::spawn::<Positions>(world, cfg, (), saves).unwrap(),
        saves_rx,
    )
}

fn member(id: i64) -> Member {
    Member {
        account_id: id,
        name: format!("p{id}"),
    }
}

async fn next_msg(
    rx: &mut net_gateway::outbox::Receiver<Outgoing<(u64, f32, bool)>>,
) -> (u64, f32, bool) {
    match tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .unwrap()
    {
        Some(Outgoing::Msg(m)) => *m,
        Some(Outgoing::Close(r)) => panic!("closed: {r:?}"),
        Some(Outgoing::View(_)) => panic!("this replica sends no views"),
        None => panic!("queue closed"),
    }
}

#[tokio::test]
async fn inputs_move_the_player_and_every_tick_is_replicated() {
    let (w, _saves) = start(10, Duration::from_secs(10), NEVER_SLOW);
    let mut j = w.join(member(1), None).await.unwrap();
    let (t0, x0, full) = next_msg(&mut j.outbound).await;
    assert!(full, "a new client starts from a full snapshot");
    let right = PlayerInput {
        seq: 1,
        move_x: 1.0,
        ..PlayerInput::default()
    };
    assert!(w.input(j.player, j.conn, right));
    let (mut tick, mut x) = (t0, x0);
    while x <= x0 {
        let (t, now, full) = next_msg(&mut j.outbound).await;
        assert_eq!(t, tick + 1, "every tick is replicated, in order");
        assert!(!full, "only the first message is a full snapshot");
        (tick, x) = (t, now);
    }
    // The tick thread records the tick before it replicates it, and the channel orders
    // that store before our receive: the status has reached the tick we were told of.
    assert!(w.status().tick() >= tick, "{} < {tick}", w.status().tick());
    assert_eq!(w.status().players(), 1);
    let state = w.shutdown().await;
    assert_eq!(state.players.len(), 1);
    assert_eq!(state.players[0].0, 1);
    assert!(state.players[0].1.position.unwrap().x > x0);
}

#[tokio::test]
async fn two_inputs_of_one_tick_are_applied_on_consecutive_ticks() {
    let (w, _saves) = start(10, Duration::from_secs(10), NEVER_SLOW);
    let mut j = w.join(member(1), None).await.unwrap();
    let (_, x0, _) = next_msg(&mut j.outbound).await;
    // Back to back, microseconds apart: both reach the same 10 ms tick. Merged, the
    // stop would overwrite the step right and the player would never move.
    let step_right = PlayerInput {
        seq: 1,
        move_x: 1.0,
        ..PlayerInput::default()
    };
    let stop = PlayerInput {
        seq: 2,
        ..PlayerInput::default()
    };
    assert!(w.input(j.player, j.conn, step_right));
    assert!(w.input(j.player, j.conn, stop));
    let mut xs = Vec::new();
    for _ in 0..20 {
        xs.push(next_msg(&mut j.outbound).await.1);
    }
    let moved = xs.windows(2).filter(|p| p[1] != p[0]).count() + usize::from(xs[0] != x0);
    assert!(xs[19] > x0, "the step right was applied: {x0} then {xs:?}");
    assert_eq!(
        moved, 1,
        "exactly one tick of movement, then the stop: {x0} then {xs:?}"
    );
    w.shutdown().await;
}

#[tokio::test]
async fn resume_within_grace_keeps_the_player_and_sends_a_full_snapshot() {
    let (w, _saves) = start(10, Duration::from_secs(30), NEVER_SLOW);
    let mut j = w.join(member(1), None).await.unwrap();
    next_msg(&mut j.outbound).await;
    w.detach(j.player, j.conn).await;
    assert!(matches!(
        w.resume(Some(1), "wrong".into()).await,
        Err(JoinRefusal::UnknownResume)
    ));
    assert!(
        matches!(
            w.resume(Some(2), j.resume_token.clone()).await,
            Err(JoinRefusal::UnknownResume)
        ),
        "another account cannot take it"
    );
    let mut r = w.resume(Some(1), j.resume_token.clone()).await.unwrap();
    assert_eq!(r.player, j.player);
    assert!(r.resumed);
    assert_ne!(r.resume_token, j.resume_token, "tokens are single-use");
    let (_, _, full) = next_msg(&mut r.outbound).await;
    assert!(full);
    // The old connection's inputs no longer count.
    assert!(w.input(j.player, j.conn, PlayerInput::default()));
    assert_eq!(w.status().players(), 1);
    w.shutdown().await;
}

#[tokio::test]
async fn after_the_grace_period_the_player_leaves_and_is_saved() {
    let (w, mut saves) = start(10, Duration::ZERO, NEVER_SLOW);
    let mut j = w.join(member(42), None).await.unwrap();
    next_msg(&mut j.outbound).await;
    w.detach(j.player, j.conn).await;
    match tokio::time::timeout(Duration::from_secs(5), saves.recv())
        .await
        .unwrap()
        .unwrap()
    {
        SaveJob::Players(batch) => assert_eq!(batch[0].0, 42),
        other => panic!("{other:?}"),
    }
    assert!(w.resume(None, j.resume_token).await.is_err());
    w.shutdown().await;
}

#[tokio::test]
async fn a_full_world_refuses_and_the_same_account_takes_over() {
    let (w, _saves) = start(1, Duration::from_secs(10), NEVER_SLOW);
    let mut a = w.join(member(1), None).await.unwrap();
    match w.join(member(2), None).await {
        Err(JoinRefusal::Full {
            players: 1,
            capacity: 1,
        }) => {}
        other => panic!("{other:?}"),
    }
    let again = w.join(member(1), None).await.unwrap();
    assert_eq!(again.player, a.player);
    loop {
        match a.outbound.recv().await {
            Some(Outgoing::Close(reason)) => {
                assert_eq!(reason, CloseReason::Replaced);
                break;
            }
            Some(Outgoing::Msg(_) | Outgoing::View(_)) => {}
            None => panic!("closed without a reason"),
        }
    }
    w.shutdown().await;
}

#[tokio::test]
async fn a_client_that_does_not_read_is_dropped_not_buffered() {
    let (w, _saves) = start(10, Duration::from_secs(10), 8);
    let mut slow = w.join(member(1), None).await.unwrap();
    let mut fast = w.join(member(2), None).await.unwrap();
    // Keep reading the fast client until the slow one's queue has closed.
    let mut received = 0;
    loop {
        next_msg(&mut fast.outbound).await;
        received += 1;
        if slow.outbound.is_closed() || received > 1000 {
            break;
        }
    }
    assert!(received < 1000, "the slow client was never dropped");
    let mut drained = 0;
    while let Ok(Outgoing::Msg(_)) = slow.outbound.try_recv() {
        drained += 1;
    }
    assert!(
        drained <= 8,
        "at most the queue length was buffered, got {drained}"
    );
    assert_eq!(
        w.status().players(),
        2,
        "a dropped client keeps its player for the grace period"
    );
    w.shutdown().await;
}

#[tokio::test]
async fn autosave_and_checkpoints_arrive_without_anyone_leaving() {
    let (w, mut saves) = start_with(
        10,
        Duration::from_secs(10),
        NEVER_SLOW,
        Duration::from_millis(50),
    );
    let mut j = w.join(member(7), None).await.unwrap();
    next_msg(&mut j.outbound).await;
    let (mut players, mut checkpoint) = (false, false);
    while !(players && checkpoint) {
        match tokio::time::timeout(Duration::from_secs(5), saves.recv())
            .await
            .unwrap()
            .unwrap()
        {
            SaveJob::Players(batch) => {
                assert_eq!(batch.len(), 1);
                assert_eq!(batch[0].0, 7);
                players = true;
            }
            SaveJob::Checkpoint {
                world,
                checkpoint: cp,
            } => {
                assert_eq!(world, "world-1");
                assert_eq!(cp.seed, 7);
                checkpoint = true;
            }
        }
    }
    assert_eq!(w.status().players(), 1, "autosave does not remove anyone");
    w.shutdown().await;
}
