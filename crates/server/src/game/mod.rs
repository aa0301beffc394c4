//! The simulation side of the server: one thread per world, fixed-rate ticks, and the
//! handles the network side uses to reach them.
//!
//! # Layout
//! - `command`: what connections ask of a world and what it answers.
//! - `replica`: the per-client replication a tick runs (protocol's `ClientReplica`).
//! - `runner`: the tick loop (drain → step → replicate → housekeeping).
//! - `handle`: [`WorldHandle`], the async face of a world thread.
//! - `status`: lock-free numbers for `/ready` and `/api/v1/worlds`.

mod command;
mod handle;
mod replica;
mod runner;
mod status;

pub use command::{CloseReason, FinalState, JoinRefusal, Joined, Member, Outgoing, SaveJob};
pub use handle::{COMMAND_QUEUE, WorldHandle};
pub use replica::Replica;
pub use runner::{MAX_COMMANDS_PER_TICK, RunnerConfig};
pub use status::WorldStatus;
