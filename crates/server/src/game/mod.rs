//! The simulation side of the server: one thread per world, fixed-rate ticks, and the
//! handles the network side uses to reach them.
//!
//! # Layout
//! - `command`: what connections ask of a world and what it answers.
//! - `input_queue`: a player's bounded queue of inputs, one applied per tick.
//! - `replica`: the per-client replication a tick runs (protocol's `ClientReplica`).
//! - `runner`: the tick loop (drain → step → replicate → housekeeping).
//! - `handle`: [`WorldHandle`], the async face of a world thread.
//! - `status`: lock-free numbers for `/ready` and `/api/v1/worlds`.

mod command;
mod handle;
mod input_queue;
mod replica;
mod runner;
mod status;

pub use command::{CloseReason, FinalState, JoinRefusal, Joined, Member, Outgoing, SaveJob};
pub use handle::{COMMAND_QUEUE, TickPriority, WorldHandle};
pub use input_queue::{INPUT_QUEUE_HARD_LEN, INPUT_QUEUE_LEN, InputQueue, Overflow};
pub use replica::Replica;
pub use runner::{MAX_COMMANDS_PER_TICK, RunnerConfig};
pub use status::WorldStatus;
