-- Which services' search documents changed, in commit order, so that an
-- in-memory search index in any process on this database can follow them.
-- Every transaction that rewrites search documents adds its rows just
-- before it commits; an empty service_id means "any service may have
-- changed" (a large import), and readers then rebuild. AUTOINCREMENT, so
-- that ids are never reused once old rows are pruned.
CREATE TABLE directory_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    changed_at TEXT NOT NULL            -- RFC 3339, UTC; old rows are pruned
);
CREATE INDEX directory_changes_at_idx ON directory_changes (changed_at);
