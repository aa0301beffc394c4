//! Replication (filled below).
