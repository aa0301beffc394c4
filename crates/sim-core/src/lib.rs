//! Kindling's deterministic tick simulation.
//!
//! One world is one [`World`] value, advanced a fixed tick at a time by
//! [`World::step`]. The simulation does no I/O, never reads the wall clock, spawns no
//! threads and draws every random number from the world's seeded RNG, so the same seed
//! and the same input log always give the same [`World::state_hash`] at every tick.
//!
//! # Layout
//! - [`bots`]: scripted players for benchmarks and the headless example.
//! - [`config`]: the tunable numbers of `game.toml` ([`GameConfig`]).
//! - [`content`]: items, recipes, nodes, creatures and spawn tables from data files.
//! - `terrain`, `worldgen`: biomes and water from seeded noise, node placement.
//! - `ids`, `math`, `random`: entity ids, the vector type, draws from the seeded RNG.
//! - `input`: what a player asks for in one tick ([`PlayerInput`]).
//! - `events`: what happened in a tick ([`StepOutput`], [`Event`]).
//! - `entities`, `inventory`: what the world stores about each thing.
//! - `step`: the order of the systems in one tick; `systems/*`: the systems themselves.
//! - `view`, `views`: what the network layer may read ([`EntityView`], [`PrivateView`]).
//! - `progress`, `progress_io`: what persistence saves and restores
//!   ([`PlayerProgress`], [`WorldCheckpoint`]).
//! - `grid`: the uniform spatial grid behind collision and area-of-interest queries.
//! - `hash`: [`World::state_hash`].
//! - `world`: the [`World`] itself, joining and leaving.

pub mod bots;
pub mod config;
pub mod content;
mod entities;
mod error;
mod events;
mod grid;
mod hash;
mod ids;
mod input;
mod inventory;
mod math;
mod progress;
mod progress_io;
mod random;
mod step;
mod systems;
mod terrain;
mod view;
mod views;
pub use views::PlayerParts;
mod world;
mod worldgen;

pub use config::GameConfig;
pub use content::{ArmorSlot, Content, ItemKind};
pub use error::SimError;
pub use events::{Event, RejectReason, StepOutput};
pub use grid::{Rect, SpatialGrid};
pub use ids::{EntityId, PlayerId};
pub use input::{BuildCommand, ChatChannel, ChatCommand, PlayerInput, TeamCommand};
pub use math::Vec2;
pub use progress::{PlayerProgress, SavedNode, SavedStack, SavedStructure, WorldCheckpoint};
pub use systems::chat::clean_text;
pub use systems::progression::level_for_xp;
pub use terrain::{Biome, Terrain};
pub use view::{EntityKind, EntityView, ItemStack, LeaderboardEntry, PlayerPublic, PrivateView};
pub use world::{JoinError, World};
