-- Feeds: publishers Haven keeps its directory current from (an HSDS API,
-- an Open Referral UK API, a data package on the web), and where each
-- service came from.

CREATE TABLE feeds (
    name            TEXT PRIMARY KEY,
    url             TEXT NOT NULL,
    kind            TEXT NOT NULL,                -- hsds, uk, package
    every_seconds   BIGINT NOT NULL,
    default_country TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    last_sync_at    TEXT NOT NULL DEFAULT '',     -- the last attempt, RFC 3339 UTC
    last_ok_at      TEXT NOT NULL DEFAULT '',     -- the last complete sync
    last_error      TEXT NOT NULL DEFAULT '',     -- why the last attempt failed; '' when it did not
    added           INTEGER NOT NULL DEFAULT 0,   -- counts of the last complete sync
    updated         INTEGER NOT NULL DEFAULT 0,
    unchanged       INTEGER NOT NULL DEFAULT 0,
    withdrawn       INTEGER NOT NULL DEFAULT 0,
    queued          INTEGER NOT NULL DEFAULT 0,
    etag            TEXT NOT NULL DEFAULT '',     -- validators for a conditional request
    modified        TEXT NOT NULL DEFAULT ''
);

-- Where a service came from: a feed or an imported file, the publisher's
-- own id, and when it was fetched. upstream is the publisher's record as
-- last taken, so that a sync can tell the publisher's changes from a
-- curator's. A service withdrawn by its feed keeps its row, with
-- withdrawn_at set.
CREATE TABLE service_sources (
    service_id        TEXT PRIMARY KEY REFERENCES services (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,              -- feed, file
    source            TEXT NOT NULL,              -- the feed's name, or the file's
    url               TEXT NOT NULL DEFAULT '',
    publisher_id      TEXT NOT NULL,
    fetched_at        TEXT NOT NULL,
    upstream          TEXT NOT NULL DEFAULT '',
    upstream_modified TEXT NOT NULL DEFAULT '',
    withdrawn_at      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX service_sources_source_idx ON service_sources (kind, source);

-- A suggestion a feed sync makes names the field the publisher changed.
ALTER TABLE suggestions ADD COLUMN field TEXT NOT NULL DEFAULT '';
