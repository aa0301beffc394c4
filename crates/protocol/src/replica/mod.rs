//! Replication: per-client area of interest, deltas against acknowledged baselines,
//! private state and event routing (`client`), the shared per-tick capture (`frame`),
//! the client-side application of what was sent (`view`), and the once-per-session
//! tables (`session`).

pub(crate) mod client;
pub(crate) mod frame;
pub(crate) mod session;
#[cfg(test)]
mod tests;
pub(crate) mod view;
