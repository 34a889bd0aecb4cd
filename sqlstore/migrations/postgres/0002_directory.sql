-- The provider directory, on Open Referral HSDS 3.0. Every HSDS object has
-- its own table: the id, the references and the fields Haven filters on are
-- columns; the object's other fields are kept as its JSON in `data`, so an
-- import followed by an export gives back exactly what came in. Nested
-- arrays (a service's phones, a location's address…) are rows of the child
-- tables, not part of `data`.

CREATE TABLE organizations (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    data          TEXT NOT NULL,
    sample        INTEGER NOT NULL DEFAULT 0,    -- Haven: 1 for sample data
    last_verified TEXT NOT NULL DEFAULT '',      -- Haven: YYYY-MM-DD, '' never
    updated_at    TEXT NOT NULL
);
CREATE INDEX organizations_name_idx ON organizations (name);

CREATE TABLE organization_identifiers (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    data            TEXT NOT NULL
);
CREATE INDEX organization_identifiers_org_idx ON organization_identifiers (organization_id);

CREATE TABLE programs (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    data            TEXT NOT NULL
);
CREATE INDEX programs_org_idx ON programs (organization_id);

CREATE TABLE services (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    program_id      TEXT REFERENCES programs (id) ON DELETE SET NULL,
    name            TEXT NOT NULL,
    status          TEXT NOT NULL,
    data            TEXT NOT NULL,
    sample          INTEGER NOT NULL DEFAULT 0,
    last_verified   TEXT NOT NULL DEFAULT '',
    last_modified   TEXT NOT NULL DEFAULT '',    -- HSDS last_modified, for modified_after
    updated_at      TEXT NOT NULL
);
CREATE INDEX services_org_idx ON services (organization_id);
CREATE INDEX services_status_idx ON services (status);
CREATE INDEX services_modified_idx ON services (last_modified);
CREATE INDEX services_name_idx ON services (name);

CREATE TABLE locations (
    id              TEXT PRIMARY KEY,
    organization_id TEXT REFERENCES organizations (id) ON DELETE SET NULL,
    name            TEXT NOT NULL DEFAULT '',
    latitude        DOUBLE PRECISION,
    longitude       DOUBLE PRECISION,
    data            TEXT NOT NULL
);
CREATE INDEX locations_org_idx ON locations (organization_id);
CREATE INDEX locations_coords_idx ON locations (latitude, longitude);

CREATE TABLE service_at_locations (
    id          TEXT PRIMARY KEY,
    service_id  TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    location_id TEXT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    data        TEXT NOT NULL
);
CREATE INDEX sal_service_idx ON service_at_locations (service_id);
CREATE INDEX sal_location_idx ON service_at_locations (location_id);

CREATE TABLE addresses (
    id             TEXT PRIMARY KEY,
    location_id    TEXT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    city           TEXT NOT NULL DEFAULT '',
    state_province TEXT NOT NULL DEFAULT '',
    postal_code    TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL DEFAULT '',
    address_type   TEXT NOT NULL DEFAULT '',
    data           TEXT NOT NULL
);
CREATE INDEX addresses_location_idx ON addresses (location_id);
CREATE INDEX addresses_postal_idx ON addresses (postal_code);

CREATE TABLE contacts (
    id                     TEXT PRIMARY KEY,
    organization_id        TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    service_id             TEXT REFERENCES services (id) ON DELETE CASCADE,
    service_at_location_id TEXT REFERENCES service_at_locations (id) ON DELETE CASCADE,
    location_id            TEXT REFERENCES locations (id) ON DELETE CASCADE,
    data                   TEXT NOT NULL
);
CREATE INDEX contacts_org_idx ON contacts (organization_id);
CREATE INDEX contacts_service_idx ON contacts (service_id);
CREATE INDEX contacts_location_idx ON contacts (location_id);
CREATE INDEX contacts_sal_idx ON contacts (service_at_location_id);

CREATE TABLE phones (
    id                     TEXT PRIMARY KEY,
    organization_id        TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    service_id             TEXT REFERENCES services (id) ON DELETE CASCADE,
    location_id            TEXT REFERENCES locations (id) ON DELETE CASCADE,
    contact_id             TEXT REFERENCES contacts (id) ON DELETE CASCADE,
    service_at_location_id TEXT REFERENCES service_at_locations (id) ON DELETE CASCADE,
    data                   TEXT NOT NULL
);
CREATE INDEX phones_org_idx ON phones (organization_id);
CREATE INDEX phones_service_idx ON phones (service_id);
CREATE INDEX phones_location_idx ON phones (location_id);
CREATE INDEX phones_contact_idx ON phones (contact_id);
CREATE INDEX phones_sal_idx ON phones (service_at_location_id);

CREATE TABLE schedules (
    id                     TEXT PRIMARY KEY,
    service_id             TEXT REFERENCES services (id) ON DELETE CASCADE,
    location_id            TEXT REFERENCES locations (id) ON DELETE CASCADE,
    service_at_location_id TEXT REFERENCES service_at_locations (id) ON DELETE CASCADE,
    data                   TEXT NOT NULL
);
CREATE INDEX schedules_service_idx ON schedules (service_id);
CREATE INDEX schedules_location_idx ON schedules (location_id);
CREATE INDEX schedules_sal_idx ON schedules (service_at_location_id);

