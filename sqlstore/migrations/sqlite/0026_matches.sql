-- Duplicates across sources (matches.go). A pair curators said is not
-- one service, by ordered ids, so that it is never offered again.
CREATE TABLE match_distinct (
    service_a  TEXT NOT NULL,
    service_b  TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (service_a, service_b)
);

-- A merge: absorbed was folded into survivor. The absorbed service stays
-- (withdrawn = 3, out of public view) so that nothing it held is lost;
-- while a merge stands (undone_at = '') its id leads to the survivor.
-- fields holds what the survivor took ([{field, before, after}]), added
-- the ids of the metadata and organization identifiers it gained,
-- snapshot the absorbed service as it was, withdrawn_before its
-- withdrawn flag then.
CREATE TABLE service_merges (
    id               TEXT PRIMARY KEY,
    survivor_id      TEXT NOT NULL,
    absorbed_id      TEXT NOT NULL,
    fields           TEXT NOT NULL,
    added            TEXT NOT NULL,
    snapshot         TEXT NOT NULL,
    withdrawn_before INTEGER NOT NULL DEFAULT 0,
    merged_by        TEXT NOT NULL,
    merged_at        TEXT NOT NULL,
    undone_by        TEXT NOT NULL DEFAULT '',
    undone_at        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX service_merges_absorbed_idx ON service_merges (absorbed_id, undone_at);
CREATE INDEX service_merges_at_idx ON service_merges (merged_at, id);
