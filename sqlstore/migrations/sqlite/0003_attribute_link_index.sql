-- Attributes are found by the object they describe (link_id) far more often
-- than by its kind: every import rewrites a service's attributes by link_id,
-- and without this index each rewrite scanned the whole table.
DROP INDEX attributes_link_idx;
CREATE INDEX attributes_link_idx ON attributes (link_id, link_entity);
