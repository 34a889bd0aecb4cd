-- Who a service helps and when it is open, for search (eligibility.go and
-- schedule_open.go at the root), written beside search_places in the
-- transaction that writes the service. The rows are filled when the
-- database is next opened: the search version changes with this migration.

-- A service's age bounds, a row only when it has one.
CREATE TABLE search_ages (
    service_id TEXT PRIMARY KEY REFERENCES services (id) ON DELETE CASCADE,
    min_age    DOUBLE PRECISION,
    max_age    DOUBLE PRECISION
);

-- The codes of Haven's who-is-served taxonomy a service carries, by facet
-- (population, trafficking).
CREATE TABLE search_groups (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    facet      TEXT NOT NULL,
    code       TEXT NOT NULL,
    PRIMARY KEY (service_id, facet, code)
);
CREATE INDEX search_groups_code_idx ON search_groups (facet, code, service_id);

-- Weekly hours: open from opens to closes (minutes after midnight) on day
-- (0 is Sunday) on the clocks of zone. No row: hours unknown.
CREATE TABLE search_hours (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    zone       TEXT NOT NULL,
    day        INTEGER NOT NULL,
    opens      INTEGER NOT NULL,
    closes     INTEGER NOT NULL,
    PRIMARY KEY (service_id, zone, day, opens, closes)
);
CREATE INDEX search_hours_day_idx ON search_hours (day, zone, opens);
