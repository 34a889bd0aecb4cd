package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"haven"
	"haven/listing"
)

// CreateSuggestion queues what a visitor sent. What it names must exist.
func (q *SuggestionService) CreateSuggestion(ctx context.Context, s *haven.Suggestion) error {
	switch {
	case !slices.Contains(haven.SuggestionKinds, s.Kind):
		return haven.Errorf(haven.EINVALID, "Unknown kind of suggestion %q.", s.Kind)
	case strings.TrimSpace(s.Body) == "" && s.NewValue == "":
		return haven.Errorf(haven.EINVALID, "Please say what is wrong or what to add.")
	case utf8.RuneCountInString(s.Body) > 4000 || utf8.RuneCountInString(s.NewValue) > 500 || utf8.RuneCountInString(s.Contact) > 200:
		return haven.Errorf(haven.EINVALID, "That is too long.")
	case s.RecordType != "" && s.RecordType != "service" && s.RecordType != "resource" && s.RecordType != "organization":
		return haven.Errorf(haven.EINVALID, "Unknown record type %q.", s.RecordType)
	}
	tx, err := q.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.RecordType != "" {
		table := map[string]string{"service": "services", "resource": "resources", "organization": "organizations"}[s.RecordType]
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1`, s.RecordID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return haven.Errorf(haven.EINVALID, "The listing this is about does not exist.")
		} else if err != nil {
			return err
		}
	}
	s.ID, s.CreatedAt, s.Status = newID(), tx.now, "pending"
	if _, err := tx.ExecContext(ctx, `INSERT INTO suggestions (id, created_at, record_type, record_id, kind, body, new_value, contact)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, s.ID, formatTime(tx.now), s.RecordType, s.RecordID, s.Kind, s.Body, s.NewValue, s.Contact); err != nil {
		return err
	}
	if err := audit(ctx, tx, "public", "suggest", "suggestion", s.ID, s.Kind, "", s.RecordType+" "+s.RecordID); err != nil {
		return err
	}
	return tx.Commit()
}

// ListSuggestions returns suggestions with the given status, oldest first.
func (q *SuggestionService) ListSuggestions(ctx context.Context, status string) ([]*haven.Suggestion, error) {
	return queryAll(ctx, q.db.read, scanSuggestion, `SELECT `+suggestionColumns+`
		FROM suggestions WHERE status = $1 ORDER BY created_at, id LIMIT 500`, status)
}

const suggestionColumns = `id, created_at, record_type, record_id, kind, body, new_value, contact, status, resolved_by, changes, submitted_by, field`

func scanSuggestion(row interface{ Scan(...any) error }) (*haven.Suggestion, error) {
	s := &haven.Suggestion{}
	var at, changes string
	if err := row.Scan(&s.ID, &at, &s.RecordType, &s.RecordID, &s.Kind, &s.Body, &s.NewValue, &s.Contact, &s.Status, &s.ResolvedBy,
		&changes, &s.SubmittedBy, &s.Field); err != nil {
		return nil, err
	}
	s.CreatedAt = parseTime(at)
	if changes != "" {
		if err := json.Unmarshal([]byte(changes), &s.Changes); err != nil {
			return nil, fmt.Errorf("suggestion %s: changes: %w", s.ID, err)
		}
	}
	return s, nil
}

// ResolveSuggestion accepts or rejects a pending suggestion. Accepting one
// that carries a value Haven can apply — a service's phone, web address or
// closing, an entry's web address — applies it, audited, in the same
// transaction; value, when given, is the curator's corrected version.
func (q *SuggestionService) ResolveSuggestion(ctx context.Context, actor, id string, accept bool, value string) error {
	tx, err := q.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	s, err := scanSuggestion(tx.QueryRowContext(ctx, `SELECT `+suggestionColumns+` FROM suggestions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No such suggestion.")
	} else if err != nil {
		return err
	}
	if s.Status != "pending" {
		return haven.Errorf(haven.ECONFLICT, "This suggestion was already %s.", s.Status)
	}
	if value = strings.TrimSpace(value); value == "" {
		value = s.NewValue
	}
	status := "rejected"
	if accept {
		status = "accepted"
		// The lines the change writes name the suggestion, and its page
		// lists them.
		if err := applySuggestion(withAuditLink(ctx, auditLink{suggestion: id}), tx, actor, s, value); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE suggestions SET status = $2, resolved_by = $3, resolved_at = $4 WHERE id = $1`,
		id, status, actor, formatTime(tx.now)); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, status[:len(status)-2], "suggestion", id, "status", "pending", status); err != nil {
		return err
	}
	return tx.Commit()
}

func applySuggestion(ctx context.Context, tx *Tx, actor string, s *haven.Suggestion, value string) error {
	if s.Kind == "website" && value != "" {
		// A visitor wrote it: only a web address may become a link, which
		// visitors follow and the link checker visits.
		var err error
		if value, err = haven.CheckWebURL("url", value); err != nil {
			return err
		}
	}
	switch {
	case s.Kind == haven.SuggestionProvider:
		// A provider's edit: the changes they sent, as they sent them.
		return applyProviderChanges(ctx, tx, actor, s.RecordType, s.RecordID, s.Changes)
	case s.RecordType == "service" && s.Kind == "upstream" && s.Field != "":
		// A feed's publisher changed a field a curator had changed: the
		// curator takes the publisher's value (or a corrected one).
		return updateService(ctx, tx, actor, s.RecordID, map[string]string{s.Field: value})
	case s.RecordType == "organization" && s.Kind == "upstream" && s.Field != "":
		return updateOrganization(ctx, tx, actor, s.RecordID, map[string]string{s.Field: value})
	case s.RecordType == "location" && s.Kind == "upstream" && s.Field != "":
		// A location's form is applied whole: its other fields as they are.
		l, err := findLocation(ctx, tx, s.RecordID)
		if err != nil {
			return err
		}
		values := listing.LocationText(l)
		values[s.Field] = value
		return updateLocation(ctx, tx, actor, s.RecordID, values)
	case s.RecordType == "service" && s.Kind == "phone" && value != "":
		return updateService(ctx, tx, actor, s.RecordID, map[string]string{"phone": value})
	case s.RecordType == "service" && s.Kind == "website" && value != "":
		return updateService(ctx, tx, actor, s.RecordID, map[string]string{"url": value})
	case s.RecordType == "service" && s.Kind == "closed":
		return updateService(ctx, tx, actor, s.RecordID, map[string]string{"status": "inactive"})
	case s.RecordType == "organization" && s.Kind == "phone" && value != "":
		return updateOrganization(ctx, tx, actor, s.RecordID, map[string]string{"phone": value})
	case s.RecordType == "organization" && s.Kind == "website" && value != "":
		return updateOrganization(ctx, tx, actor, s.RecordID, map[string]string{"website": value})
	case s.RecordType == "resource" && s.Kind == "website" && value != "":
		var before string
		if err := tx.QueryRowContext(ctx, `SELECT url FROM resources WHERE id = $1`, s.RecordID).Scan(&before); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE resources SET url = $2, updated_at = $3 WHERE id = $1`, s.RecordID, value, formatTime(tx.now)); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "update", "resource", s.RecordID, "url", before, value)
	}
	return nil // nothing Haven can apply by itself: the curator edits the listing
}
