-- Legal holds on saved screening interviews (issue 20). A held record can
-- be neither deleted nor purged by retention until the hold is released.
-- held_at is '' when the record is not held. Placing and releasing a hold
-- are written to the audit trail; these columns say only what holds now.
ALTER TABLE screening_records ADD COLUMN held_at TEXT NOT NULL DEFAULT '';
ALTER TABLE screening_records ADD COLUMN held_by TEXT NOT NULL DEFAULT '';
ALTER TABLE screening_records ADD COLUMN hold_reason TEXT NOT NULL DEFAULT '';
