-- Accounts. Usernames are unique without regard to case, so "Alice" and "alice" cannot
-- both exist; the format (^[A-Za-z0-9_]{3,32}$) is checked in code before insert.
CREATE TABLE players (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT      NOT NULL,
    email         TEXT,
    -- argon2id PHC string; NULL for guest accounts, which cannot log in by password.
    password_hash TEXT,
    is_guest      BOOLEAN   NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    -- Banned while banned_until is in the future (UTC).
    banned_until  TIMESTAMP,
    ban_reason    TEXT,
    CONSTRAINT players_username_length CHECK (char_length(username) BETWEEN 3 AND 32)
);
CREATE UNIQUE INDEX players_username_key ON players (lower(username));
