//! The messages, one module per family; each type sits next to its limits and codec.

pub(crate) mod client;
pub(crate) mod common;
pub(crate) mod entity;
pub(crate) mod events;
pub(crate) mod private;
pub(crate) mod server;
pub(crate) mod world;
