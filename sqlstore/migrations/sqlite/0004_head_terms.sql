-- The terms of a title or name, space-separated and padded with spaces
-- (" t visa "), so that both engines score relevance the same way: by how
-- many query words the title or name holds. Filled by the search-terms
-- rebuild that runs when Haven's search-terms version changes.
ALTER TABLE resources ADD COLUMN head_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN head_terms TEXT NOT NULL DEFAULT '';
