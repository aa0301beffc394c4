-- Durable world state (sim_core::WorldCheckpoint as JSON): depleted nodes with their respawn
-- ticks and placed structures. The newest row per world_id is restored on start.
CREATE TABLE world_snapshots (
    id             BIGSERIAL PRIMARY KEY,
    world_id       TEXT      NOT NULL,
    tick           BIGINT    NOT NULL,
    -- The u64 seed stored bit for bit as a signed 64-bit integer.
    seed           BIGINT    NOT NULL,
    format_version INTEGER   NOT NULL,
    state          TEXT      NOT NULL,
    saved_at       TIMESTAMP NOT NULL
);
CREATE INDEX world_snapshots_world_id_idx ON world_snapshots (world_id, id DESC);
