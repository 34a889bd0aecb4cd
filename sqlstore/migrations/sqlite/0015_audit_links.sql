-- An audit line can say which suggestion its change came from, and which
-- earlier line it undid, so the history links both ways (issue 23).
ALTER TABLE audit_log ADD COLUMN suggestion_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN undoes INTEGER NOT NULL DEFAULT 0;
