//! Replication: per-client area of interest, deltas against acknowledged baselines,
//! private state and event routing (`client`); change records shared by the clients
//! with the same base (`changes`) and deltas written straight from them (`pack`); the
//! shared per-tick capture (`frame`); the client-side application of what was sent
//! (`view`); and the once-per-session tables (`session`).

pub(crate) mod changes;
pub(crate) mod client;
pub(crate) mod frame;
pub(crate) mod pack;
pub(crate) mod session;
#[cfg(test)]
mod tests;
pub(crate) mod view;
