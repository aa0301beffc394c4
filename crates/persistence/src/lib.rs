//! Kindling's storage: accounts, sessions, player progress and world checkpoints, on
//! PostgreSQL in production and an embedded SQLite file by default.
//!
//! Filled by issue #4.
