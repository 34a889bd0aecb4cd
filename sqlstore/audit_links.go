package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"haven"
	"haven/hsds"
	"haven/listing"
)

// auditLink is what the audit lines a change writes point back to: the
// suggestion accepted, or the line undone. It rides in the context, so the
// functions that change listings need not know why they are called.
type auditLink struct {
	suggestion string
	undoes     int64
}

type auditLinkKey struct{}

func withAuditLink(ctx context.Context, l auditLink) context.Context {
	return context.WithValue(ctx, auditLinkKey{}, l)
}

func auditLinkOf(ctx context.Context) auditLink {
	l, _ := ctx.Value(auditLinkKey{}).(auditLink)
	return l
}

const auditColumns = `id, at, actor, action, record_type, record_id, field, before, after, suggestion_id, undoes`

func scanAudit(row interface{ Scan(...any) error }) (haven.AuditEntry, error) {
	var e haven.AuditEntry
	var at string
	err := row.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.RecordType, &e.RecordID, &e.Field, &e.Before, &e.After, &e.SuggestionID, &e.Undoes)
	e.At = parseTime(at)
	return e, err
}

// FindSuggestion returns one suggestion, whatever its status; ENOTFOUND
// for an unknown id.
func (q *SuggestionService) FindSuggestion(ctx context.Context, id string) (*haven.Suggestion, error) {
	s := &haven.Suggestion{}
	var at string
	err := q.db.read.QueryRowContext(ctx, `SELECT id, created_at, record_type, record_id, kind, body, new_value, contact, status, resolved_by, field
		FROM suggestions WHERE id = $1`, id).Scan(&s.ID, &at, &s.RecordType, &s.RecordID, &s.Kind, &s.Body, &s.NewValue, &s.Contact, &s.Status, &s.ResolvedBy, &s.Field)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, haven.Errorf(haven.ENOTFOUND, "No such suggestion.")
	}
	s.CreatedAt = parseTime(at)
	return s, err
}

// UndoChange sets the field one audit line changed back to its value
// before, audited as an undo of that line, in one transaction. It refuses
// when the field has changed again since: undoing then would throw away a
// later edit.
func (d *DirectoryService) UndoChange(ctx context.Context, actor string, entryID int64) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	e, err := scanAudit(tx.QueryRowContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE id = $1`, entryID))
	if errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No such change in the history.")
	} else if err != nil {
		return err
	}
	if e.Action != "update" && e.Action != "undo" || e.Field == "" {
		return haven.Errorf(haven.EINVALID, "Only the change of one field of a listing can be undone.")
	}
	now, err := currentField(ctx, tx, e.RecordType, e.RecordID, e.Field)
	if err != nil {
		return err
	}
	if now != e.After {
		return haven.Errorf(haven.ECONFLICT, "The field %s has changed again since (it is now %q): nothing was undone; edit it by hand.", e.Field, now)
	}
	ctx = withAuditLink(ctx, auditLink{undoes: e.ID})
	change := map[string]string{e.Field: e.Before}
	switch e.RecordType {
	case "service":
		err = updateService(ctx, tx, actor, e.RecordID, change)
	case "organization":
		err = updateOrganization(ctx, tx, actor, e.RecordID, change)
	case "location":
		var loc *hsds.Location
		if loc, err = findLocation(ctx, tx, e.RecordID); err == nil {
			values := listing.LocationText(loc)
			values[e.Field] = e.Before
			err = updateLocation(ctx, tx, actor, e.RecordID, values)
		}
	case "resource":
		if _, err = tx.ExecContext(ctx, `UPDATE resources SET url = $2, updated_at = $3 WHERE id = $1`, e.RecordID, e.Before, formatTime(tx.now)); err == nil {
			err = audit(ctx, tx, actor, "update", "resource", e.RecordID, "url", e.After, e.Before)
		}
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}

// currentField returns a listing's field as its audit lines write it.
func currentField(ctx context.Context, tx *Tx, recordType, id, field string) (string, error) {
	notFound := haven.Errorf(haven.ENOTFOUND, "The %s this change was made to no longer exists.", recordType)
	switch recordType {
	case "service":
		svcs, err := loadServices(ctx, tx, []string{id})
		if err != nil {
			return "", err
		} else if len(svcs) == 0 {
			return "", notFound
		}
		if v, ok := listing.ServiceField(svcs[0], field); ok {
			return v, nil
		}
	case "organization":
		var o *hsds.Organization
		if err := loadDocs(ctx, tx, "organizations", set{id: true}, func(string) any { o = &hsds.Organization{}; return o }); err != nil {
			return "", err
		} else if o == nil {
			return "", notFound
		}
		if field == "phone" {
			return listing.OrganizationPhone(o), nil
		}
		if p := listing.OrganizationField(o, field); p != nil {
			return *p, nil
		}
	case "location":
		l, err := findLocation(ctx, tx, id)
		if haven.ErrorCode(err) == haven.EINVALID {
			return "", notFound
		} else if err != nil {
			return "", err
		}
		if slices.Contains(listing.LocationFields, field) {
			return listing.LocationText(l)[field], nil
		}
	case "resource":
		if field == "url" {
			var url string
			err := tx.QueryRowContext(ctx, `SELECT url FROM resources WHERE id = $1`, id).Scan(&url)
			if errors.Is(err, sql.ErrNoRows) {
				return "", notFound
			}
			return url, err
		}
	}
	return "", haven.Errorf(haven.EINVALID, "%s", fmt.Sprintf("A change of the %s of a %s cannot be undone here; edit it by hand.", strings.ReplaceAll(field, "_", " "), recordType))
}
