//! Every metric of the server, named and described in one place.
//!
//! The names are the seed's (its Grafana dashboard and alerts query them); the help text
//! says exactly what is counted and in which unit. [`describe`] registers the
//! descriptions with whatever recorder is installed; the server calls it once at start.

/// Gauge: players currently in a world (joined and not yet left), across all worlds.
pub const PLAYERS_ONLINE: &str = "game_players_online";
/// Histogram: wall time of one simulation tick (drain inputs, step, replicate), seconds.
pub const TICK_DURATION_SECONDS: &str = "game_tick_duration_seconds";
/// Counter: WebSocket payload bytes received from clients.
pub const NETWORK_BYTES_RECEIVED: &str = "game_network_bytes_received";
/// Counter: WebSocket payload bytes sent to clients.
pub const NETWORK_BYTES_SENT: &str = "game_network_bytes_sent";
/// Gauge: open WebSocket connections (handshaking, playing or closing).
pub const CONNECTIONS: &str = "game_connections";
/// Counter: messages by direction-qualified type, label `type` (e.g. `in_input`, `out_delta`).
pub const MESSAGES_TOTAL: &str = "game_messages_total";
/// Counter: requests and messages refused by a rate limit, label `scope`.
pub const RATE_LIMITED_TOTAL: &str = "game_rate_limited_total";
/// Counter: ticks that took longer than the tick interval.
pub const TICK_OVERRUNS_TOTAL: &str = "game_tick_overruns_total";
/// Gauge: entities in the world's spatial grid (players, creatures, nodes, structures, …).
pub const ENTITIES: &str = "game_entities";
/// Histogram: wall time of one batched save of player progress or a world checkpoint, seconds.
pub const DB_SAVE_SECONDS: &str = "game_db_save_seconds";
/// Counter: saves that failed (they are kept and retried).
pub const DB_SAVE_FAILURES_TOTAL: &str = "game_db_save_failures_total";
/// Counter: clients disconnected by the server, label `reason`.
pub const DISCONNECTS_TOTAL: &str = "game_disconnects_total";
/// Counter: player inputs given up to keep a player's input queue bounded, label `kind`
/// (`movement`: folded into the next input, its actions kept; `whole`: dropped entirely).
pub const INPUTS_DROPPED_TOTAL: &str = "game_inputs_dropped_total";
/// Histogram: wall time of each phase of a tick, label `phase` (`drain`: commands and
/// inputs; `step`: `World::step`; `capture`: the shared replication frame; `fanout`:
/// handing every connection its update; `housekeeping`: grace expiry and saves).
pub const TICK_PHASE_SECONDS: &str = "game_tick_phase_seconds";
/// Counter: ticks whose view a connection that fell behind skipped: it sent their events
/// and the view of a newer tick instead (a delta against the acknowledged baseline
/// loses nothing by skipping).
pub const VIEWS_SKIPPED_TOTAL: &str = "game_views_skipped_total";
/// Gauge: captured frames alive (kept by connections' queues and clients'
/// unacknowledged views), all worlds together.
pub const REPLICATION_FRAMES: &str = "game_replication_frames";
/// Gauge: heap bytes of the per-entity arrays of those frames.
pub const REPLICATION_FRAME_BYTES: &str = "game_replication_frame_bytes";
/// Counter: HTTP requests answered, label `status` (class like `2xx`).
pub const HTTP_REQUESTS_TOTAL: &str = "game_http_requests_total";

/// Bucket bounds of [`TICK_DURATION_SECONDS`]: fine around the 2–5 ms targets, up to the
/// 50 ms tick interval and beyond.
pub const TICK_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.035, 0.05, 0.1, 0.25,
];
/// Bucket bounds of [`DB_SAVE_SECONDS`].
pub const DB_SAVE_BUCKETS: &[f64] = &[0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// Registers units and help text of every metric, and creates the unlabelled ones at zero
/// so a fresh server exposes every name.
pub fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_gauge!(
        PLAYERS_ONLINE,
        Unit::Count,
        "Players currently in a world, all worlds together."
    );
    describe_histogram!(
        TICK_DURATION_SECONDS,
        Unit::Seconds,
        "Wall time of one simulation tick: draining inputs, World::step and replication."
    );
    describe_histogram!(
        TICK_PHASE_SECONDS,
        Unit::Seconds,
        "Wall time of each phase of a tick, by phase (drain, step, capture, fanout, housekeeping)."
    );
    describe_counter!(
        VIEWS_SKIPPED_TOTAL,
        Unit::Count,
        "Ticks whose view a connection that fell behind skipped (their events were sent)."
    );
    describe_gauge!(
        REPLICATION_FRAMES,
        Unit::Count,
        "Captured frames alive: kept by connections' queues and unacknowledged views."
    );
    describe_gauge!(
        REPLICATION_FRAME_BYTES,
        Unit::Bytes,
        "Heap bytes of the per-entity arrays of the captured frames alive."
    );
    describe_counter!(
        NETWORK_BYTES_RECEIVED,
        Unit::Bytes,
        "WebSocket payload bytes received from clients."
    );
    describe_counter!(
        NETWORK_BYTES_SENT,
        Unit::Bytes,
        "WebSocket payload bytes sent to clients."
    );
    describe_gauge!(CONNECTIONS, Unit::Count, "Open WebSocket connections.");
    describe_counter!(
        INPUTS_DROPPED_TOTAL,
        Unit::Count,
        "Player inputs given up to keep an input queue bounded, by kind (movement, whole)."
    );
    describe_counter!(
        MESSAGES_TOTAL,
        Unit::Count,
        "Game messages handled, by type (in_* from clients, out_* to clients)."
    );
    describe_counter!(
        RATE_LIMITED_TOTAL,
        Unit::Count,
        "Requests or messages refused by a rate limit, by scope."
    );
    describe_counter!(
        TICK_OVERRUNS_TOTAL,
        Unit::Count,
        "Ticks that took longer than the tick interval."
    );
    describe_gauge!(
        ENTITIES,
        Unit::Count,
        "Players in the world's spatial grid after the last tick."
    );
    describe_histogram!(
        DB_SAVE_SECONDS,
        Unit::Seconds,
        "Wall time of one batched database save (progress or checkpoint)."
    );
    describe_counter!(
        DB_SAVE_FAILURES_TOTAL,
        Unit::Count,
        "Database saves that failed and were queued for retry."
    );
    describe_counter!(
        DISCONNECTS_TOTAL,
        Unit::Count,
        "Clients disconnected by the server, by reason."
    );
    describe_counter!(
        HTTP_REQUESTS_TOTAL,
        Unit::Count,
        "HTTP requests answered, by status class."
    );

    metrics::gauge!(PLAYERS_ONLINE).set(0.0);
    metrics::gauge!(CONNECTIONS).set(0.0);
    metrics::gauge!(ENTITIES).set(0.0);
    metrics::counter!(NETWORK_BYTES_RECEIVED).absolute(0);
    metrics::counter!(NETWORK_BYTES_SENT).absolute(0);
    metrics::counter!(TICK_OVERRUNS_TOTAL).absolute(0);
    metrics::counter!(DB_SAVE_FAILURES_TOTAL).absolute(0);
    metrics::counter!(RATE_LIMITED_TOTAL, "scope" => "api").absolute(0);
    metrics::counter!(MESSAGES_TOTAL, "type" => "in_input").absolute(0);
}
