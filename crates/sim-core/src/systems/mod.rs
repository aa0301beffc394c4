//! The systems of one tick, each a plain function over the world. Their order is
//! written once, in `World::step` (`step.rs`).

pub(crate) mod building;
pub(crate) mod chat;
pub(crate) mod combat;
pub(crate) mod commands;
pub(crate) mod crafting;
pub(crate) mod creatures;
pub(crate) mod death;
pub(crate) mod gathering;
pub(crate) mod interact;
pub(crate) mod loot;
pub(crate) mod meters;
pub(crate) mod movement;
pub(crate) mod progression;
pub(crate) mod projectiles;
pub(crate) mod teams;
