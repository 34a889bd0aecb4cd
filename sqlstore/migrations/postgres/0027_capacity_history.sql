-- Every change of a service capacity's count (issue 21), kept for good: an
-- organization reads its history, and a funder gets monthly figures per
-- unit from it without any service or person named. Rows are never updated
-- or deleted by Haven, as audit_log's are not; they name the service,
-- capacity and unit by id only, so that a service withdrawn later still
-- counts in the figures.
CREATE TABLE capacity_history (
    id          BIGSERIAL PRIMARY KEY,
    service_id  TEXT NOT NULL,
    capacity_id TEXT NOT NULL,
    unit_id     TEXT NOT NULL,
    before      DOUBLE PRECISION NOT NULL,
    after       DOUBLE PRECISION NOT NULL,
    maximum     DOUBLE PRECISION,
    actor       TEXT NOT NULL,   -- as audit_log.actor: a user's e-mail, or "cli"
    at          TEXT NOT NULL    -- RFC 3339, UTC
);
CREATE INDEX capacity_history_capacity_idx ON capacity_history (capacity_id, id);
CREATE INDEX capacity_history_at_idx ON capacity_history (at);
