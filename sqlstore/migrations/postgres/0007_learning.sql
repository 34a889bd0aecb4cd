-- Learning pages: Markdown in English and Spanish, curator-editable.
CREATE TABLE learning_pages (
    slug       TEXT PRIMARY KEY,
    section    TEXT NOT NULL,
    position   INTEGER NOT NULL,
    title_en   TEXT NOT NULL,
    title_es   TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    summary_es TEXT NOT NULL,
    body_en    TEXT NOT NULL,
    body_es    TEXT NOT NULL,
    reviewed   TEXT NOT NULL,
    cites      TEXT NOT NULL DEFAULT '[]',
    head_terms TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    search     tsvector NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX learning_pages_section_idx ON learning_pages (section, position);
CREATE INDEX learning_pages_search_idx ON learning_pages USING gin (search);
