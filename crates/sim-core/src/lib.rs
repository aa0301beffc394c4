//! Kindling's deterministic tick simulation.
//!
//! One world is one [`World`] value, advanced a fixed tick at a time by
//! [`World::step`]. The simulation does no I/O, never reads the wall clock, spawns no
//! threads and draws every random number from the world's seeded RNG, so the same seed
//! and the same input log always give the same [`World::state_hash`] at every tick.
//!
//! # Layout
//! - [`config`]: the tunable numbers of `game.toml` ([`GameConfig`]).
//! - [`content`]: items, recipes, creatures and spawn tables loaded from data files.
//! - `ids`, `math`: entity ids and the small vector type.
//! - `input`: what a player asks for in one tick ([`PlayerInput`]).
//! - `events`: what happened in a tick ([`StepOutput`], [`Event`]).
//! - `view`: what the network layer may read of the world ([`EntityView`], [`PrivateView`]).
//! - `progress`: what persistence saves and restores ([`PlayerProgress`], [`WorldCheckpoint`]).
//! - `grid`: the uniform spatial grid behind collision and area-of-interest queries.
//! - `world`: the [`World`] itself and the order of its systems.

pub mod config;
pub mod content;
mod error;
mod events;
mod grid;
mod ids;
mod input;
mod math;
mod progress;
mod view;
mod world;

pub use config::GameConfig;
pub use content::Content;
pub use error::SimError;
pub use events::{Event, RejectReason, StepOutput};
pub use grid::{Rect, SpatialGrid};
pub use ids::{EntityId, PlayerId};
pub use input::{BuildCommand, ChatChannel, ChatCommand, PlayerInput, TeamCommand};
pub use math::Vec2;
pub use progress::{PlayerProgress, SavedStack, WorldCheckpoint};
pub use view::{EntityKind, EntityView, ItemStack, PlayerPublic, PrivateView};
pub use world::{JoinError, World};
