//! A world's tick thread: a fixed-rate loop that drains the command channel, steps the
//! world, replicates to every attached client and hands saves to the saver task.
//!
//! The tick never waits on the network or the database: commands arrive through a
//! bounded channel drained with `try_recv`, messages leave through bounded per-client
//! queues filled with `try_send` (a full queue drops that client), and saves go to an
//! unbounded channel whose size is bounded by the number of players.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use metrics::{counter, gauge, histogram};
use net_gateway::metrics as m;
use net_gateway::outbox::{self, Sent, TrySendError};
use sim_core::{PlayerId, PlayerInput, World};
use tokio::sync::mpsc::{self, error::TryRecvError};

use super::command::{
    CloseReason, Command, FinalState, JoinRefusal, Joined, Member, Outgoing, SaveJob,
};
use super::input_queue::InputQueue;
use super::replica::Replica;
use super::status::WorldStatus;

/// The periodic message (the live leaderboard) is made every this many seconds and
/// sent when it changed. With many players scoring, a top 10 changes every second, and
/// sending it that often cost each client ~0.17 KiB/s (3 % of its bytes at 1,000 bots)
/// for a panel that reads as well at half the rate.
const BOARD_EVERY_S: u32 = 2;

/// An unchanged periodic message is still sent this often (seconds): the browser
/// treats a live leaderboard not heard of for 20 s as gone.
const BOARD_REFRESH_S: u32 = 10;

/// Commands handled per tick at most, so a flood cannot stretch one tick.
pub const MAX_COMMANDS_PER_TICK: usize = 20_000;

/// How a runner behaves.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// World id for logs, metrics and saves.
    pub world_id: String,
    /// Queue length of each client's outbound channel.
    pub outbound_queue: usize,
    /// How long a dropped player stays in the world.
    pub resume_grace: Duration,
    /// How often all players are saved.
    pub autosave_interval: Duration,
    /// How often the world is checkpointed.
    pub checkpoint_interval: Duration,
    /// How the tick thread asks the OS to schedule it.
    pub tick_priority: super::TickPriority,
}

/// Times the phases of a tick into `TICK_PHASE_SECONDS`.
struct Lap(Instant);

impl Lap {
    /// Records the time since the previous phase ended under `phase`.
    fn record(&mut self, phase: &'static str) {
        let now = Instant::now();
        histogram!(m::TICK_PHASE_SECONDS, "phase" => phase).record((now - self.0).as_secs_f64());
        self.0 = now;
    }
}

struct Client<R: Replica> {
    member: Member,
    conn: u64,
    resume_token: String,
    outbound: Option<outbox::Sender<Outgoing<R::Msg>>>,
    replica: R,
    /// Inputs not applied yet, one per tick.
    inputs: InputQueue,
    /// Set while detached: when the player is removed.
    leave_at: Option<Instant>,
    /// This connection was sent the newest periodic message.
    has_board: bool,
}

struct Runner<R: Replica> {
    world: World,
    cfg: RunnerConfig,
    clients: BTreeMap<PlayerId, Client<R>>,
    next_conn: u64,
    saves: mpsc::UnboundedSender<SaveJob>,
    status: Arc<WorldStatus>,
    sink: Vec<Outgoing<R::Msg>>,
    capture: R::Capture,
    /// The newest periodic message sent (the live leaderboard).
    board: Option<R::Msg>,
    /// Seconds since it was last sent to everyone.
    board_age: u32,
}

