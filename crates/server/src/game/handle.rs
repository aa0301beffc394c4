//! The network side's handle on a world: async join/resume, non-blocking inputs.

use std::sync::Arc;
use std::thread::JoinHandle;

use sim_core::{GameConfig, PlayerId, PlayerInput, PlayerProgress, World};
use tokio::sync::{mpsc, oneshot};

use super::command::{Command, FinalState, JoinRefusal, Joined, Member, SaveJob};
use super::replica::Replica;
use super::runner::{self, RunnerConfig};
use super::status::WorldStatus;

/// Commands queued to one world at most; past this, inputs are dropped (never waited for).
pub const COMMAND_QUEUE: usize = 16_384;

/// A running world.
pub struct WorldHandle<M> {
    id: String,
    config: GameConfig,
    intro: Vec<M>,
    content_version: u64,
    capacity: u32,
    tick_rate: u32,
    commands: mpsc::Sender<Command<M>>,
    status: Arc<WorldStatus>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl<M: Send + 'static> WorldHandle<M> {
    /// Starts `world` on its own thread.
    pub fn spawn<R: Replica<Msg = M>>(
        world: World,
        cfg: RunnerConfig,
        capture: R::Capture,
        saves: mpsc::UnboundedSender<SaveJob>,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel(COMMAND_QUEUE);
        let status = Arc::new(WorldStatus::default());
        let id = cfg.world_id.clone();
        let config = world.config().clone();
        let capacity = world.config().max_players;
        let tick_rate = world.config().tick_rate;
        let st = status.clone();
        let thread = std::thread::Builder::new()
            .name(format!("sim-{id}"))
            .spawn(move || {
                raise_priority(&cfg.world_id, cfg.tick_priority);
                runner::run::<R>(world, cfg, capture, rx, saves, st)
            })?;
        Ok(Self {
            id,
            config,
            intro: Vec::new(),
            content_version: 0,
            capacity,
            tick_rate,
            commands: tx,
            status,
            thread: std::sync::Mutex::new(Some(thread)),
        })
    }

    /// Sets the messages every new connection gets after the handshake ack (content
    /// tables, map) and the version hash of the content they describe.
    pub fn set_intro(&mut self, intro: Vec<M>, content_version: u64) {
        self.intro = intro;
        self.content_version = content_version;
    }

    /// The messages every new connection gets after the handshake ack.
    pub fn intro_messages(&self) -> Vec<M>
    where
        M: Clone,
    {
        self.intro.clone()
    }

    /// Hash of the content tables.
    pub fn content_version(&self) -> u64 {
        self.content_version
    }

    /// The game rules the world runs with.
    pub fn game_config(&self) -> &GameConfig {
        &self.config
    }

    /// World id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Most players.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Ticks per second.
    pub fn tick_rate(&self) -> u32 {
        self.tick_rate
    }

    /// Live numbers.
    pub fn status(&self) -> &WorldStatus {
        &self.status
    }

    /// Adds a player (or takes over this account's player).
    pub async fn join(
        &self,
        member: Member,
        progress: Option<PlayerProgress>,
    ) -> Result<Joined<M>, JoinRefusal> {
        let (reply, rx) = oneshot::channel();
        self.commands
            .send(Command::Join {
                member,
                progress,
                reply,
            })
            .await
            .map_err(|_| JoinRefusal::ShuttingDown)?;
        rx.await.map_err(|_| JoinRefusal::ShuttingDown)?
    }

    /// Takes over a detached player by resume token.
    pub async fn resume(
        &self,
        account_id: Option<i64>,
        token: String,
    ) -> Result<Joined<M>, JoinRefusal> {
        let (reply, rx) = oneshot::channel();
        self.commands
            .send(Command::Resume {
                account_id,
                token,
                reply,
            })
            .await
            .map_err(|_| JoinRefusal::ShuttingDown)?;
        rx.await.map_err(|_| JoinRefusal::ShuttingDown)?
    }

