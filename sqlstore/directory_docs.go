package sqlstore

import (
	"context"
	"database/sql"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"haven"
)

// Search documents, for an in-memory index to build itself from and to
// follow the change log with. They are read from search_docs, where each
// service's document is stored encoded beside the rows SQL search reads
// (searchdoc.go). directoryDocs reads the same documents the long way,
// from what SQL search itself matches and shows — the stored terms,
// places, categories and languages, and the live organization name and
// city — which is how stored documents are refreshed when an
// organization or location changes, and what tests hold them to.

// docBatch is how many documents one round of queries reads.
var docBatch = 1000

// docRanges splits the ids for EachDirectoryDoc: each range is the ids
// above one bound and up to the next, read by one of docReaders readers.
// Ids are UUIDs, so that their first digit spreads them evenly; any other
// id still falls in exactly one range.
var docRanges = []string{"", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"}

// docReaders is how many ranges are read at once, each on a connection
// of its own: reading and decoding rows is most of building an index.
var docReaders = max(2, runtime.GOMAXPROCS(0))

// EachDirectoryDoc calls fn with the search document of every service, in
// no particular order. It reads ranges of ids at once, each in batches
// within one read transaction of its own: a service written meanwhile may
// be read as it was before the write or after it, as with one transaction
// a service written after the read is.
func (d *DirectoryService) EachDirectoryDoc(ctx context.Context, fn func(*haven.DirectoryDoc) error) error {
	// A directory of one batch is read as one: sixteen transactions would
	// only slow a small server's start.
	bounds, readers := docRanges, docReaders
	var n int
	if err := d.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM search_docs LIMIT `+strconv.Itoa(docBatch+1)+`) AS x`).Scan(&n); err != nil {
		return err
	}
	if n <= docBatch {
		bounds, readers = docRanges[:1], 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ranges := make(chan int, len(bounds))
	for i := range bounds {
		ranges <- i
	}
	close(ranges)
	batches := make(chan []*haven.DirectoryDoc, 2*readers)
	errs := make(chan error, readers)
	var wg sync.WaitGroup
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ranges {
				upTo := ""
				if i+1 < len(bounds) {
					upTo = bounds[i+1]
				}
				if err := d.eachDocBatch(ctx, bounds[i], upTo, batches); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(batches) }()
	var err error
	for batch := range batches {
		for _, doc := range batch {
			if err == nil {
				err = fn(doc)
			}
		}
		if err != nil {
			cancel() // and drain, so that the readers end
		}
	}
	select {
	case rerr := <-errs:
		if err == nil {
			err = rerr
		}
	default:
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// eachDocBatch sends the documents of the services with ids above after
// and up to upTo ("": no bound), in batches.
func (d *DirectoryService) eachDocBatch(ctx context.Context, after, upTo string, out chan<- []*haven.DirectoryDoc) error {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	dec := newDocDecoder()
	for {
		where, args := `service_id > $1 ORDER BY service_id LIMIT `+strconv.Itoa(docBatch), []any{after}
		if upTo != "" {
			where, args = `service_id > $1 AND service_id <= $2 ORDER BY service_id LIMIT `+strconv.Itoa(docBatch), []any{after, upTo}
		}
		docs, err := storedDocs(ctx, tx, dec, where, args...)
		if err != nil {
			return err
		}
		if len(docs) > 0 {
			select {
			case out <- docs:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if len(docs) < docBatch {
			return nil
		}
		after = docs[len(docs)-1].ServiceID
	}
}

// storedDocs decodes the stored documents where selects.
func storedDocs(ctx context.Context, tx *Tx, dec *docDecoder, where string, args ...any) ([]*haven.DirectoryDoc, error) {
	rows, err := tx.QueryContext(ctx, `SELECT service_id, doc FROM search_docs WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []*haven.DirectoryDoc
	for rows.Next() {
		var id string
		var b sql.RawBytes // the driver's buffer, valid until Next: decode copies what it keeps
		if err := rows.Scan(&id, &b); err != nil {
			return nil, err
		}
		doc, err := dec.decode(id, b)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, rows.Err()
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
	dec := newDocDecoder()
	err = eachIDBatch(ids, func(in string, args []any) error {
		docs, err := storedDocs(ctx, tx, dec, `service_id IN (`+in+`) ORDER BY service_id`, args...)
		out = append(out, docs...)
		return err
	})
	return out, err
}

// idsPerQuery is how many ids one statement lists, in an IN list or in the
// rows of an INSERT: SQLite looks up each numbered parameter by a linear
// search, so binding n of them costs O(n²), and 100 keeps binding small
// while a page of results (20) takes one statement and a batch of an
// export (1,000) ten.
const idsPerQuery = 100

// eachIDBatch calls fn with ids in batches of at most idsPerQuery, each as
// the placeholders of an IN list and their arguments.
func eachIDBatch(ids []string, fn func(in string, args []any) error) error {
	for start := 0; start < len(ids); start += idsPerQuery {
		batch := ids[start:min(start+idsPerQuery, len(ids))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		if err := fn(placeholders(1, len(args)), args); err != nil {
			return err
		}
	}
	return nil
}

// directoryDocs reads the documents of the services that where selects
// from the rows SQL search reads.
func directoryDocs(ctx context.Context, tx *Tx, where string, args ...any) ([]*haven.DirectoryDoc, error) {
	terms, join := `array_to_string(tsvector_to_array(s.search), ' ')`, ``
	if tx.db.dialect.fts {
		terms = `COALESCE(f.name_terms, '') || ' ' || COALESCE(f.body_terms, '')`
		join = ` LEFT JOIN services_fts f ON f.rowid = s.rowid`
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.name, s.status, s.organization_id, COALESCE(o.name, ''), s.head_terms, `+terms+`
		FROM services s LEFT JOIN organizations o ON o.id = s.organization_id`+join+` WHERE s.withdrawn = 0 AND `+where, args...)
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
	ids := make([]any, len(docs))
	for i, doc := range docs {
		ids[i] = doc.ServiceID
	}
	in := `service_id IN (` + placeholders(1, len(ids)) + `)`

	rows, err = tx.QueryContext(ctx, `SELECT p.service_id, p.location_id, p.state, p.country, p.latitude, p.longitude, `+mainCitySQL+`
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
	if err := readWho(ctx, tx, placeholders(1, len(ids)), ids, byID); err != nil {
		return nil, err
	}
	if err := readRoom(ctx, tx, placeholders(1, len(ids)), ids, byID); err != nil {
		return nil, err
	}
	return docs, readAreas(ctx, tx, in, ids, byID)
}
