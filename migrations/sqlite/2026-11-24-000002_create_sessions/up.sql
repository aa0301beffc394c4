-- Login sessions. Only the SHA-256 of the token is stored (hex): a leaked table cannot be
-- replayed as logins.
CREATE TABLE sessions (
    id         TEXT      PRIMARY KEY,
    player_id  BIGINT    NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    token_hash TEXT      NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ip         TEXT,
    user_agent TEXT,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_player_id_idx ON sessions (player_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
