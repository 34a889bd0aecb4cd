package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"haven"
	"haven/analyze"
	"haven/geo"
	"haven/hsds"
)

// likePattern makes a case-insensitive substring pattern, escaping LIKE's
// wildcards in what the user typed.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(strings.TrimSpace(s))) + "%"
}

func limitSQL(offset, limit int) string {
	if limit <= 0 {
		return ""
	}
	return fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset)
}

// ListOrganizations returns organizations whose name contains the
// filter's search and that carry its taxonomy term (or a term of its
// taxonomy), themselves or through one of their services, by name, and how
// many there are in all.
func (d *DirectoryService) ListOrganizations(ctx context.Context, f haven.OrganizationFilter) ([]*hsds.Organization, int, error) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if !haven.StaffView(ctx) {
		conds = append(conds, `withdrawn = 0`) // taken down (withdraw.go)
	}
	svcs := `SELECT id FROM services WHERE organization_id = organizations.id`
	if !haven.StaffView(ctx) {
		svcs += ` AND withdrawn = 0`
	}
	carries := func(match string) string {
		return `EXISTS (SELECT 1 FROM attributes a WHERE ` + match +
			` AND (a.link_id = organizations.id OR a.link_id IN (` + svcs + `)))`
	}
	if f.TaxonomyTermID != "" {
		conds = append(conds, carries(`a.taxonomy_term_id = `+arg(f.TaxonomyTermID)))
	}
	if f.TaxonomyID != "" {
		conds = append(conds, carries(`a.taxonomy_term_id IN (SELECT id FROM taxonomy_terms WHERE taxonomy_id = `+arg(f.TaxonomyID)+`)`))
	}
	// Organizations carry their locations: the public sees confidential
	// ones as the area only (confidential.go).
	return listByName(ctx, d.db, "organizations", strings.Join(conds, " AND "), args, f.Search, f.Offset, f.Limit, redactOrganizations)
}

