-- Confidential locations and take-downs (issue 17).
--
-- locations.confidential mirrors the location's x_confidential (kept in its
-- data too): 1 keeps its street address, coordinates and other details
-- from everyone but curators. The store reads this column, not only the
-- copy of the location nested in a service or organization, so that a
-- location marked confidential later is redacted everywhere at once.
ALTER TABLE locations ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0;

-- withdrawn takes a record down from public view entirely (pages, APIs,
-- search, exports) while curators keep it. On services: 1 when the service
-- itself was withdrawn, 2 when it went down with its organization, so that
-- restoring the organization brings back only those.
ALTER TABLE services ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE locations ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
