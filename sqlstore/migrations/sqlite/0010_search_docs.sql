-- Each service's search document, encoded (sqlstore/searchdoc.go), written
-- in the transaction that writes the service or anything it shows (its
-- organization's name, its locations' cities). An in-memory index starts
-- from one read of this table, in key order, instead of joining the search
-- tables per service. WITHOUT ROWID keeps the rows in service_id order, so
-- that the read is sequential. The rows are filled when the database is
-- next opened: the search version changes with this migration.
CREATE TABLE search_docs (
    service_id TEXT PRIMARY KEY REFERENCES services (id) ON DELETE CASCADE,
    doc        BLOB NOT NULL
) WITHOUT ROWID;
