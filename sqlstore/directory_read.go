package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"haven"
	"haven/hsds"
)

// v1Options make the v2 decoder read JSON as encoding/json does.
var v1Options = jsonv1.DefaultOptionsV1()

// decodeDoc decodes a stored document, which encoding/json wrote, as
// encoding/json.Unmarshal does, with the results of its v2 decoder under
// v1's options: 2.5x faster, and decoding was the largest part of a page of
// search results.
func decodeDoc(data string, v any) error {
	return jsonv2.Unmarshal([]byte(data), v, v1Options)
}

// loadServices returns the services with the given ids, fully nested, in the
// order of ids; ids not found are left out.
func loadServices(ctx context.Context, tx *Tx, ids []string) ([]*hsds.Service, error) {
	return readServices(ctx, tx, ids, func(args []any) (*sql.Rows, error) {
		return tx.QueryContext(ctx, servicesQuery(tx.db.engine, len(args)), args...)
	})
}

// querier runs a query: a transaction, or a pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// serviceBatch is the most services read by one statement.
const serviceBatch = 500

// servicesQuery reads n services (ids $1 to $n) and what they share with
// others: their organizations, programs and locations, and the taxonomy
// terms of their attributes and of those locations' attributes. It is one
// statement so that a page costs one round trip to PostgreSQL instead of
// one per table. Each row is (kind, id, data), kind naming what data is.
//
// It finds the shared rows through the tables the writer fills beside each
// document (columns, service_at_locations, attributes), not by parsing the
// documents in SQL, which cost PostgreSQL more than the rest of the page;
// readServices reads anything a document names that they missed.
func servicesQuery(engine string, n int) string {
	in := func(col, query string) string { return inIDs(engine, col, query) }
	return `WITH s AS MATERIALIZED (
		SELECT id, organization_id, program_id, data FROM services WHERE id IN (` + placeholders(1, n) + `)
	), sl AS MATERIALIZED (
		SELECT DISTINCT location_id FROM service_at_locations WHERE ` + in("service_id", `SELECT id FROM s`) + `
	)
	SELECT 'service', id, data FROM s
	UNION ALL
	SELECT 'organization', id, data FROM organizations WHERE ` + in("id", `SELECT organization_id FROM s`) + `
	UNION ALL
	SELECT 'program', id, data FROM programs WHERE ` + in("id", `SELECT program_id FROM s`) + `
	UNION ALL
	SELECT 'location', id, data FROM locations WHERE ` + in("id", `SELECT location_id FROM sl`) + `
	UNION ALL
	SELECT 'term', id, data FROM taxonomy_terms WHERE ` + in("id", `SELECT taxonomy_term_id FROM attributes WHERE `+
		in("link_id", `SELECT id FROM s UNION ALL SELECT location_id FROM sl`))
}

