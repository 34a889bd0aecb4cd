-- Background jobs (link checks, purges, housekeeping). Several servers may
-- share one database: a server runs a job only after claiming it by moving
-- next_run forward, which exactly one of them can do for each due time.
CREATE TABLE jobs (
    name        TEXT PRIMARY KEY,
    next_run    TEXT NOT NULL,            -- RFC 3339, UTC
    last_run    TEXT NOT NULL DEFAULT '',
    last_runner TEXT NOT NULL DEFAULT '', -- which server ran it last
    last_error  TEXT NOT NULL DEFAULT '',
    runs        INTEGER NOT NULL DEFAULT 0
);