/// Runs `world` at its tick rate on the current thread until a `Shutdown` command (or
/// until every command sender is gone).
pub fn run<R: Replica>(
    world: World,
    cfg: RunnerConfig,
    capture: R::Capture,
    mut commands: mpsc::Receiver<Command<R::Msg>>,
    saves: mpsc::UnboundedSender<SaveJob>,
    status: Arc<WorldStatus>,
) {
    let interval = Duration::from_secs_f64(1.0 / f64::from(world.config().tick_rate.max(1)));
    let mut r: Runner<R> = Runner {
        world,
        cfg,
        clients: BTreeMap::new(),
        next_conn: 1,
        saves,
        status,
        sink: Vec::new(),
        capture,
        board: None,
        board_age: 0,
    };
    let mut next_tick = Instant::now() + interval;
    let mut next_autosave = Instant::now() + r.cfg.autosave_interval;
    let mut next_checkpoint = Instant::now() + r.cfg.checkpoint_interval;
    let mut batch: Vec<(PlayerId, PlayerInput)> = Vec::new();
    tracing::info!(world = %r.cfg.world_id, tick_rate = r.world.config().tick_rate, "world started");
    loop {
        let started = Instant::now();
        let span = tracing::debug_span!("tick", world = %r.cfg.world_id, tick = r.world.tick() + 1);
        let _enter = span.enter();

        // Phase 1: drain commands.
        let mut shutdown = None;
        {
            let _p = tracing::trace_span!("drain").entered();
            for _ in 0..MAX_COMMANDS_PER_TICK {
                match commands.try_recv() {
                    Ok(Command::Shutdown { reply }) => {
                        shutdown = Some(Some(reply));
                        break;
                    }
                    Ok(cmd) => r.handle(cmd),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        shutdown = Some(None);
                        break;
                    }
                }
            }
        }
        let mut lap = Lap(started);
        lap.record("drain");
        if let Some(reply) = shutdown {
            let state = r.shutdown();
            if let Some(reply) = reply {
                let _ = reply.send(state);
            }
            tracing::info!(world = %r.cfg.world_id, "world stopped");
            return;
        }

        // Phase 2: step.
        batch.clear();
        let mut folded = 0;
        for (id, c) in &mut r.clients {
            let (input, f) = c.inputs.pop();
            folded += u64::from(f);
            if let Some(input) = input {
                batch.push((*id, input));
            }
        }
        if folded > 0 {
            counter!(m::INPUTS_DROPPED_TOTAL, "kind" => "movement").increment(folded);
        }
        let out = {
            let _p = tracing::trace_span!("step", inputs = batch.len()).entered();
            r.world.step(&batch)
        };
        lap.record("step");

        r.status
            .record(r.world.tick(), r.world.player_count() as u32);

        // Phase 3: replicate.
        {
            let _p = tracing::trace_span!("replicate", clients = r.clients.len()).entered();
            r.replicate(&out, &mut lap);
        }

        // Phase 4: housekeeping (grace expiry, saves).
        let now = Instant::now();
        r.expire_detached(now);
        if now >= next_autosave {
            r.autosave();
            next_autosave = now + r.cfg.autosave_interval;
        }
        if now >= next_checkpoint {
            r.checkpoint();
            next_checkpoint = now + r.cfg.checkpoint_interval;
        }
        gauge!(m::ENTITIES, "world" => r.cfg.world_id.clone()).set(r.world.entity_count() as f64);
        let frames = protocol::frames_alive();
        gauge!(m::REPLICATION_FRAMES).set(frames.frames as f64);
        gauge!(m::REPLICATION_FRAME_BYTES).set(frames.bytes as f64);
        lap.record("housekeeping");

        let took = started.elapsed();
        histogram!(m::TICK_DURATION_SECONDS).record(took.as_secs_f64());
        if took > interval {
            counter!(m::TICK_OVERRUNS_TOTAL).increment(1);
        }
        drop(_enter);

        // Fixed rate: sleep to the next slot; after an overrun, start a fresh schedule
        // instead of running a burst of catch-up ticks.
        let now = Instant::now();
        if next_tick > now {
            std::thread::sleep(next_tick - now);
            next_tick += interval;
        } else {
            next_tick = now + interval;
        }
    }
}

