//! Configuration: one typed [`Settings`] loaded from defaults, the four TOML files, `.env`
//! and the seed's environment variables, validated once at start.
//!
//! # Layout
//! - `model`: the structs, one per section, with a doc comment per field.
//! - `units`: durations (`24h`) and sizes (`100MB`).
//! - `env`: the seed's variable names and the keys they override.
//! - `load`: merging the layers.
//! - `validate`: cross-field problems, one message each.
//! - `secret`: values masked in every debug output.
//! - `print`: the effective configuration with secrets masked.

mod env;
mod load;
mod model;
mod print;
mod secret;
mod units;
mod validate;

pub use env::{CONFIG_DIR_VAR, ENV_KEYS};
pub use load::{CONFIG_FILES, Sources};
pub use model::{
    CorsSection, DatabaseSection, Environment, LogFormat, LoggingSection, MetricsSection,
    NetworkSection, PerformanceSection, SecuritySection, ServerSection, Settings, WorldsSection,
};
pub use secret::Secret;
pub use units::{ByteSize, Seconds};
pub use validate::MIN_SECRET_LEN;
