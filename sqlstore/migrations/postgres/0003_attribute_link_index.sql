-- On SQLite this migration moved link_id to the front of the attributes
-- index; the PostgreSQL schema was written with it there. Kept so both
-- engines count the same versions.
SELECT 1;
