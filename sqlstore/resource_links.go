package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"haven"
)

func localizedOrNil(en, es string) haven.Localized {
	if en == "" && es == "" {
		return nil
	}
	return haven.Localized{"en": en, "es": es}
}

// FillResourceLinks brings what a newer catalog knows about an entry's web
// address — the address, its kind, a note and how to find the item — and
// facts the library lacks (year, publisher) into a database seeded from an
// older catalog. SeedResources runs once in a database's life, so without
// this a library loaded before the catalog had addresses would never get
// them.
//
// A curator's work always wins: only entries whose address is still empty
// and that no one has ever edited (no "update" in the audit trail) are
// filled, and only in fields that are empty. Each filled field is written
// to the audit trail as the system's, so the entry's history tells where
// the value came from. It reports how many entries it changed, and is safe
// to run at every start and on several servers at once.
func (s *ResourceService) FillResourceLinks(ctx context.Context, entries []*haven.Resource) (int, error) {
	tx, err := s.db.BeginTx(ctx, false)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	filled := 0
	for _, e := range entries {
		ok, err := fillResourceLinks(ctx, tx, e)
		if err != nil {
			return 0, fmt.Errorf("fill links of %s: %w", e.ID, err)
		}
		if ok {
			filled++
		}
	}
	if filled == 0 {
		return 0, nil
	}
	return filled, tx.Commit()
}

func fillResourceLinks(ctx context.Context, tx *Tx, e *haven.Resource) (bool, error) {
	if e.URL == "" && e.HowToFind["en"] == "" && e.Note["en"] == "" {
		return false, nil
	}
	var edits int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log
		WHERE record_type = 'resource' AND record_id = $1 AND action = 'update'`, e.ID).Scan(&edits); err != nil {
		return false, err
	} else if edits > 0 {
		return false, nil
	}
	rs, err := queryResources(ctx, tx, `SELECT `+resourceColumns+` FROM resources r WHERE r.id = $1 AND r.url = ''`, e.ID)
	if err != nil || len(rs) == 0 {
		return false, err
	}
	old := rs[0]
	year := func(y int) string {
		if y == 0 {
			return ""
		}
		return strconv.Itoa(y)
	}
	changed := false
	for _, f := range []struct {
		column, field, before, after string
	}{
		{"url_kind", "url_kind", old.URLKind, e.URLKind},
		{"note_en", "note.en", old.Note["en"], e.Note["en"]},
		{"note_es", "note.es", old.Note["es"], e.Note["es"]},
		{"find_en", "how_to_find.en", old.HowToFind["en"], e.HowToFind["en"]},
		{"find_es", "how_to_find.es", old.HowToFind["es"], e.HowToFind["es"]},
		{"publisher", "publisher", old.Publisher, e.Publisher},
		{"year", "year", year(old.Year), year(e.Year)},
		// Last: every UPDATE is guarded by url = ''.
		{"url", "url", old.URL, e.URL},
	} {
		if f.before != "" || f.after == "" {
			continue
		}
		var value any = f.after
		if f.column == "year" {
			value = e.Year
		}
		// The empty-field condition is repeated in the UPDATE so that of
		// two servers filling at once on PostgreSQL, the second changes
		// and audits nothing.
		empty := `''`
		if f.column == "year" {
			empty = `0`
		}
		res, err := tx.ExecContext(ctx, `UPDATE resources SET `+f.column+` = $2 WHERE id = $1 AND url = '' AND `+f.column+` = `+empty,
			e.ID, value)
		if err != nil {
			return false, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return false, err
		} else if n == 0 {
			continue
		}
		changed = true
		if err := audit(ctx, tx, "system", "fill", "resource", e.ID, f.field, "", f.after); err != nil {
			return false, err
		}
	}
	if !changed {
		return false, nil
	}
	// The publisher is among the entry's search terms.
	rs, err = queryResources(ctx, tx, `SELECT `+resourceColumns+` FROM resources r WHERE r.id = $1`, e.ID)
	if err != nil {
		return false, err
	}
	return true, indexResource(ctx, tx, rs[0])
}