    /// Queues an input without waiting; `false` when the world's queue is full (the
    /// input is dropped).
    pub fn input(&self, player: PlayerId, conn: u64, input: PlayerInput) -> bool {
        self.commands
            .try_send(Command::Input {
                player,
                conn,
                input,
            })
            .is_ok()
    }

    /// The connection dropped; the player waits for a resume.
    pub async fn detach(&self, player: PlayerId, conn: u64) {
        let _ = self.commands.send(Command::Detach { player, conn }).await;
    }

    /// The client left on purpose; save and remove now.
    pub async fn leave(&self, player: PlayerId, conn: u64) {
        let _ = self.commands.send(Command::Leave { player, conn }).await;
    }

    /// Stops the world and returns everything to save. Waits for the thread to end.
    pub async fn shutdown(&self) -> FinalState {
        let (reply, rx) = oneshot::channel();
        if self
            .commands
            .send(Command::Shutdown { reply })
            .await
            .is_err()
        {
            return FinalState::default();
        }
        let state = rx.await.unwrap_or_default();
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(t) = thread {
            let _ = tokio::task::spawn_blocking(move || t.join()).await;
        }
        state
    }
}

/// The nice value a tick thread asks for under [`TickPriority::High`] (and under
/// `Realtime` where real-time scheduling is refused): ahead of the network threads.
pub const TICK_THREAD_NICE: i32 = -10;

/// Scheduling of the tick threads: a tick that is due should not wait behind socket
/// work. On a busy 2-core machine (1,000 bots), a tick thread at nice −10 still waited
/// ~1 ms for a CPU at each wake-up and was preempted mid-tick, which made the tick's
/// p99; under `SCHED_FIFO` it waits ~30 µs. Raising the priority needs root or
/// `CAP_SYS_NICE` (compose adds it); without, the thread says so once and runs normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum TickPriority {
    /// `SCHED_FIFO` at the lowest real-time priority: ahead of every normal thread. A
    /// tick thread sleeps between ticks, and the kernel keeps 5 % of every second for
    /// normal threads even if one spins. Falls back to `High` where not allowed.
    #[default]
    Realtime,
    /// Nice −10.
    High,
    /// Leave it to the OS.
    Normal,
}

impl TryFrom<String> for TickPriority {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        match name.as_str() {
            "realtime" => Ok(Self::Realtime),
            "high" => Ok(Self::High),
            "normal" => Ok(Self::Normal),
            other => Err(format!(
                "tick_priority must be \"realtime\", \"high\" or \"normal\", not {other:?}"
            )),
        }
    }
}

/// Raises the calling (tick) thread's scheduling priority as `priority` asks, where
/// allowed; says once what it got.
fn raise_priority(world: &str, priority: TickPriority) {
    use thread_priority::{
        RealtimeThreadSchedulePolicy, ThreadPriority, ThreadSchedulePolicy,
        set_thread_priority_and_policy, thread_native_id,
    };
    if priority == TickPriority::Normal {
        return;
    }
    if priority == TickPriority::Realtime {
        let fifo = ThreadSchedulePolicy::Realtime(RealtimeThreadSchedulePolicy::Fifo);
        match set_thread_priority_and_policy(thread_native_id(), ThreadPriority::Min, fifo) {
            Ok(()) => {
                tracing::info!(world, "tick thread runs under SCHED_FIFO");
                return;
            }
            Err(e) => tracing::info!(
                world,
                error = ?e,
                "tick thread may not use SCHED_FIFO (needs CAP_SYS_NICE); trying nice {TICK_THREAD_NICE}"
            ),
        }
    }
    let tid = rustix::thread::gettid();
    match rustix::process::setpriority_process(Some(tid), TICK_THREAD_NICE) {
        Ok(()) => tracing::info!(
            world,
            nice = TICK_THREAD_NICE,
            "tick thread priority raised"
        ),
        Err(e) => tracing::info!(
            world,
            error = %e,
            "tick thread keeps the default priority (needs CAP_SYS_NICE to raise it)"
        ),
    }
}