impl<R: Replica> Runner<R> {
    fn handle(&mut self, cmd: Command<R::Msg>) {
        match cmd {
            Command::Input {
                player,
                conn,
                input,
            } => {
                let Some(c) = self.clients.get_mut(&player) else {
                    return;
                };
                if c.conn != conn {
                    return;
                }
                let overflow = c.inputs.push(input);
                if overflow.folded > 0 {
                    counter!(m::INPUTS_DROPPED_TOTAL, "kind" => "movement")
                        .increment(u64::from(overflow.folded));
                }
                if overflow.dropped > 0 {
                    counter!(m::INPUTS_DROPPED_TOTAL, "kind" => "whole")
                        .increment(u64::from(overflow.dropped));
                }
            }
            Command::Join {
                member,
                progress,
                reply,
            } => {
                let res = self.join(member, progress);
                let _ = reply.send(res);
            }
            Command::Resume {
                account_id,
                token,
                reply,
            } => {
                let found = self
                    .clients
                    .iter()
                    .find(|(_, c)| {
                        !token.is_empty()
                            && c.resume_token == token
                            && account_id.is_none_or(|a| a == c.member.account_id)
                    })
                    .map(|(id, _)| *id);
                let res = match found {
                    Some(player) => Ok(self.attach(player)),
                    None => Err(JoinRefusal::UnknownResume),
                };
                let _ = reply.send(res);
            }
            Command::Detach { player, conn } => {
                if let Some(c) = self.clients.get_mut(&player)
                    && c.conn == conn
                {
                    c.outbound = None;
                    c.leave_at = Some(Instant::now() + self.cfg.resume_grace);
                    tracing::debug!(world = %self.cfg.world_id, player = player.0, "detached; waiting for resume");
                }
            }
            Command::Leave { player, conn } => {
                if self.clients.get(&player).is_some_and(|c| c.conn == conn) {
                    self.remove(player);
                }
            }
            Command::Shutdown { .. } => {}
        }
    }

    fn join(
        &mut self,
        member: Member,
        progress: Option<sim_core::PlayerProgress>,
    ) -> Result<Joined<R::Msg>, JoinRefusal> {
        // The same account joining again takes over its player (a reload of the page).
        if let Some(existing) = self
            .clients
            .iter()
            .find(|(_, c)| c.member.account_id == member.account_id)
            .map(|(id, _)| *id)
        {
            return Ok(self.attach(existing));
        }
        let capacity = self.world.config().max_players;
        let player = self
            .world
            .join(&member.name, progress)
            .map_err(|_| JoinRefusal::Full {
                players: self.world.player_count() as u32,
                capacity,
            })?;
        let replica = R::new(&self.capture, &self.world, player);
        self.clients.insert(
            player,
            Client {
                member,
                conn: 0,
                resume_token: String::new(),
                outbound: None,
                replica,
                inputs: InputQueue::default(),
                leave_at: None,
                has_board: false,
            },
        );
        gauge!(m::PLAYERS_ONLINE).increment(1.0);
        let mut joined = self.attach(player);
        joined.resumed = false;
        Ok(joined)
    }

    /// Gives `player` a new connection: a fresh queue, a new resume token and a full
    /// snapshot next tick. A previous connection is told it was replaced.
    fn attach(&mut self, player: PlayerId) -> Joined<R::Msg> {
        let conn = self.next_conn;
        self.next_conn += 1;
        let (tx, rx) = outbox::channel(self.cfg.outbound_queue.max(8));
        let token = uuid::Uuid::new_v4().simple().to_string();
        let tick = self.world.tick();
        if let Some(c) = self.clients.get_mut(&player) {
            if let Some(old) = c.outbound.take() {
                let _ = old.try_send(Outgoing::Close(CloseReason::Replaced));
            }
            c.conn = conn;
            c.outbound = Some(tx);
            c.resume_token = token.clone();
            c.leave_at = None;
            c.has_board = false;
            c.replica.reset();
        }
        Joined {
            player,
            conn,
            resume_token: token,
            outbound: rx,
            tick,
            resumed: true,
        }
    }

