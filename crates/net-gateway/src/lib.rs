//! Kindling's network edge: hyper HTTP (health, REST API, static client) and
//! tokio-tungstenite WebSocket sessions with bounded queues to the simulation.
//!
//! Filled by issue #5.
