-- Each country's tier in the U.S. Department of State's Trafficking in
-- Persons Report, for the country pages and the world map. The whole table
-- is replaced by `haven countries import FILE`; each change is audited.
CREATE TABLE country_tiers (
    country     TEXT PRIMARY KEY,       -- ISO 3166-1 alpha-2, XK for Kosovo
    tier        TEXT NOT NULL,          -- 1, 2, 2WL, 3 or special
    report_year INTEGER NOT NULL,
    source      TEXT NOT NULL
);
