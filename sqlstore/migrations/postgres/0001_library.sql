-- The resource library: the seed page's documents, organizations, web sites
-- and hotlines, each classified by facet.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE resources (
    id             TEXT PRIMARY KEY,
    section        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    region         TEXT NOT NULL,
    publisher      TEXT NOT NULL DEFAULT '',
    year           INTEGER NOT NULL DEFAULT 0,
    url            TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL,
    description_es TEXT NOT NULL,
    hotline        TEXT NOT NULL DEFAULT '', -- JSON of haven.Hotline, '' for none
    position       INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX resources_section_idx ON resources (section, position);
CREATE INDEX resources_kind_idx ON resources (kind);
CREATE INDEX resources_region_idx ON resources (region);

CREATE TABLE resource_audiences (
    resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    audience    TEXT NOT NULL,
    PRIMARY KEY (resource_id, audience)
);
CREATE INDEX resource_audiences_audience_idx ON resource_audiences (audience);

CREATE TABLE resource_topics (
    resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    PRIMARY KEY (resource_id, topic)
);
CREATE INDEX resource_topics_topic_idx ON resource_topics (topic);

CREATE TABLE resource_languages (
    resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    PRIMARY KEY (resource_id, language)
);

-- Search terms made in Go by package analyze (stemmed in English and Spanish,
-- accent-folded), stored as a tsvector built from the terms themselves
-- (array_to_tsvector), so no PostgreSQL parser splits or drops a term and
-- both engines match exactly alike. Title terms weigh A, the rest B.
ALTER TABLE resources ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX resources_search_idx ON resources USING gin (search);
