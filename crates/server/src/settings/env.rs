//! The seed's environment variables and the setting each one overrides.

/// `(variable, dotted settings key)` for every variable of the seed's `.env`, in the
/// seed's order. Values arrive as strings and are converted by the settings' types, so
/// `GAME_TICK_RATE=abc` fails with the key named.
pub const ENV_KEYS: &[(&str, &str)] = &[
    ("SERVER_HOST", "server.host"),
    ("SERVER_PORT", "server.port"),
    ("SERVER_WS_PORT", "server.ws_port"),
    ("SERVER_ENV", "server.environment"),
    ("DB_HOST", "database.host"),
    ("DB_PORT", "database.port"),
    ("DB_NAME", "database.name"),
    ("DB_USER", "database.user"),
    ("DB_PASSWORD", "database.password"),
    ("DB_SSL", "database.ssl"),
    ("DB_POOL_SIZE", "database.pool_size"),
    ("DATABASE_URL", "database.url"),
    ("GAME_TICK_RATE", "game.tick_rate"),
    ("GAME_MAX_PLAYERS", "game.max_players"),
    ("GAME_WORLD_SIZE", "game.world_size"),
    ("GAME_RESOURCE_RESPAWN_MIN", "game.resource_respawn_min_s"),
    ("GAME_RESOURCE_RESPAWN_MAX", "game.resource_respawn_max_s"),
    ("JWT_SECRET", "security.jwt_secret"),
    ("JWT_EXPIRES_IN", "security.jwt_expires_in"),
    ("RATE_LIMIT_WINDOW", "security.rate_limit_window"),
    ("RATE_LIMIT_MAX", "security.rate_limit_max"),
    ("SESSION_TIMEOUT", "security.session_timeout"),
    ("LOG_LEVEL", "logging.level"),
    ("LOG_FORMAT", "logging.format"),
    ("LOG_FILE", "logging.file"),
    ("LOG_MAX_SIZE", "logging.max_size"),
    ("LOG_MAX_FILES", "logging.max_files"),
    ("SIMULATION_WORKERS", "performance.simulation_workers"),
    ("NETWORK_WORKERS", "performance.network_workers"),
    ("COMPRESSION_LEVEL", "performance.compression_level"),
    ("METRICS_ADDR", "metrics.address"),
];

/// Variable naming the configuration directory when `--config-dir` is not given.
pub const CONFIG_DIR_VAR: &str = "KINDLING_CONFIG_DIR";
