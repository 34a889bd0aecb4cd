-- Curation: accounts, sessions, the audit trail, public suggestions and
-- link checks.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,          -- lower-cased
    role          TEXT NOT NULL,                 -- admin, curator, screener
    password_hash TEXT NOT NULL,                 -- argon2id, PHC string
    created_at    TEXT NOT NULL,
    disabled_at   TEXT NOT NULL DEFAULT ''
);

-- A session is stored as the SHA-256 of its token: a copy of the database
-- gives nobody a live session.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- The audit trail. Append-only: Haven has no code that updates or deletes
-- it, and these triggers refuse it at the database too.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,   -- user e-mail, or "cli", "system", "public"
    action      TEXT NOT NULL,   -- create, update, retire, verify, import, sign-in…
    record_type TEXT NOT NULL,   -- resource, service, organization, country, user…
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    before      TEXT NOT NULL DEFAULT '',
    after       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_record_idx ON audit_log (record_type, record_id, id);
CREATE INDEX audit_at_idx ON audit_log (id DESC);

CREATE TABLE suggestions (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    record_type TEXT NOT NULL DEFAULT '',   -- resource, service, organization; '' for a new listing
    record_id   TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,              -- phone, address, hours, website, closed, other, new
    body        TEXT NOT NULL,              -- what the visitor wrote
    new_value   TEXT NOT NULL DEFAULT '',   -- the corrected value, when there is one
    contact     TEXT NOT NULL DEFAULT '',   -- only if the visitor offered it
    status      TEXT NOT NULL DEFAULT 'pending', -- pending, accepted, rejected
    resolved_by TEXT NOT NULL DEFAULT '',
    resolved_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX suggestions_status_idx ON suggestions (status, created_at);

CREATE TABLE link_checks (
    url         TEXT PRIMARY KEY,
    status      INTEGER NOT NULL DEFAULT 0,
    final_url   TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    checked_at  TEXT NOT NULL
);

ALTER TABLE resources ADD COLUMN last_verified TEXT NOT NULL DEFAULT '';
ALTER TABLE resources ADD COLUMN retired_at TEXT NOT NULL DEFAULT '';
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- TRUNCATE skips row triggers; refuse it too.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