// readServices is loadServices with query running servicesQuery for one
// batch of at most serviceBatch ids, and q reading what it missed.
func readServices(ctx context.Context, q querier, ids []string, query func(args []any) (*sql.Rows, error)) ([]*hsds.Service, error) {
	byID := map[string]*hsds.Service{}
	orgs := map[string]*hsds.Organization{}
	progs := map[string]*hsds.Program{}
	locs := map[string]*hsds.Location{}
	terms := map[string]*hsds.TaxonomyTerm{}
	for start := 0; start < len(ids); start += serviceBatch {
		batch := ids[start:min(start+serviceBatch, len(ids))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := query(args)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var kind, id, data string
			if err := rows.Scan(&kind, &id, &data); err != nil {
				rows.Close()
				return nil, err
			}
			var dst any
			switch kind {
			case "service":
				byID[id] = &hsds.Service{}
				dst = byID[id]
			case "organization":
				orgs[id] = &hsds.Organization{}
				dst = orgs[id]
			case "program":
				progs[id] = &hsds.Program{}
				dst = progs[id]
			case "location":
				locs[id] = &hsds.Location{}
				dst = locs[id]
			case "term":
				terms[id] = &hsds.TaxonomyTerm{}
				dst = terms[id]
			}
			if err := decodeDoc(data, dst); err != nil {
				rows.Close()
				return nil, fmt.Errorf("stored %s %s: %w", kind, id, err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]*hsds.Service, 0, len(byID))
	for _, id := range ids {
		if s, ok := byID[id]; ok {
			out = append(out, s)
		}
	}
	if err := readMissed(ctx, q, out, orgs, progs, locs, terms); err != nil {
		return nil, err
	}
	for _, l := range locs {
		attachTerms(l.Attributes, terms)
	}
	for _, s := range out {
		if o := orgs[s.OrganizationID]; o != nil {
			c := *o
			s.Organization = &c
		}
		if p := progs[s.ProgramID]; p != nil && s.ProgramID != "" {
			c := *p
			s.Program = &c
		}
		for i := range s.ServiceAtLocations {
			if l := locs[s.ServiceAtLocations[i].LocationID]; l != nil {
				c := *l
				s.ServiceAtLocations[i].Location = &c
			}
		}
		attachTerms(s.Attributes, terms)
	}
	return out, nil
}

// readMissed reads, by id, whatever the documents name that servicesQuery
// did not find through the tables beside them: nothing, unless those
// disagree with the documents (an attribute id another record reused), or
// a document names a row that does not exist.
func readMissed(ctx context.Context, q querier, svcs []*hsds.Service, orgs map[string]*hsds.Organization,
	progs map[string]*hsds.Program, locs map[string]*hsds.Location, terms map[string]*hsds.TaxonomyTerm) error {
	orgIDs, progIDs, locIDs, termIDs := set{}, set{}, set{}, set{}
	for _, s := range svcs {
		if orgs[s.OrganizationID] == nil {
			orgIDs.add(s.OrganizationID)
		}
		if progs[s.ProgramID] == nil {
			progIDs.add(s.ProgramID)
		}
		for _, sal := range s.ServiceAtLocations {
			if locs[sal.LocationID] == nil {
				locIDs.add(sal.LocationID)
			}
		}
	}
	if err := loadDocs(ctx, q, "organizations", orgIDs, func(id string) any {
		orgs[id] = &hsds.Organization{}
		return orgs[id]
	}); err != nil {
		return err
	}
	if err := loadDocs(ctx, q, "programs", progIDs, func(id string) any {
		progs[id] = &hsds.Program{}
		return progs[id]
	}); err != nil {
		return err
	}
	if err := loadDocs(ctx, q, "locations", locIDs, func(id string) any {
		locs[id] = &hsds.Location{}
		return locs[id]
	}); err != nil {
		return err
	}
	for _, s := range svcs {
		for _, a := range s.Attributes {
			if terms[a.TaxonomyTermID] == nil {
				termIDs.add(a.TaxonomyTermID)
			}
		}
	}
	for _, l := range locs {
		for _, a := range l.Attributes {
			if terms[a.TaxonomyTermID] == nil {
				termIDs.add(a.TaxonomyTermID)
			}
		}
	}
	return loadDocs(ctx, q, "taxonomy_terms", termIDs, func(id string) any {
		terms[id] = &hsds.TaxonomyTerm{}
		return terms[id]
	})
}

func attachTerms(as []hsds.Attribute, terms map[string]*hsds.TaxonomyTerm) {
	for i := range as {
		if t := terms[as[i].TaxonomyTermID]; t != nil {
			c := *t
			as[i].TaxonomyTerm = &c
		}
	}
}

func loadTerms(ctx context.Context, tx *Tx, ids set) (map[string]*hsds.TaxonomyTerm, error) {
	terms := map[string]*hsds.TaxonomyTerm{}
	err := loadDocs(ctx, tx, "taxonomy_terms", ids, func(id string) any {
		terms[id] = &hsds.TaxonomyTerm{}
		return terms[id]
	})
	return terms, err
}

type set map[string]bool

func (s set) add(id string) {
	if id != "" {
		s[id] = true
	}
}

// loadDocs reads the data column of the rows with the given ids into the
// values dst returns for each id.
func loadDocs(ctx context.Context, q querier, table string, ids set, dst func(id string) any) error {
	all := make([]any, 0, len(ids))
	for id := range ids {
		all = append(all, id)
	}
	for start := 0; start < len(all); start += 500 {
		batch := all[start:min(start+500, len(all))]
		rows, err := q.QueryContext(ctx, `SELECT id, data FROM `+table+` WHERE id IN (`+placeholders(1, len(batch))+`)`, batch...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, data string
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return err
			}
			if err := decodeDoc(data, dst(id)); err != nil {
				rows.Close()
				return fmt.Errorf("stored %s %s: %w", table, id, err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// DirectoryService reads and writes the provider directory.
type DirectoryService struct {
	db *DB
}

// NewDirectoryService returns the directory of db.
func NewDirectoryService(db *DB) *DirectoryService { return &DirectoryService{db: db} }

// FindServiceByID returns a service fully nested, whatever its status, or
// ENOTFOUND.
func (d *DirectoryService) FindServiceByID(ctx context.Context, id string) (*hsds.Service, error) {
	svcs, err := d.FindServicesByID(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(svcs) == 0 {
		return nil, haven.Errorf(haven.ENOTFOUND, "No service has the id %q.", id)
	}
	return svcs[0], nil
}

// FindServicesByID returns the services with the given ids, in that order,
// leaving out ids that do not exist.
func (d *DirectoryService) FindServicesByID(ctx context.Context, ids []string) ([]*hsds.Service, error) {
	// Pages read up to a page of results: one statement, which sees one
	// snapshot on both engines, needing no transaction (no BEGIN and
	// ROLLBACK round trips to PostgreSQL), prepared once for 1, 20 or 100
	// ids, padded with NULLs, which match nothing.
	for _, size := range []int{1, 20, 100} {
		if len(ids) <= size {
			st, err := d.db.readStmt(ctx, servicesQuery(d.db.engine, size))
			if err != nil {
				return nil, err
			}
			return readServices(ctx, d.db.read, ids, func(args []any) (*sql.Rows, error) {
				return st.QueryContext(ctx, append(args, make([]any, size-len(args))...)...)
			})
		}
	}
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return loadServices(ctx, tx, ids)
}

// FindOrganizationByID returns an organization with its services' ids, or
// ENOTFOUND.
func (d *DirectoryService) FindOrganizationByID(ctx context.Context, id string) (*hsds.Organization, []string, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	orgs := map[string]*hsds.Organization{}
	if err := loadDocs(ctx, tx, "organizations", set{id: true}, func(id string) any {
		orgs[id] = &hsds.Organization{}
		return orgs[id]
	}); err != nil {
		return nil, nil, err
	}
	o := orgs[id]
	if o == nil {
		return nil, nil, haven.Errorf(haven.ENOTFOUND, "No organization has the id %q.", id)
	}
	svcIDs, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE organization_id = $1 ORDER BY name, id`, id)
	return o, svcIDs, err
}

func queryStrings(ctx context.Context, tx *Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// EachService calls fn for every service, fully nested, in id order, reading
// in batches so that a million services never sit in memory at once.
func (d *DirectoryService) EachService(ctx context.Context, fn func(*hsds.Service) error) error {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	after := ""
	for {
		ids, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE id > $1 ORDER BY id LIMIT 1000`, after)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		svcs, err := loadServices(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, s := range svcs {
			if err := fn(s); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}

// HasServices reports whether the directory holds any service at all,
// without counting them.
func (d *DirectoryService) HasServices(ctx context.Context) (bool, error) {
	var n int
	err := d.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM services LIMIT 1) AS x`).Scan(&n)
	return n > 0, err
}

// CountServices returns how many services the directory holds, and how many
// of them are sample data.
func (d *DirectoryService) CountServices(ctx context.Context) (total, sample int, err error) {
	err = d.db.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(sample), 0) FROM services`).Scan(&total, &sample)
	return total, sample, err
}
