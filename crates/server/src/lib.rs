//! The Kindling game server: configuration, logging, metrics, authentication, the
//! simulation threads and the wiring between the network edge and storage.
//!
//! # Layout
//! - [`settings`]: the typed configuration and its loader.
//! - [`telemetry`]: logs (rotated file) and the Prometheus recorder.
//! - [`auth`]: JWT session tokens and the HTTP API's accounts.
//! - [`game`]: world threads (fixed-rate ticks) and their handles.
//! - [`cli`]: the command line (`server`, `server migrate`, `server print-config`).

pub mod auth;
pub mod cli;
pub mod game;
pub mod settings;
pub mod telemetry;

pub use settings::Settings;
