//! The Kindling game server: configuration, logging, metrics, authentication, the
//! simulation threads and the wiring between the network edge and storage.
//!
//! # Layout
//! - [`settings`]: the typed configuration and its loader.
//! - [`cli`]: the command line (`server`, `server migrate`, `server print-config`).

pub mod cli;
pub mod settings;

pub use settings::Settings;
