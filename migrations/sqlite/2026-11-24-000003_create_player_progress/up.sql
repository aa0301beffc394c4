-- What a player keeps between visits (sim_core::PlayerProgress). Statistics are columns so
-- leaderboards can use indexes; inventory and equipment are JSON text because their shape
-- follows the game content. format_version says which PlayerProgress layout wrote the row.
CREATE TABLE player_progress (
    player_id      BIGINT    PRIMARY KEY REFERENCES players (id) ON DELETE CASCADE,
    format_version INTEGER   NOT NULL,
    level          INTEGER   NOT NULL,
    xp             BIGINT    NOT NULL,
    kills          BIGINT    NOT NULL,
    deaths         BIGINT    NOT NULL,
    playtime_s     BIGINT    NOT NULL,
    gathered       BIGINT    NOT NULL,
    crafted        BIGINT    NOT NULL,
    pos_x          REAL,
    pos_y          REAL,
    health         REAL      NOT NULL,
    hunger         REAL      NOT NULL,
    thirst         REAL      NOT NULL,
    stamina        REAL      NOT NULL,
    inventory      TEXT      NOT NULL,
    equipment      TEXT      NOT NULL,
    team           TEXT,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX player_progress_level_xp_idx ON player_progress (level DESC, xp DESC);
CREATE INDEX player_progress_kills_idx ON player_progress (kills DESC);
