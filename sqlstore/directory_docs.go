package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"haven"
)

// Search documents read back from the search tables, for an in-memory index
// to build itself from and to follow the change log with. They are read from
// what SQL search itself matches and shows — the stored terms, places,
// categories and languages, and the live organization name and city — so
// that the index and SQL answer alike.

// docBatch is how many documents one round of queries reads.
const docBatch = 1000

// EachDirectoryDoc calls fn with the search document of every service, in
// id order, reading in batches within one read transaction.
func (d *DirectoryService) EachDirectoryDoc(ctx context.Context, fn func(*haven.DirectoryDoc) error) error {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	after := ""
	for {
		docs, err := directoryDocs(ctx, tx, &after, `s.id > $1 ORDER BY s.id LIMIT `+strconv.Itoa(docBatch), after)
		if err != nil {
			return err
		}
		for _, doc := range docs {
			if err := fn(doc); err != nil {
				return err
			}
		}
		if len(docs) < docBatch {
			return nil
		}
		after = docs[len(docs)-1].ServiceID
	}
}

// FindDirectoryDocs returns the search documents of the services with the
// given ids, in id order; ids of no service are left out.
func (d *DirectoryService) FindDirectoryDocs(ctx context.Context, ids []string) ([]*haven.DirectoryDoc, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var out []*haven.DirectoryDoc
	const perQuery = 100 // SQLite looks up each numbered parameter by a linear search
	for start := 0; start < len(ids); start += perQuery {
		batch := ids[start:min(start+perQuery, len(ids))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		docs, err := directoryDocs(ctx, tx, nil, `s.id IN (`+placeholders(1, len(args))+`) ORDER BY s.id`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, docs...)
	}
	return out, nil
}

// directoryDocs reads the documents of the services that where selects.
// When they are the first services in id order after the id *after, their
// places, categories and languages are read by that range of ids rather
// than by a list of them.
func directoryDocs(ctx context.Context, tx *Tx, after *string, where string, args ...any) ([]*haven.DirectoryDoc, error) {
	terms, join := `array_to_string(tsvector_to_array(s.search), ' ')`, ``
	if tx.db.engine == SQLite {
		terms = `COALESCE(f.name_terms, '') || ' ' || COALESCE(f.body_terms, '')`
		join = ` LEFT JOIN services_fts f ON f.rowid = s.rowid`
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.name, s.status, s.organization_id, COALESCE(o.name, ''), s.head_terms, `+terms+`
		FROM services s LEFT JOIN organizations o ON o.id = s.organization_id`+join+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	var docs []*haven.DirectoryDoc
	byID := map[string]*haven.DirectoryDoc{}
	for rows.Next() {
		doc := &haven.DirectoryDoc{}
		var head, all string
		if err := rows.Scan(&doc.ServiceID, &doc.Name, &doc.Status, &doc.OrgID, &doc.OrgName, &head, &all); err != nil {
			rows.Close()
			return nil, err
		}
		doc.HeadTerms, doc.Terms = strings.Fields(head), strings.Fields(all)
		docs = append(docs, doc)
		byID[doc.ServiceID] = doc
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(docs) == 0 {
		return docs, err
	}
	var in string
	var ids []any
	if after != nil {
		in, ids = `service_id > $1 AND service_id <= $2`, []any{*after, docs[len(docs)-1].ServiceID}
	} else {
		for _, doc := range docs {
			ids = append(ids, doc.ServiceID)
		}
		in = `service_id IN (` + placeholders(1, len(ids)) + `)`
	}

	// The city is read as placeHits reads it.
	rows, err = tx.QueryContext(ctx, `SELECT p.service_id, p.location_id, p.state, p.country, p.latitude, p.longitude,
		COALESCE((SELECT a.city FROM addresses a WHERE a.location_id = p.location_id ORDER BY a.address_type = 'physical' DESC, a.id LIMIT 1), '')
		FROM search_places p WHERE `+in+` ORDER BY p.service_id, p.location_id`, ids...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sid string
		var p haven.DirectoryPlace
		if err := rows.Scan(&sid, &p.LocationID, &p.State, &p.Country, &p.Lat, &p.Lon, &p.City); err != nil {
			rows.Close()
			return nil, err
		}
		byID[sid].Places = append(byID[sid].Places, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		table string
		field func(*haven.DirectoryDoc) *[]string
	}{
		{"search_categories", func(d *haven.DirectoryDoc) *[]string { return &d.Categories }},
		{"search_languages", func(d *haven.DirectoryDoc) *[]string { return &d.Languages }},
	} {
		rows, err := tx.QueryContext(ctx, `SELECT service_id, code FROM `+t.table+` WHERE `+in+` ORDER BY service_id, code`, ids...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var sid, code string
			if err := rows.Scan(&sid, &code); err != nil {
				rows.Close()
				return nil, err
			}
			f := t.field(byID[sid])
			*f = append(*f, code)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return docs, nil
}