// listByName lists the rows of table whose name contains search and that
// meet where (when not empty, with its arguments args), by name, each
// decoded from its data column and passed through finish (when not nil),
// and how many match in all.
func listByName[T any](ctx context.Context, db *DB, table, where string, args []any, search string, offset, limit int,
	finish func(context.Context, *Tx, []*T) error) ([]*T, int, error) {
	tx, err := db.BeginTx(ctx, true)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if where == "" {
		where = "1 = 1"
	}
	if strings.TrimSpace(search) != "" {
		args = append(args, likePattern(search))
		where += fmt.Sprintf(` AND lower(name) LIKE $%d ESCAPE '\'`, len(args))
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT data FROM `+table+` WHERE `+where+` ORDER BY name, id`+limitSQL(offset, limit), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, 0, err
		}
		v := new(T)
		if err := json.Unmarshal([]byte(data), v); err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	if finish != nil {
		return out, total, finish(ctx, tx, out)
	}
	return out, total, nil
}

// ListTaxonomyTerms returns taxonomy terms by code, and how many match.
func (d *DirectoryService) ListTaxonomyTerms(ctx context.Context, f haven.TermFilter) ([]*hsds.TaxonomyTerm, int, error) {
	conds, args := []string{"1 = 1"}, []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if s := strings.TrimSpace(f.Search); s != "" {
		p := arg(likePattern(s))
		conds = append(conds, `(lower(name) LIKE `+p+` ESCAPE '\' OR lower(code) LIKE `+p+` ESCAPE '\')`)
	}
	if f.TaxonomyID != "" {
		conds = append(conds, `taxonomy_id = `+arg(f.TaxonomyID))
	}
	if f.ParentID != "" {
		conds = append(conds, `parent_id = `+arg(f.ParentID))
	}
	if f.TopOnly {
		conds = append(conds, `parent_id IS NULL`)
	}
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where := strings.Join(conds, " AND ")
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM taxonomy_terms WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	ids, err := queryStrings(ctx, tx, `SELECT id FROM taxonomy_terms WHERE `+where+` ORDER BY code, name, id`+limitSQL(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, err
	}
	terms, err := loadTerms(ctx, tx, toSet(ids))
	if err != nil {
		return nil, 0, err
	}
	out := make([]*hsds.TaxonomyTerm, 0, len(ids))
	for _, id := range ids {
		out = append(out, terms[id])
	}
	return out, total, nil
}

func toSet(ids []string) set {
	s := set{}
	for _, id := range ids {
		s.add(id)
	}
	return s
}

// FindTaxonomyTermByID returns one term, or ENOTFOUND.
func (d *DirectoryService) FindTaxonomyTermByID(ctx context.Context, id string) (*hsds.TaxonomyTerm, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	terms, err := loadTerms(ctx, tx, set{id: true})
	if err != nil {
		return nil, err
	}
	if t := terms[id]; t != nil {
		return t, nil
	}
	return nil, haven.Errorf(haven.ENOTFOUND, "No taxonomy term has the id %q.", id)
}

// ListTaxonomies returns taxonomies whose name contains search, by name,
// and how many there are in all.
func (d *DirectoryService) ListTaxonomies(ctx context.Context, search string, offset, limit int) ([]*hsds.Taxonomy, int, error) {
	return listByName[hsds.Taxonomy](ctx, d.db, "taxonomies", "", nil, search, offset, limit, nil)
}

// FindTaxonomyByID returns one taxonomy, or ENOTFOUND.
func (d *DirectoryService) FindTaxonomyByID(ctx context.Context, id string) (*hsds.Taxonomy, error) {
	ts, _, err := d.listTaxonomiesWhere(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, haven.Errorf(haven.ENOTFOUND, "No taxonomy has the id %q.", id)
	}
	return ts[0], nil
}

func (d *DirectoryService) listTaxonomiesWhere(ctx context.Context, id string) ([]*hsds.Taxonomy, int, error) {
	var data string
	err := d.db.read.QueryRowContext(ctx, `SELECT data FROM taxonomies WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	} else if err != nil {
		return nil, 0, err
	}
	t := &hsds.Taxonomy{}
	return []*hsds.Taxonomy{t}, 1, json.Unmarshal([]byte(data), t)
}

// Engine names the database engine, "sqlite" or "postgres", as
// DirectoryResult.Engine does.
func (d *DirectoryService) Engine() string { return d.db.dialect.name }

// ListServiceAtLocations returns the ids of the service_at_location rows
// whose service matches f; with a place and radius, the row's own location
// must lie within it, and rows come nearest first.
func (d *DirectoryService) ListServiceAtLocations(ctx context.Context, f haven.DirectoryFilter) ([]string, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	q := analyze.ParseQuery(f.Query)
	if strings.TrimSpace(f.Query) != "" && q.Empty() {
		return nil, 0, nil
	}
	near, radius := f.Near, f.RadiusKm
	f.Near, f.RadiusKm = nil, 0 // applied to the row's own place below
	where, args := directoryWhere(d.db.dialect, f, q, "")
	from := `service_at_locations sal JOIN services s ON s.id = sal.service_id
		JOIN locations wl ON wl.id = sal.location_id AND wl.withdrawn = 0
		LEFT JOIN search_places p ON p.service_id = sal.service_id AND p.location_id = sal.location_id`
	order := `s.name, sal.id`
	if near != nil {
		args = append(args, near.Lat, near.Lon)
		dist := distanceSQL(fmt.Sprintf("$%d", len(args)-1), fmt.Sprintf("$%d", len(args)))
		if radius > 0 {
			minLat, minLon, maxLat, maxLon := geo.BoundingBox(geo.Point{Lat: near.Lat, Lon: near.Lon}, radius)
			args = append(args, minLat, maxLat, minLon, maxLon, radius)
			n := len(args)
			where += fmt.Sprintf(` AND p.latitude BETWEEN $%d AND $%d AND p.longitude BETWEEN $%d AND $%d AND %s <= $%d`,
				n-4, n-3, n-2, n-1, dist, n)
		}
		order = `p.latitude IS NULL, ` + dist + `, sal.id`
	}
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+from+` WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	ids, err := queryStrings(ctx, tx, `SELECT sal.id FROM `+from+` WHERE `+where+` ORDER BY `+order+limitSQL(f.Offset, f.Limit), args...)
	return ids, total, err
}

// FindServiceAtLocations returns service_at_location objects with their
// location and their service nested, in the order of ids.
func (d *DirectoryService) FindServiceAtLocations(ctx context.Context, ids []string) ([]*hsds.ServiceAtLocation, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	svcOf := map[string]string{}
	err = eachIDBatch(ids, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, service_id FROM service_at_locations WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, sid string
			if err := rows.Scan(&id, &sid); err != nil {
				return err
			}
			svcOf[id] = sid
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	var svcIDs []string
	seen := set{}
	for _, sid := range svcOf {
		if !seen[sid] {
			seen.add(sid)
			svcIDs = append(svcIDs, sid)
		}
	}
	svcs, err := loadServices(ctx, tx, svcIDs)
	if err != nil {
		return nil, err
	}
	if svcs, err = publicServices(ctx, tx, svcs); err != nil {
		return nil, err
	}
	byID := map[string]*hsds.ServiceAtLocation{}
	for _, s := range svcs {
		for i := range s.ServiceAtLocations {
			sal := s.ServiceAtLocations[i]
			svc := *s
			svc.ServiceAtLocations = nil
			sal.Service = &svc
			if sal.ServiceID == "" {
				sal.ServiceID = s.ID
			}
			byID[sal.ID] = &sal
		}
	}
	out := make([]*hsds.ServiceAtLocation, 0, len(ids))
	for _, id := range ids {
		if sal := byID[id]; sal != nil {
			out = append(out, sal)
		}
	}
	return out, nil
}

// PutCountrySummary stores a country's summary, replacing any earlier one.
func (cs *CountryService) PutCountrySummary(ctx context.Context, c *haven.CountrySummary) error {
	return cs.SaveCountrySummary(ctx, "", c)
}

// SaveCountrySummary stores a country's summary; with an actor (a curator's
// edit) each changed field is audited in the same transaction.
func (cs *CountryService) SaveCountrySummary(ctx context.Context, actor string, c *haven.CountrySummary) error {
	if !haven.IsCountryCode(c.Country) {
		return haven.Errorf(haven.EINVALID, "country %q is not an ISO 3166-1 alpha-2 code", c.Country)
	}
	// Both empty means no summary yet (a country with only hotlines).
	if (c.Summary["en"] == "") != (c.Summary["es"] == "") {
		return haven.Errorf(haven.EINVALID, "country %s: the summary needs English and Spanish", c.Country)
	}
	hot := c.Hotlines
	if hot == nil {
		hot = []haven.CountryHotline{}
	}
	tx, err := cs.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sample := 0
	if c.Sample {
		sample = 1
	}
	if actor != "" {
		var en, es, hot string
		err := tx.QueryRowContext(ctx, `SELECT summary_en, summary_es, hotlines FROM country_summaries WHERE country = $1`, c.Country).Scan(&en, &es, &hot)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		for _, f := range []fieldChange{{"summary.en", en, c.Summary["en"]}, {"summary.es", es, c.Summary["es"]}, {"hotlines", hot, mustJSON(hot0(c.Hotlines))}} {
			if f.before != f.after {
				if err := audit(ctx, tx, actor, "update", "country", c.Country, f.name, f.before, f.after); err != nil {
					return err
				}
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO country_summaries (country, summary_en, summary_es, hotlines, sample, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (country) DO UPDATE SET summary_en = excluded.summary_en, summary_es = excluded.summary_es,
			hotlines = excluded.hotlines, sample = excluded.sample, updated_at = excluded.updated_at`,
		c.Country, c.Summary["en"], c.Summary["es"], mustJSON(hot), sample, formatTime(tx.now)); err != nil {
		return err
	}
	return tx.Commit()
}

// FindCountrySummary returns a country's summary, or nil when it has none.
func (cs *CountryService) FindCountrySummary(ctx context.Context, country string) (*haven.CountrySummary, error) {
	c := &haven.CountrySummary{Country: country, Summary: haven.Localized{}}
	var en, es, hot string
	var sample int
	err := cs.db.read.QueryRowContext(ctx, `SELECT summary_en, summary_es, hotlines, sample FROM country_summaries WHERE country = $1`, country).
		Scan(&en, &es, &hot, &sample)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	c.Summary["en"], c.Summary["es"], c.Sample = en, es, sample == 1
	return c, json.Unmarshal([]byte(hot), &c.Hotlines)
}

func hot0(h []haven.CountryHotline) []haven.CountryHotline {
	if h == nil {
		return []haven.CountryHotline{}
	}
	return h
}
