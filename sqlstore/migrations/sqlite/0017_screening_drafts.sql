-- Screening interviews in progress, for signed-in screeners (issue 20):
-- each step of the interview is its own page, and the answers wait here
-- between steps, sealed with AES-256-GCM by package vault before they reach
-- the database. A draft lasts a day; saving the interview deletes it.

CREATE TABLE screening_drafts (
    id         TEXT PRIMARY KEY,
    author_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sealed     TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX screening_drafts_updated_idx ON screening_drafts (updated_at);