    fn replicate(&mut self, out: &sim_core::StepOutput, lap: &mut Lap) {
        if self.clients.values().all(|c| c.outbound.is_none()) {
            return;
        }
        let frame = R::capture(&mut self.capture, &self.world, out);
        lap.record("capture");
        let tick_rate = u64::from(self.world.config().tick_rate.max(1));
        // The periodic message goes to everyone when it changed (and every
        // `BOARD_REFRESH_S` anyway, so clients know it is live); a connection that has
        // not had it yet gets the current one.
        let second = out
            .tick
            .is_multiple_of(tick_rate * u64::from(BOARD_EVERY_S));
        let mut changed = false;
        if second && let Some(fresh) = R::every_second(&self.world) {
            self.board_age += BOARD_EVERY_S;
            changed = self.board.as_ref() != Some(&fresh) || self.board_age >= BOARD_REFRESH_S;
            if changed {
                self.board = Some(fresh);
                self.board_age = 0;
            }
        }
        let mut slow = Vec::new();
        for (id, c) in self.clients.iter_mut() {
            let Some(tx) = &c.outbound else { continue };
            self.sink.clear();
            c.replica.update(&frame, &self.world, *id, &mut self.sink);
            if second
                && (changed || !c.has_board)
                && let Some(msg) = &self.board
            {
                self.sink.push(Outgoing::Msg(Box::new(msg.clone())));
                c.has_board = true;
            }
            for item in self.sink.drain(..) {
                match tx.try_send_merging(item, Outgoing::absorb) {
                    Ok(Sent::Queued) => {}
                    // A newer view replaced one the connection had not written yet.
                    Ok(Sent::Merged) => counter!(m::VIEWS_SKIPPED_TOTAL).increment(1),
                    Err(TrySendError::Full(_)) => {
                        slow.push(*id);
                        break;
                    }
                    // The connection task is gone; its Detach is on the way.
                    Err(TrySendError::Closed(_)) => break,
                }
            }
        }
        lap.record("fanout");
        for id in slow {
            if let Some(c) = self.clients.get_mut(&id) {
                tracing::info!(world = %self.cfg.world_id, player = id.0, "client too slow; dropping its connection");
                counter!(m::DISCONNECTS_TOTAL, "reason" => "too_slow").increment(1);
                // Dropping the sender ends the connection; the player may resume.
                c.outbound = None;
                c.leave_at = Some(Instant::now() + self.cfg.resume_grace);
            }
        }
    }

    fn expire_detached(&mut self, now: Instant) {
        let expired: Vec<PlayerId> = self
            .clients
            .iter()
            .filter(|(_, c)| c.leave_at.is_some_and(|t| t <= now))
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            tracing::debug!(world = %self.cfg.world_id, player = id.0, "grace period over; leaving");
            self.remove(id);
        }
    }

    fn remove(&mut self, player: PlayerId) {
        if let Some(c) = self.clients.remove(&player) {
            if let Some(progress) = self.world.leave(player) {
                let _ = self
                    .saves
                    .send(SaveJob::Players(vec![(c.member.account_id, progress)]));
            }
            gauge!(m::PLAYERS_ONLINE).decrement(1.0);
        }
    }

    fn autosave(&mut self) {
        let batch: Vec<_> = self
            .clients
            .iter()
            .filter_map(|(id, c)| Some((c.member.account_id, self.world.progress(*id)?)))
            .collect();
        if !batch.is_empty() {
            let _ = self.saves.send(SaveJob::Players(batch));
        }
    }

    fn checkpoint(&mut self) {
        let _ = self.saves.send(SaveJob::Checkpoint {
            world: self.cfg.world_id.clone(),
            checkpoint: self.world.checkpoint(),
        });
    }

    fn shutdown(&mut self) -> FinalState {
        let mut players = Vec::new();
        let ids: Vec<PlayerId> = self.clients.keys().copied().collect();
        for id in ids {
            if let Some(c) = self.clients.remove(&id) {
                if let Some(tx) = &c.outbound {
                    let _ = tx.try_send(Outgoing::Close(CloseReason::Shutdown));
                }
                if let Some(p) = self.world.leave(id) {
                    players.push((c.member.account_id, p));
                }
                gauge!(m::PLAYERS_ONLINE).decrement(1.0);
            }
        }
        FinalState {
            players,
            checkpoint: self.world.checkpoint(),
        }
    }
}
