package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"haven"
	"haven/hsds"
)

// loadServices returns the services with the given ids, fully nested, in the
// order of ids; ids not found are left out.
func loadServices(ctx context.Context, tx *Tx, ids []string) ([]*hsds.Service, error) {
	byID := map[string]*hsds.Service{}
	err := eachIDBatch(ids, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT data FROM services WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data string
			if err := rows.Scan(&data); err != nil {
				return err
			}
			s := &hsds.Service{}
			if err := json.Unmarshal([]byte(data), s); err != nil {
				return fmt.Errorf("stored service: %w", err)
			}
			byID[s.ID] = s
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := make([]*hsds.Service, 0, len(byID))
	for _, id := range ids {
		if s, ok := byID[id]; ok {
			out = append(out, s)
		}
	}
	return out, attachShared(ctx, tx, out)
}

// attachShared puts back what services share: organizations, programs,
// locations and taxonomy terms, each read once for the whole batch.
func attachShared(ctx context.Context, tx *Tx, svcs []*hsds.Service) error {
	orgIDs, progIDs, locIDs, termIDs := set{}, set{}, set{}, set{}
	for _, s := range svcs {
		orgIDs.add(s.OrganizationID)
		progIDs.add(s.ProgramID)
		for _, sal := range s.ServiceAtLocations {
			locIDs.add(sal.LocationID)
		}
		for _, a := range s.Attributes {
			termIDs.add(a.TaxonomyTermID)
		}
	}
	orgs := map[string]*hsds.Organization{}
	if err := loadDocs(ctx, tx, "organizations", orgIDs, func(id string) any {
		orgs[id] = &hsds.Organization{}
		return orgs[id]
	}); err != nil {
		return err
	}
	progs := map[string]*hsds.Program{}
	if err := loadDocs(ctx, tx, "programs", progIDs, func(id string) any {
		progs[id] = &hsds.Program{}
		return progs[id]
	}); err != nil {
		return err
	}
	locs := map[string]*hsds.Location{}
	if err := loadDocs(ctx, tx, "locations", locIDs, func(id string) any {
		locs[id] = &hsds.Location{}
		return locs[id]
	}); err != nil {
		return err
	}
	for _, l := range locs {
		for _, a := range l.Attributes {
			termIDs.add(a.TaxonomyTermID)
		}
	}
	terms, err := loadTerms(ctx, tx, termIDs)
	if err != nil {
		return err
	}
	for _, l := range locs {
		attachTerms(l.Attributes, terms)
	}
	for _, s := range svcs {
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
	return attachCapacities(ctx, tx, svcs)
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
func loadDocs(ctx context.Context, tx *Tx, table string, ids set, dst func(id string) any) error {
	all := make([]string, 0, len(ids))
	for id := range ids {
		all = append(all, id)
	}
	return eachIDBatch(all, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, data FROM `+table+` WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, data string
			if err := rows.Scan(&id, &data); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(data), dst(id)); err != nil {
				return fmt.Errorf("stored %s %s: %w", table, id, err)
			}
		}
		return rows.Err()
	})
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
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	svcs, err := loadServices(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	return publicServices(ctx, tx, svcs)
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
	if err := publicOrganization(ctx, tx, o); err != nil {
		return nil, nil, err
	}
	if err := redactOrganizations(ctx, tx, []*hsds.Organization{o}); err != nil {
		return nil, nil, err
	}
	q := `SELECT id FROM services WHERE organization_id = $1 ORDER BY name, id`
	if !haven.StaffView(ctx) {
		q = `SELECT id FROM services WHERE organization_id = $1 AND withdrawn = 0 ORDER BY name, id`
	}
	svcIDs, err := queryStrings(ctx, tx, q, id)
	return o, svcIDs, err
}

// querier runs queries: a *Tx, or a pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAll returns a query's rows, each read by scan.
func queryAll[T any](ctx context.Context, q querier, scan func(row interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// values makes a scan that returns a pointer into one that returns the
// value, for queryAll into a slice of values.
func values[T any](scan func(row interface{ Scan(...any) error }) (*T, error)) func(row interface{ Scan(...any) error }) (T, error) {
	return func(row interface{ Scan(...any) error }) (T, error) {
		v, err := scan(row)
		if err != nil {
			var zero T
			return zero, err
		}
		return *v, nil
	}
}

// queryStrings returns the one column of a query's rows.
func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
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
		if svcs, err = publicServices(ctx, tx, svcs); err != nil {
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
