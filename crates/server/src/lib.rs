//! The Kindling game server: configuration, logging, metrics, authentication, the
//! simulation threads and the wiring between the network edge and storage.
//!
//! # Layout
//! - [`settings`]: the typed configuration and its loader.
//! - [`telemetry`]: logs (rotated file) and the Prometheus recorder.
//! - [`auth`]: JWT session tokens and the HTTP API's accounts ([`auth::AuthService`]).
//! - [`game`]: world threads (fixed-rate ticks) and their handles.
//! - `replication`: the tick's replication over protocol's `ClientReplica`.
//! - `worlds`: the directory of running worlds (pick one, list them).
//! - `play`: opening game sessions for WebSocket handshakes ([`play::PlayService`]).
//! - `intro`: content tables sent after the handshake.
//! - `saver`: progress and checkpoints to the database, off the tick thread.
//! - [`database`]: `[database]` settings to persistence's configuration.
//! - `client_files`: the browser client, from disk or embedded.
//! - [`app`]: the lifecycle (start, serve, graceful shutdown).
//! - [`cli`]: the command line (`server`, `server migrate`, `server print-config`).

pub mod app;
pub mod auth;
pub mod cli;
mod client_files;
pub mod database;
pub mod game;
mod intro;
pub mod play;
mod replication;
mod saver;
pub mod settings;
pub mod telemetry;
pub mod worlds;

pub use settings::Settings;
