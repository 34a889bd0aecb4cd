package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven"
	"haven/screening"
	"haven/vault"
)

// Saved screening interviews. The store never sees their content: callers
// hand it a function that seals the next version, and it keeps the sealed
// text, the hash chain, and an audit line for every save that names the
// version's hash. That line, in the append-only trail, is what lets
// screening.Verify notice versions deleted from the end of a chain.

const auditScreening = "screening"

// SaveScreening stores a new version of record id, or a new record when id
// is "", and writes the audit line (action, by actor) in the same
// transaction. authorID must be the record's author unless it is "" (key
// rotation, run by an operator); a new record needs one.
func (ss *ScreeningRecordService) SaveScreening(ctx context.Context, actor, action, authorID, id string, seal haven.ScreeningSeal) (*haven.ScreeningRecord, error) {
	tx, err := ss.db.BeginTx(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var prev *vault.Version
	rec := &haven.ScreeningRecord{ID: id, AuthorID: authorID, CreatedAt: tx.now}
	if id == "" {
		if authorID == "" {
			return nil, haven.Errorf(haven.EINVALID, "A new screening record needs an author.")
		}
		rec.ID = newID()
	} else {
		lock := ss.db.dialect.forUpdate(false)
		var created string
		err := tx.QueryRowContext(ctx, `SELECT author_id, created_at, head_number FROM screening_records WHERE id = $1`+lock, id).
			Scan(&rec.AuthorID, &created, &rec.Versions)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, haven.Errorf(haven.ENOTFOUND, "No screening record %s.", id)
		} else if err != nil {
			return nil, err
		}
		if authorID != "" && rec.AuthorID != authorID {
			return nil, haven.Errorf(haven.EFORBIDDEN, "Only the interviewer who saved this record may add to it.")
		}
		rec.CreatedAt = parseTime(created)
		v, err := scanVersion(tx.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM screening_versions WHERE record_id = $1 AND number = $2`, id, rec.Versions))
		if err != nil {
			return nil, fmt.Errorf("screening record %s: head version %d: %w", id, rec.Versions, err)
		}
		prev = &v
	}
	v, err := seal(prev, rec.ID)
	if errors.Is(err, haven.ErrScreeningUnchanged) {
		rec.UpdatedAt, rec.HeadHash = rec.CreatedAt, prev.Hash
		return rec, nil
	} else if err != nil {
		return nil, err
	}
	if v.RecordID != rec.ID || (prev == nil && v.Number != 1) || (prev != nil && (v.Number != prev.Number+1 || v.PrevHash != prev.Hash)) {
		return nil, fmt.Errorf("screening record %s: the sealed version does not follow the head", rec.ID)
	}
	now := formatTime(tx.now)
	if prev == nil {
		err = tx.exec(ctx, `INSERT INTO screening_records (id, author_id, created_at, updated_at, head_number, head_hash) VALUES ($1, $2, $3, $3, $4, $5)`,
			rec.ID, rec.AuthorID, now, v.Number, v.Hash)
	} else {
		err = tx.exec(ctx, `UPDATE screening_records SET updated_at = $2, head_number = $3, head_hash = $4 WHERE id = $1`, rec.ID, now, v.Number, v.Hash)
	}
	if err != nil {
		return nil, err
	}
	if err := tx.exec(ctx, `INSERT INTO screening_versions (record_id, number, prev_hash, sealed, meta, hash, saved_at, detached) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		v.RecordID, v.Number, v.PrevHash, v.Sealed, v.Meta, v.Hash, now, v.Detached); err != nil {
		return nil, err
	}
	if prev != nil && screening.ErasesPriorNotes(v) {
		// The organization keeps notes minimal: the note text of earlier
		// versions goes, in the same transaction as the version that says
		// so in its hashed metadata (see screening.SealSplit).
		erased, err := queryStrings(ctx, tx, `SELECT CAST(number AS TEXT) FROM screening_versions WHERE record_id = $1 AND number < $2 AND detached <> '' ORDER BY number`, rec.ID, v.Number)
		if err != nil {
			return nil, err
		}
		if len(erased) > 0 {
			if err := tx.exec(ctx, `UPDATE screening_versions SET detached = '' WHERE record_id = $1 AND number < $2`, rec.ID, v.Number); err != nil {
				return nil, err
			}
			if err := audit(ctx, tx, actor, "erase-notes", auditScreening, rec.ID, "notes", "", "versions "+strings.Join(erased, ",")); err != nil {
				return nil, err
			}
		}
	}
	// The line names the version and its hash, never content.
	if err := audit(ctx, tx, actor, action, auditScreening, rec.ID, "version", "", strconv.Itoa(v.Number)+" "+v.Hash); err != nil {
		return nil, err
	}
	rec.UpdatedAt, rec.Versions, rec.HeadHash = tx.now, v.Number, v.Hash
	return rec, tx.Commit()
}

const versionColumns = `record_id, number, prev_hash, sealed, meta, hash, detached`

func scanVersion(row interface{ Scan(...any) error }) (vault.Version, error) {
	var v vault.Version
	err := row.Scan(&v.RecordID, &v.Number, &v.PrevHash, &v.Sealed, &v.Meta, &v.Hash, &v.Detached)
	return v, err
}

const recordColumns = `r.id, r.author_id, COALESCE(u.email, ''), r.created_at, r.updated_at, r.head_number, r.head_hash, r.held_at, r.held_by, r.hold_reason`

func scanRecord(row interface{ Scan(...any) error }) (*haven.ScreeningRecord, error) {
	r := &haven.ScreeningRecord{}
	var created, updated, held string
	if err := row.Scan(&r.ID, &r.AuthorID, &r.AuthorEmail, &created, &updated, &r.Versions, &r.HeadHash, &held, &r.HeldBy, &r.HoldReason); err != nil {
		return nil, err
	}
	r.CreatedAt, r.UpdatedAt = parseTime(created), parseTime(updated)
	if held != "" {
		r.HeldAt = parseTime(held)
	}
	return r, nil
}

// ListScreenings returns the records of authorID, or of everyone when
// authorID is "", latest first, at most limit of them.
func (ss *ScreeningRecordService) ListScreenings(ctx context.Context, authorID string, limit int) ([]*haven.ScreeningRecord, error) {
	q := `SELECT ` + recordColumns + ` FROM screening_records r LEFT JOIN users u ON u.id = r.author_id`
	args := []any{limit}
	if authorID != "" {
		q += ` WHERE r.author_id = $2`
		args = append(args, authorID)
	}
	rows, err := ss.db.read.QueryContext(ctx, q+` ORDER BY r.updated_at DESC, r.id LIMIT $1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*haven.ScreeningRecord
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindScreening returns a record and its versions, oldest first. It reads
// from the writer, so a record just saved is found at once.
func (ss *ScreeningRecordService) FindScreening(ctx context.Context, id string) (*haven.ScreeningRecord, []vault.Version, error) {
	r, err := scanRecord(ss.db.write.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM screening_records r LEFT JOIN users u ON u.id = r.author_id WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, haven.Errorf(haven.ENOTFOUND, "No screening record %s.", id)
	} else if err != nil {
		return nil, nil, err
	}
	rows, err := ss.db.write.QueryContext(ctx, `SELECT `+versionColumns+` FROM screening_versions WHERE record_id = $1 ORDER BY number`, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var vs []vault.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, nil, err
		}
		vs = append(vs, v)
	}
	return r, vs, rows.Err()
}

// ScreeningSavedAt returns when each version of record id was saved.
func (ss *ScreeningRecordService) ScreeningSavedAt(ctx context.Context, id string) (map[int]time.Time, error) {
	rows, err := ss.db.write.QueryContext(ctx, `SELECT number, saved_at FROM screening_versions WHERE record_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]time.Time{}
	for rows.Next() {
		var n int
		var at string
		if err := rows.Scan(&n, &at); err != nil {
			return nil, err
		}
		out[n] = parseTime(at)
	}
	return out, rows.Err()
}

// LogScreeningAccess writes an audit line for reading a record: action is
// "view" or "export", field says how ("page", "print", "json", "amend").
func (ss *ScreeningRecordService) LogScreeningAccess(ctx context.Context, actor, action, id, field string) error {
	tx, err := ss.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := audit(ctx, tx, actor, action, auditScreening, id, field, "", ""); err != nil {
		return err
	}
	return tx.Commit()
}

// ScreeningChains returns every record with its versions, keyed by record
// ID, including versions whose record row is gone, for screening.Verify.
func (ss *ScreeningRecordService) ScreeningChains(ctx context.Context) (map[string]*screening.Chain, error) {
	out := map[string]*screening.Chain{}
	rows, err := ss.db.write.QueryContext(ctx, `SELECT `+recordColumns+` FROM screening_records r LEFT JOIN users u ON u.id = r.author_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out[r.ID] = &screening.Chain{Record: r}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	vrows, err := ss.db.write.QueryContext(ctx, `SELECT `+versionColumns+` FROM screening_versions ORDER BY record_id, number`)
	if err != nil {
		return nil, err
	}
	defer vrows.Close()
	for vrows.Next() {
		v, err := scanVersion(vrows)
		if err != nil {
			return nil, err
		}
		c := out[v.RecordID]
		if c == nil {
			c = &screening.Chain{}
			out[v.RecordID] = c
		}
		c.Versions = append(c.Versions, v)
	}
	return out, vrows.Err()
}

// ScreeningTrails reads what the audit trail says of every record: each
// version saved, with its hash, and purges.
func (ss *ScreeningRecordService) ScreeningTrails(ctx context.Context) (map[string]screening.Trail, error) {
	rows, err := ss.db.write.QueryContext(ctx, `SELECT record_id, action, field, after FROM audit_log WHERE record_type = $1 ORDER BY id`, auditScreening)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]screening.Trail{}
	for rows.Next() {
		var id, action, field, after string
		if err := rows.Scan(&id, &action, &field, &after); err != nil {
			return nil, err
		}
		t := out[id]
		if t.Saved == nil {
			t.Saved = map[int]string{}
		}
		switch {
		case action == "purge" || action == "delete":
			t.Purged = true
		case field == "version":
			num, hash, _ := strings.Cut(after, " ")
			if n, err := strconv.Atoi(num); err == nil {
				t.Saved[n] = hash
			}
		}
		out[id] = t
	}
	return out, rows.Err()
}

// PurgeScreenings deletes every record not under a legal hold whose latest
// version was saved before cutoff, with all its versions, and writes one audit line per
// record that names it and nothing of its content. It returns the IDs
// deleted (or, with dryRun, that would be). Deletion runs in batches, each
// in its own transaction, so a long purge does not hold the writer.
func (ss *ScreeningRecordService) PurgeScreenings(ctx context.Context, actor string, cutoff time.Time, dryRun bool) ([]string, error) {
	if dryRun {
		return ss.db.expiredScreenings(ctx, ss.db.read, cutoff, -1)
	}
	var purged []string
	for {
		tx, err := ss.db.BeginTx(ctx, false)
		if err != nil {
			return purged, err
		}
		ids, err := ss.db.expiredScreenings(ctx, tx, cutoff, 500)
		for _, id := range ids {
			if err != nil {
				break
			}
			if err = tx.exec(ctx, `DELETE FROM screening_versions WHERE record_id = $1`, id); err == nil {
				if err = tx.exec(ctx, `DELETE FROM screening_records WHERE id = $1`, id); err == nil {
					err = audit(ctx, tx, actor, "purge", auditScreening, id, "", "", "")
				}
			}
		}
		if err == nil && len(ids) > 0 {
			err = tx.Commit()
		}
		tx.Rollback()
		if err != nil || len(ids) == 0 {
			return purged, err
		}
		purged = append(purged, ids...)
	}
}

// expiredScreenings lists the records not held and last saved before cutoff, oldest
// first, at most limit of them (all for a negative limit).
func (db *DB) expiredScreenings(ctx context.Context, q querier, cutoff time.Time, limit int) ([]string, error) {
	query, args := `SELECT id FROM screening_records WHERE updated_at < $1 AND held_at = '' ORDER BY updated_at, id`, []any{formatTime(cutoff)}
	if limit >= 0 {
		query, args = query+` LIMIT $2`, append(args, limit)
	}
	return queryStrings(ctx, q, query, args...)
}

// ScreeningAccessLog returns who opened or exported record id, and how,
// newest first.
func (ss *ScreeningRecordService) ScreeningAccessLog(ctx context.Context, id string) ([]*haven.AuditEntry, error) {
	rows, err := ss.db.write.QueryContext(ctx, `SELECT id, at, actor, action, field FROM audit_log
		WHERE record_type = $1 AND record_id = $2 AND action IN ('view', 'export') ORDER BY id DESC LIMIT 1000`, auditScreening, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*haven.AuditEntry
	for rows.Next() {
		e := &haven.AuditEntry{RecordType: auditScreening, RecordID: id}
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Field); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// checkReason refuses a missing or overlong reason for a hold or deletion.
func checkReason(what, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", haven.Errorf(haven.EINVALID, "Give a reason for the %s.", what)
	case len(reason) > haven.MaxScreeningReason || !utf8.ValidString(reason):
		return "", haven.Errorf(haven.EINVALID, "The reason for the %s is longer than %d bytes or not UTF-8.", what, haven.MaxScreeningReason)
	}
	return reason, nil
}

// lockScreening reads record id's hold inside tx, locking the row.
func (ss *ScreeningRecordService) lockScreening(ctx context.Context, tx *Tx, id string) (held string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT held_at FROM screening_records WHERE id = $1`+ss.db.dialect.forUpdate(false), id).Scan(&held)
	if errors.Is(err, sql.ErrNoRows) {
		return "", haven.Errorf(haven.ENOTFOUND, "No screening record %s.", id)
	}
	return held, err
}

// HoldScreening places or releases a legal hold on record id.
func (ss *ScreeningRecordService) HoldScreening(ctx context.Context, actor, id string, hold bool, reason string) error {
	what := "legal hold"
	if !hold {
		what = "release of the legal hold"
	}
	reason, err := checkReason(what, reason)
	if err != nil {
		return err
	}
	tx, err := ss.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	held, err := ss.lockScreening(ctx, tx, id)
	if err != nil {
		return err
	}
	action := "hold"
	switch {
	case hold && held != "":
		return haven.Errorf(haven.ECONFLICT, "Screening record %s is already under a legal hold.", id)
	case !hold && held == "":
		return haven.Errorf(haven.ECONFLICT, "Screening record %s is not under a legal hold.", id)
	case hold:
		err = tx.exec(ctx, `UPDATE screening_records SET held_at = $2, held_by = $3, hold_reason = $4 WHERE id = $1`, id, formatTime(tx.now), actor, reason)
	default:
		action = "release"
		err = tx.exec(ctx, `UPDATE screening_records SET held_at = '', held_by = '', hold_reason = '' WHERE id = $1`, id)
	}
	if err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, action, auditScreening, id, "legal_hold", "", reason); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteScreening deletes record id, unless it is held, with the reason
// in the audit trail.
func (ss *ScreeningRecordService) DeleteScreening(ctx context.Context, actor, id, reason string) error {
	reason, err := checkReason("deletion", reason)
	if err != nil {
		return err
	}
	tx, err := ss.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	held, err := ss.lockScreening(ctx, tx, id)
	if err != nil {
		return err
	}
	if held != "" {
		return haven.Errorf(haven.ECONFLICT, "Screening record %s is under a legal hold: release the hold before deleting it.", id)
	}
	if err := tx.exec(ctx, `DELETE FROM screening_versions WHERE record_id = $1`, id); err != nil {
		return err
	}
	if err := tx.exec(ctx, `DELETE FROM screening_records WHERE id = $1`, id); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "delete", auditScreening, id, "reason", "", reason); err != nil {
		return err
	}
	return tx.Commit()
}