CREATE TABLE languages (
    id          TEXT PRIMARY KEY,
    service_id  TEXT REFERENCES services (id) ON DELETE CASCADE,
    location_id TEXT REFERENCES locations (id) ON DELETE CASCADE,
    phone_id    TEXT REFERENCES phones (id) ON DELETE CASCADE,
    code        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL
);
CREATE INDEX languages_service_idx ON languages (service_id);
CREATE INDEX languages_location_idx ON languages (location_id);
CREATE INDEX languages_phone_idx ON languages (phone_id);

CREATE TABLE service_areas (
    id         TEXT PRIMARY KEY,
    service_id TEXT REFERENCES services (id) ON DELETE CASCADE,
    data       TEXT NOT NULL
);
CREATE INDEX service_areas_service_idx ON service_areas (service_id);

CREATE TABLE cost_options (
    id         TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    data       TEXT NOT NULL
);
CREATE INDEX cost_options_service_idx ON cost_options (service_id);

CREATE TABLE required_documents (
    id         TEXT PRIMARY KEY,
    service_id TEXT REFERENCES services (id) ON DELETE CASCADE,
    data       TEXT NOT NULL
);
CREATE INDEX required_documents_service_idx ON required_documents (service_id);

CREATE TABLE accessibility (
    id          TEXT PRIMARY KEY,
    location_id TEXT REFERENCES locations (id) ON DELETE CASCADE,
    data        TEXT NOT NULL
);
CREATE INDEX accessibility_location_idx ON accessibility (location_id);

CREATE TABLE funding (
    id              TEXT PRIMARY KEY,
    organization_id TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    service_id      TEXT REFERENCES services (id) ON DELETE CASCADE,
    data            TEXT NOT NULL
);
CREATE INDEX funding_org_idx ON funding (organization_id);
CREATE INDEX funding_service_idx ON funding (service_id);

CREATE TABLE taxonomies (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE taxonomy_terms (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    parent_id   TEXT REFERENCES taxonomy_terms (id) ON DELETE SET NULL,
    taxonomy_id TEXT REFERENCES taxonomies (id) ON DELETE SET NULL,
    data        TEXT NOT NULL
);
CREATE INDEX taxonomy_terms_code_idx ON taxonomy_terms (code);
CREATE INDEX taxonomy_terms_parent_idx ON taxonomy_terms (parent_id);
CREATE INDEX taxonomy_terms_taxonomy_idx ON taxonomy_terms (taxonomy_id);

CREATE TABLE attributes (
    id               TEXT PRIMARY KEY,
    link_id          TEXT NOT NULL,
    link_type        TEXT NOT NULL DEFAULT '',
    link_entity      TEXT NOT NULL,
    taxonomy_term_id TEXT NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    data             TEXT NOT NULL
);
CREATE INDEX attributes_link_idx ON attributes (link_id, link_entity);
CREATE INDEX attributes_term_idx ON attributes (taxonomy_term_id);

CREATE TABLE metadata (
    id            TEXT PRIMARY KEY,
    resource_id   TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    data          TEXT NOT NULL
);
CREATE INDEX metadata_resource_idx ON metadata (resource_id);

-- Country summaries for /directory/countries/{code}: editable by curators.
-- A summary shipped with sample data says so in `sample`.
CREATE TABLE country_summaries (
    country    TEXT PRIMARY KEY,            -- ISO 3166-1 alpha-2
    summary_en TEXT NOT NULL,
    summary_es TEXT NOT NULL,
    hotlines   TEXT NOT NULL DEFAULT '[]',  -- JSON [{name, phone, note}]
    sample     INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

-- Search: one document per service, derived from the tables above in the
-- same transaction as every write. A service has one row per place it is
-- offered (state, country, coordinates), and one per category and language.
CREATE TABLE search_places (
    service_id  TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    location_id TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT '',   -- USPS code in the US, ISO 3166-2 elsewhere
    country     TEXT NOT NULL DEFAULT '',
    latitude    DOUBLE PRECISION,
    longitude   DOUBLE PRECISION,
    PRIMARY KEY (service_id, location_id)
);
CREATE INDEX search_places_state_idx ON search_places (state, service_id);
CREATE INDEX search_places_country_idx ON search_places (country, service_id);
CREATE INDEX search_places_coords_idx ON search_places (latitude, longitude);

CREATE TABLE search_categories (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    PRIMARY KEY (service_id, code)
);
CREATE INDEX search_categories_code_idx ON search_categories (code, service_id);

CREATE TABLE search_languages (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    PRIMARY KEY (service_id, code)
);
CREATE INDEX search_languages_code_idx ON search_languages (code, service_id);

-- Terms from package analyze, as in resources.search: names weigh A, the
-- rest B.
ALTER TABLE services ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX services_search_idx ON services USING gin (search);
