-- Saved screening interviews. The content of every version is sealed with
-- AES-256-GCM by package vault before it reaches the database: these tables
-- hold ciphertext, hashes and non-identifying metadata only.

CREATE TABLE screening_records (
    id          TEXT PRIMARY KEY,
    author_id   TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,   -- when the latest version was saved; retention counts from here
    head_number INTEGER NOT NULL,
    head_hash   TEXT NOT NULL
);
CREATE INDEX screening_records_author_idx ON screening_records (author_id, updated_at);
CREATE INDEX screening_records_updated_idx ON screening_records (updated_at);

-- One row a version, chained by hash (vault.Version). Nothing updates a
-- version once written; a change is a new version.
CREATE TABLE screening_versions (
    record_id TEXT NOT NULL REFERENCES screening_records (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    sealed    TEXT NOT NULL,
    meta      TEXT NOT NULL,
    hash      TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    PRIMARY KEY (record_id, number)
);
