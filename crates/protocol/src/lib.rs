//! Kindling's wire protocol: messages, their binary codec and JSON fallback, versioning,
//! limits, and per-client replication (area of interest + deltas).
//!
//! Filled by issue #3.
