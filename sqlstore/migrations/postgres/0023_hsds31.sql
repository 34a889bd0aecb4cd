-- HSDS 3.1 (issue 21). Its new objects get tables like every other HSDS
-- object; a service area may now belong to a service_at_location too.

-- What capacities count ("Bed", "Hours"), shared by the services that count
-- it, as taxonomy terms are.
CREATE TABLE units (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    data TEXT NOT NULL
);

-- A service's capacities. Unlike a service's other nested objects they are
-- not part of its stored document but only rows here, joined back on
-- reading, so that a new count is a change of one row. position keeps the
-- order the service gave them in; data is the capacity less its unit, with
-- updated exactly as the source wrote it; updated_utc is the same instant
-- in UTC (RFC 3339), for comparing.
CREATE TABLE service_capacities (
    id          TEXT PRIMARY KEY,
    service_id  TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    unit_id     TEXT NOT NULL REFERENCES units (id),
    available   DOUBLE PRECISION NOT NULL,
    maximum     DOUBLE PRECISION,
    updated_utc TEXT NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX service_capacities_service_idx ON service_capacities (service_id, position);
CREATE INDEX service_capacities_unit_idx ON service_capacities (unit_id);

-- Labelled web addresses: service.additional_urls and
-- organization.additional_websites. They stay in their owner's document as
-- well, as phones do.
CREATE TABLE urls (
    id              TEXT PRIMARY KEY,
    organization_id TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    service_id      TEXT REFERENCES services (id) ON DELETE CASCADE,
    data            TEXT NOT NULL
);
CREATE INDEX urls_org_idx ON urls (organization_id);
CREATE INDEX urls_service_idx ON urls (service_id);

-- service_at_location.service_areas: the areas served from one location.
ALTER TABLE service_areas ADD COLUMN service_at_location_id TEXT REFERENCES service_at_locations (id) ON DELETE CASCADE;
CREATE INDEX service_areas_sal_idx ON service_areas (service_at_location_id);
