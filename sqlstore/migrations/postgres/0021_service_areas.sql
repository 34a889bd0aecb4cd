-- Service areas resolved for search (servicearea.go): one row per HSDS
-- service_area of a service, as Haven resolved its free text or GeoJSON
-- (kind country, state, county or polygon; '' with the problem when it
-- could not), and one row of kind 'virtual' per virtual location, which
-- marks the service as reached by phone or online. The HSDS area itself
-- stays as written in service_areas. Rows are written with the service's
-- other search rows; the search version changes with this migration, so
-- that they are filled when the database is next opened.
CREATE TABLE search_areas (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    area_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    country    TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL DEFAULT '',
    county     TEXT NOT NULL DEFAULT '',
    min_lat    DOUBLE PRECISION,
    min_lon    DOUBLE PRECISION,
    max_lat    DOUBLE PRECISION,
    max_lon    DOUBLE PRECISION,
    geometry   TEXT NOT NULL DEFAULT '',
    label      TEXT NOT NULL DEFAULT '',
    problem    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, area_id)
);
CREATE INDEX search_areas_state_idx ON search_areas (state, kind);
CREATE INDEX search_areas_country_idx ON search_areas (country, kind);
CREATE INDEX search_areas_kind_idx ON search_areas (kind);
