-- A second factor for staff: a TOTP secret, one-time recovery codes, and
-- sign-ins waiting for their code.

-- The secret is sealed with the server's secret key (see package vault),
-- never stored in the clear. pending holds a secret being enrolled, until
-- its first code confirms it; last_step is the TOTP time step last used,
-- so a code cannot be used twice.
CREATE TABLE user_totp (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret     TEXT NOT NULL DEFAULT '',   -- sealed; '' until enabled
    pending    TEXT NOT NULL DEFAULT '',   -- sealed; '' when none
    enabled_at TEXT NOT NULL DEFAULT '',
    last_step  BIGINT NOT NULL DEFAULT 0
);

-- Recovery codes, stored as SHA-256 (they carry 79 random bits).
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, code_hash)
);

-- A sign-in whose password was right, waiting for the second factor. Like
-- sessions, it is stored under the hash of the token its browser holds.
CREATE TABLE signin_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    next       TEXT NOT NULL DEFAULT '',
    failures   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX signin_challenges_user_idx ON signin_challenges (user_id);
