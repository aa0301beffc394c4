//! Kindling's load generator: a swarm of bots that play the game over real WebSockets
//! with the real protocol, and the report of how the server held up.
//!
//! All bots share one tokio runtime (no thread per bot). Each bot authenticates over
//! HTTP, opens a WebSocket, handshakes, then plays like a person would — wanders,
//! gathers from the nodes it sees, crafts, builds, fights, chats — acknowledging
//! snapshots and answering pings, and reconnects when dropped. Meanwhile a sampler
//! scrapes the server's `/metrics` and `/proc/<pid>` once a second.
//!
//! # Layout
//! - [`cli`]: the command line ([`Args`]).
//! - `run`: ramps the swarm up, runs it for the duration, stops it, builds the report.
//! - `bot`: one bot's life: auth, connect, handshake, play loop, reconnect, churn.
//! - `brain`: what a bot does next, from what it has seen (pure, seeded).
//! - `http`: the few HTTP calls (auth, /health, /metrics) on hyper; `auth`: getting a
//!   token (guest or register) and waiting for /health.
//! - [`counters`]: swarm-wide atomic counters; [`outcome`]: one bot's own numbers.
//! - [`sampler`]: the once-a-second timeline ([`Point`]).
//! - [`prom`]: Prometheus text parsing and histogram quantiles.
//! - [`procfs`]: CPU and RSS of a local process.
//! - [`percentile`]: nearest-rank percentiles ([`Summary`]).
//! - [`report`]: JSON + Markdown + SVG chart ([`Report`]).
//! - `wire`: protocol messages to and from what a bot knows (the brain's view).
//! - `status`: the live status line on stderr; `strict`: the smoke run's checks.

mod auth;
mod bot;
mod brain;
pub mod cli;
pub mod counters;
mod error;
mod http;
pub mod outcome;
pub mod percentile;
pub mod procfs;
pub mod prom;
pub mod report;
mod run;
pub mod sampler;
mod status;
mod strict;
mod wire;

pub use cli::Args;
pub use error::LoadgenError;
pub use outcome::BotOutcome;
pub use percentile::Summary;
pub use prom::{Histogram, Scrape};
pub use report::Report;
pub use run::run;
pub use sampler::Point;
pub use strict::strict_problems;
